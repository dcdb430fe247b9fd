"""Fetch and parse the AWS Price List bulk offer files (``archlib prices update``, issue 19).

The public endpoint (no credentials) serves the offer index ``offers/v1.0/aws/index.json``,
each offer's Region index and one offer file per Region (research: shared/reviews/
price-list.md section 1). ``--from`` gives another base URL or a local folder laid out the same
way. Each file is streamed to a temporary file (httpx; ``Content-Encoding: gzip`` is decoded
by httpx, a gzipped file by its magic bytes) and parsed with ``ijson``, one product or term at
a time, so memory stays bounded whatever the file's size (the EC2 offer is about 450 MB).

Every failure is one :class:`PriceListError` line: network, HTTP status, a truncated or
malformed file, an item matching zero or several products. Nothing is written to the cache
unless a Region's every item resolved (see :mod:`archlib._pricecache`).
"""

from __future__ import annotations

import contextlib
import gzip
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, cast
from urllib.parse import urljoin, urlsplit

import httpx
import ijson

from ._catalogue import Catalogue, InterRegionSpec, ItemSpec, catalogue, match
from ._errors import one_line

__all__ = ["DEFAULT_BASE", "INDEX_PATH", "PRICE_LIST_SOURCE", "FetchedItem", "OfferFile",
           "PriceListError", "Progress", "RegionPrices", "Source", "fetch_region",
           "make_indexes", "open_source", "parse_offer", "region_codes"]

DEFAULT_BASE = "https://pricing.us-east-1.amazonaws.com"
INDEX_PATH = "/offers/v1.0/aws/index.json"
#: The source id (archlib/_sources.py) of every price read from the Price List.
PRICE_LIST_SOURCE = "aws-price-list"
_CHUNK = 1 << 16
_ON_DEMAND = "terms.OnDemand"

#: ``progress(label, bytes_so_far, total_or_None)``: called as a download advances.
Progress = Callable[[str, int, int | None], None]


class PriceListError(Exception):
    """A Price List failure, as one printable line (``str(error)``)."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


@dataclass(frozen=True, slots=True)
class OfferFile:
    """What :func:`parse_offer` found in one Region's offer file."""

    offer_code: str
    publication_date: str
    version: str
    candidates: Mapping[str, tuple[str, ...]]  # item id -> matching SKUs
    products: Mapping[str, Mapping[str, Any]]  # sku -> product, for the matched SKUs
    terms: Mapping[str, Mapping[str, Any]]  # sku -> its OnDemand terms
    destinations: Mapping[str, tuple[str, ...]]  # inter-Region: destination -> SKUs


@dataclass(frozen=True, slots=True)
class FetchedItem:
    id: str
    value: float
    aws_unit: str
    sku: str
    usagetype: str
    offer: str
    url: str
    as_of: str
    tiers: tuple[tuple[float | None, float], ...] = ()
    by_destination: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class RegionPrices:
    region: str
    items: Mapping[str, FetchedItem]
    not_offered: tuple[str, ...] = ()
    offers: Mapping[str, str] = field(default_factory=dict)  # offer code -> publication date

    @property
    def as_of(self) -> str:
        """The oldest publication date among the offers read (the conservative age)."""
        return min(self.offers.values()) if self.offers else ""


# --- sources: a base URL or a local folder ---------------------------------------------------


class Source:
    """Where the files come from: ``base`` is a URL or a local folder laid out like
    ``offers/v1.0/aws/index.json``. Paths the files name (``/offers/...``) are joined to it."""

    def __init__(self, base: str, *, timeout: float = 30.0,
                 progress: Progress | None = None) -> None:
        self.base = base
        self.folder = None if urlsplit(base).scheme in ("http", "https") else Path(base)
        self.progress = progress
        self.client = None if self.folder is not None else httpx.Client(
            timeout=httpx.Timeout(timeout), follow_redirects=True,
            headers={"Accept-Encoding": "gzip"})

    def close(self) -> None:
        if self.client is not None:
            self.client.close()

    def url(self, path: str) -> str:
        if self.folder is not None:
            return str(self.folder / path.lstrip("/"))
        return urljoin(self.base.rstrip("/") + "/", path.lstrip("/"))

    def download(self, path: str, into: IO[bytes]) -> str:
        """Copy the file at ``path`` into ``into``; returns its URL (or local path)."""
        url = self.url(path)
        if self.folder is not None:
            try:
                with open(url, "rb") as local:
                    while chunk := local.read(_CHUNK):
                        into.write(chunk)
            except OSError as error:
                raise PriceListError(f"{url}: cannot read: {error.strerror or error}") from None
            return url
        assert self.client is not None
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code != 200:
                    raise PriceListError(f"{url}: HTTP {response.status_code} "
                                         f"{response.reason_phrase}".rstrip())
                total = response.headers.get("Content-Length")
                expected = int(total) if total and total.isdigit() else None
                if response.headers.get("Content-Encoding"):
                    expected = None  # the length counts the compressed bytes
                done = 0
                for chunk in response.iter_bytes(_CHUNK):
                    into.write(chunk)
                    done += len(chunk)
                    if self.progress is not None:
                        self.progress(url, done, expected)
        except httpx.TimeoutException:
            raise PriceListError(f"{url}: timed out (network)") from None
        except httpx.HTTPError as error:
            # (a reset or an early close mid-file, a refused connection, a DNS failure)
            raise PriceListError(f"{url}: network error: {type(error).__name__}: "
                                 f"{error}") from None
        return url


@contextlib.contextmanager
def open_source(base: str, *, timeout: float = 30.0,
                progress: Progress | None = None) -> Iterator[Source]:
    source = Source(base, timeout=timeout, progress=progress)
    try:
        yield source
    finally:
        source.close()


def _open_json(path: Path) -> IO[bytes]:
    """The downloaded file, gunzipped if it is gzip (magic bytes 1f 8b)."""
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def _fetch_json(source: Source, path: str, folder: Path, name: str) -> tuple[str, Path]:
    target = folder / name
    with open(target, "wb") as handle:
        url = source.download(path, handle)
    return url, target


def _small_json(source: Source, path: str, folder: Path, name: str) -> tuple[str, Any]:
    """An index file (small): parsed whole, but still through ijson's bounded reader."""
    url, target = _fetch_json(source, path, folder, name)
    try:
        with _open_json(target) as handle:
            return url, next(ijson.items(handle, "", use_float=False))
    except (ijson.JSONError, EOFError, OSError, StopIteration) as error:
        raise PriceListError(f"{url}: truncated or malformed JSON: {error}") from None


# --- parsing one offer file ------------------------------------------------------------------


def _header(handle: IO[bytes]) -> dict[str, str]:
    """The top-level text fields (offerCode, version, publicationDate) before the first map:
    AWS writes them first, so this reads a few hundred bytes."""
    meta: dict[str, str] = {}
    for prefix, event, value in ijson.parse(handle, use_float=False):
        if event == "string" and prefix and "." not in prefix:
            meta[prefix] = str(value)
        elif event == "start_map" and prefix:
            break
    return meta


def parse_offer(open_file: Callable[[], IO[bytes]], region: str, specs: tuple[ItemSpec, ...],
                inter: InterRegionSpec | None, cat: Catalogue, *, url: str = "") -> OfferFile:
    """Stream one Region's offer file: the products matching each spec, then the OnDemand
    terms of those SKUs only (a pass each, with ijson's C backend building one product or
    term at a time), so memory holds the matched SKUs and never the file, whichever order
    its sections come in. ``open_file`` opens the file afresh. Raises
    :class:`PriceListError` for a truncated or malformed file."""
    candidates: dict[str, list[str]] = {s.id: [] for s in specs}
    destinations: dict[str, list[str]] = {}
    products: dict[str, Mapping[str, Any]] = {}
    terms: dict[str, Mapping[str, Any]] = {}
    prefixes = cat.region_prefixes
    try:
        with open_file() as handle:
            meta = _header(handle)
        with open_file() as handle:
            for key, value in ijson.kvitems(handle, "products", use_float=False):
                if not isinstance(value, dict):
                    raise PriceListError(f"{url}: products.{key}: not a map (malformed)")
                for spec in specs:
                    if match(spec, value, region, prefixes):
                        candidates[spec.id].append(key)
                        products[key] = value
                if inter is not None and match(inter, value, region, prefixes):
                    to = str(value["attributes"].get(inter.to_attribute, ""))
                    if to and to != region:
                        destinations.setdefault(to, []).append(key)
                        products[key] = value
        with open_file() as handle:
            for key, value in ijson.kvitems(handle, _ON_DEMAND, use_float=False):
                if key in products:
                    terms[key] = value
    except (ijson.JSONError, EOFError, OSError) as error:
        raise PriceListError(f"{url}: truncated or malformed JSON: {error}") from None
    if not meta.get("publicationDate"):
        raise PriceListError(f"{url}: no publicationDate (malformed offer file)")
    return OfferFile(
        offer_code=meta.get("offerCode", ""), publication_date=meta["publicationDate"],
        version=meta.get("version", ""),
        candidates={k: tuple(v) for k, v in candidates.items()},
        products=products, terms=terms,
        destinations={k: tuple(v) for k, v in destinations.items()},
    )


def _range(dim: Mapping[str, Any], *names: str) -> Decimal | None:
    """A tier bound under either spelling (``beginRange``/``startingRange``, P6); ``Inf``
    and a missing bound are None."""
    for name in names:
        if name in dim:
            text = str(dim[name])
            return None if text in ("Inf", "") else Decimal(text)
    return None


def _dimensions(offer: OfferFile, sku: str, item: str, url: str) -> list[Mapping[str, Any]]:
    terms = offer.terms.get(sku)
    if not isinstance(terms, dict) or len(terms) != 1:
        count = 0 if not isinstance(terms, dict) else len(terms)
        raise PriceListError(f"{url}: {item}: SKU {sku} has {count} OnDemand terms (expected 1)")
    term = next(iter(terms.values()))
    dims = term.get("priceDimensions") if isinstance(term, dict) else None
    if not isinstance(dims, dict) or not dims:
        raise PriceListError(f"{url}: {item}: SKU {sku} has no priceDimensions (malformed)")
    return list(dims.values())


def _usd(dim: Mapping[str, Any], item: str, url: str) -> Decimal:
    try:
        return Decimal(str(dim["pricePerUnit"]["USD"]))
    except (KeyError, TypeError, InvalidOperation):
        raise PriceListError(f"{url}: {item}: a price dimension without a USD price "
                             "(malformed)") from None


def _one_sku(offer: OfferFile, item: str, skus: tuple[str, ...], url: str, region: str) -> str:
    if len(skus) == 1:
        return skus[0]
    if not skus:
        raise PriceListError(f"{url}: {item}: no product matches in {region} "
                             f"(see {'archlib/data/price_catalogue.yaml'})")
    shown = ", ".join(f"{s} ({offer.products[s]['attributes'].get('usagetype', '?')})"
                      for s in skus[:5])
    raise PriceListError(f"{url}: {item}: {len(skus)} products match in {region}, expected "
                         f"exactly one: {shown}")


def _item(offer: OfferFile, spec: ItemSpec, url: str, region: str) -> FetchedItem:
    sku = _one_sku(offer, spec.id, offer.candidates[spec.id], url, region)
    dims = sorted(_dimensions(offer, sku, spec.id, url),
                  key=lambda d: _range(d, "beginRange", "startingRange") or Decimal(0))
    for dim in dims:
        if dim.get("unit") != spec.unit:
            raise PriceListError(f"{url}: {spec.id}: SKU {sku} is priced per "
                                 f"{dim.get('unit')!r}, the catalogue expects {spec.unit!r}")
    if spec.tiers == "flat" and len(dims) != 1:
        raise PriceListError(f"{url}: {spec.id}: SKU {sku} has {len(dims)} price tiers; the "
                             "catalogue expects one")
    prices = [_usd(d, spec.id, url) * spec.scale for d in dims]
    tiers: tuple[tuple[float | None, float], ...] = ()
    if spec.tiers == "tiers":
        ends = [_range(d, "endRange", "endingRange") for d in dims]
        tiers = tuple((None if e is None else float(e), float(p)) for e, p in zip(ends, prices,
                                                                                 strict=True))
        if tiers[-1][0] is not None:
            raise PriceListError(f"{url}: {spec.id}: SKU {sku}'s last tier has an end "
                                 f"({tiers[-1][0]:g}); expected Inf")
    product = offer.products[sku]
    return FetchedItem(spec.id, float(prices[0]), spec.unit, sku,
                       str(product["attributes"].get("usagetype", "")), spec.offer, url,
                       offer.publication_date[:10], tiers)


def _inter_region(offer: OfferFile, spec: InterRegionSpec, item_id: str, url: str,
                  region: str) -> FetchedItem:
    rows: list[tuple[str, float]] = []
    for destination, skus in sorted(offer.destinations.items()):
        sku = _one_sku(offer, f"{item_id} to {destination}", skus, url, region)
        dims = _dimensions(offer, sku, item_id, url)
        if len(dims) != 1 or dims[0].get("unit") != spec.unit:
            raise PriceListError(f"{url}: {item_id} to {destination}: SKU {sku} is not one "
                                 f"price per {spec.unit}")
        rows.append((destination, float(_usd(dims[0], item_id, url))))
    if not rows:
        raise PriceListError(f"{url}: {item_id}: no inter-Region product out of {region}")
    # The default is the rate most destinations have (ties: the higher, not to understate).
    counts = Counter(rate for _, rate in rows)
    default = max(counts, key=lambda rate: (counts[rate], rate))
    return FetchedItem(item_id, default, spec.unit, "", f"{len(rows)} destinations",
                       spec.offer, url, offer.publication_date[:10], (),
                       tuple((d, r) for d, r in rows if r != default))


def region_codes(region_index: Any, url: str) -> dict[str, str]:
    """Region code -> the path of its current offer file, from a Region index."""
    regions = region_index.get("regions") if isinstance(region_index, dict) else None
    if not isinstance(regions, dict):
        raise PriceListError(f"{url}: no `regions` map (malformed Region index)")
    out: dict[str, str] = {}
    for code, entry in regions.items():
        path = entry.get("currentVersionUrl") if isinstance(entry, dict) else None
        if not isinstance(path, str):
            raise PriceListError(f"{url}: regions.{code}: no currentVersionUrl (malformed)")
        out[str(code)] = path
    return out


class _Indexes:
    """The offer index and the Region indexes, each fetched once per update."""

    def __init__(self, source: Source, folder: Path) -> None:
        self.source, self.folder = source, folder
        self._offers: dict[str, Any] | None = None
        self._regions: dict[str, dict[str, str]] = {}

    def offer_paths(self) -> dict[str, Any]:
        if self._offers is None:
            url, index = _small_json(self.source, INDEX_PATH, self.folder, "index.json")
            offers = index.get("offers") if isinstance(index, dict) else None
            if not isinstance(offers, dict):
                raise PriceListError(f"{url}: no `offers` map (malformed offer index)")
            self._offers = offers
        return self._offers

    def regions(self, offer_code: str) -> dict[str, str]:
        if offer_code not in self._regions:
            entry = self.offer_paths().get(offer_code)
            path = entry.get("currentRegionIndexUrl") if isinstance(entry, dict) else None
            if not isinstance(path, str):
                raise PriceListError(f"{self.source.url(INDEX_PATH)}: offer {offer_code} has "
                                     "no currentRegionIndexUrl")
            url, index = _small_json(self.source, path, self.folder,
                                     f"{offer_code}-regions.json")
            self._regions[offer_code] = region_codes(index, url)
        return self._regions[offer_code]


def fetch_region(indexes: _Indexes, region: str, cat: Catalogue | None = None) -> RegionPrices:
    """Every priced item of the catalogue for ``region``, from the offer files it needs."""
    cat = cat or catalogue()
    if region not in cat.region_prefixes:
        raise PriceListError(f"{region}: no billing code in archlib/data/price_catalogue.yaml "
                             "(region_prefixes); add it from AWS's Region billing codes")
    items: dict[str, FetchedItem] = {}
    not_offered: list[str] = []
    offers: dict[str, str] = {}
    priced = cat.priced()
    for offer_code in cat.offers:
        specs = tuple(s for s in priced if s.offer == offer_code)
        tables = [s for s in priced if s.table == "inter_region"]
        inter = cat.inter_region if offer_code == cat.inter_region.offer and tables else None
        if not specs and inter is None:
            continue
        path = indexes.regions(offer_code).get(region)
        if path is None:  # the service is not offered in this Region
            not_offered.extend(s.id for s in specs)
            not_offered.extend(s.id for s in tables if inter is not None)
            continue
        with tempfile.NamedTemporaryFile(dir=indexes.folder, suffix=".json") as tmp:
            url = indexes.source.download(path, tmp)
            tmp.flush()
            offer = parse_offer(lambda: _open_json(Path(tmp.name)), region, specs, inter, cat,
                                url=url)
        offers[offer_code] = offer.publication_date[:10]
        for spec in specs:
            items[spec.id] = _item(offer, spec, url, region)
        if inter is not None:
            for spec in tables:
                items[spec.id] = _inter_region(offer, cat.inter_region, spec.id, url, region)
    for spec in cat.copies():
        if spec.same_as in items:
            items[spec.id] = replace(items[spec.same_as], id=spec.id)
        else:
            not_offered.append(spec.id)
    return RegionPrices(region, items, tuple(sorted(not_offered)), offers)


def make_indexes(source: Source, folder: Path) -> _Indexes:
    return _Indexes(source, folder)
