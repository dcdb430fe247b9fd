"""Price tables. The only module that reads price files.

Precedence, per item (issue 19): a scenario's ``prices:`` override, then the Region's file in
the price cache (written by ``archlib prices update`` from the AWS Price List, see
:mod:`archlib._pricecache`), then the file shipped in the package, ``data/prices/<region>.yaml``
(us-east-1 only: a fresh machine runs with no network). Items the Price List has no product for
(``no_sku`` in the catalogue) come from the shipped us-east-1 file, labelled unverified outside
us-east-1 unless the catalogue marks them the same everywhere.
Every price keeps its unit, source id, URL and as-of date, so reports can cite it.
Cost models receive a :class:`PriceTable` and never read files themselves.

Inter-Region transfer is priced by the pair of Regions. A price file is for one (source)
Region, so an item may carry ``by_destination:``, a table of USD/GB keyed by the destination
Region; the item's ``value`` is the labelled default for destinations the table does not list.
Cost models read it with :meth:`PriceTable.per_gb_to`; :meth:`Price.lists` tells whether the
rate came from the table or from the default, so a decision can say which one it used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import yaml

from ._errors import InputError

__all__ = ["HOURS_PER_MONTH", "MAX_PRICE_USD", "REGION_NAME", "Price", "PriceTable", "Tier",
           "available_regions", "load_prices", "read_shipped", "shipped_regions"]

#: AWS Pricing Calculator convention (source: aws-pricing-calculator-hours).
HOURS_PER_MONTH = 730.0
#: An AWS Region name (use fullmatch).
REGION_NAME = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}")  # fullmatch only
#: The largest price an override may state, in USD per unit: the largest list price
#: archlib carries is 4.50, and every cost must stay a finite number (issue 21, D10).
MAX_PRICE_USD = 100_000.0


@dataclass(frozen=True, slots=True)
class Tier:
    up_to_gb: float | None  # None: no upper bound
    usd_per_gb: float


@dataclass(frozen=True, slots=True)
class Price:
    id: str
    value: float
    unit: str
    source: str
    url: str
    as_of: str
    tiers: tuple[Tier, ...] = ()
    unverified: bool = False
    overridden: bool = False
    origin: str = "package"  # package, cache (the AWS Price List), or override
    sku: str = ""  # the Price List SKU, for an item from the cache
    #: (destination Region, USD per GB) pairs, sorted; ``value`` applies to the rest
    by_destination: tuple[tuple[str, float], ...] = ()

    def to_region(self, destination: str) -> float:
        """USD per GB to ``destination``: its row in ``by_destination``, else the default."""
        return dict(self.by_destination).get(destination, self.value)

    def lists(self, destination: str) -> bool:
        """Whether ``by_destination`` has a row for ``destination`` (False: the default)."""
        return destination in dict(self.by_destination)

    def tiered(self, quantity: float) -> float:
        """Cost of ``quantity`` units under the tiers (or the flat value)."""
        if not self.tiers:
            return quantity * self.value
        total, lower = 0.0, 0.0
        for tier in self.tiers:
            upper = tier.up_to_gb if tier.up_to_gb is not None else float("inf")
            if quantity <= lower:
                break
            total += (min(quantity, upper) - lower) * tier.usd_per_gb
            lower = upper
        return total


class _UseRecorder(dict[str, Price]):
    """A dict of prices that remembers which items were read (to cite only those)."""

    def __init__(self, items: Mapping[str, Price]) -> None:
        super().__init__(items)
        self.used: set[str] = set()

    def __getitem__(self, key: str) -> Price:
        self.used.add(key)
        return super().__getitem__(key)


@dataclass(frozen=True)
class PriceTable:
    region: str
    as_of: str
    items: Mapping[str, Price] = field(default_factory=dict)
    hours_per_month: float = HOURS_PER_MONTH
    #: Where the prices come from, in precedence order (a sentence for the assumptions).
    provenance: str = ""
    #: Non-empty when the oldest price file used is older than the configured age.
    age_warning: str = ""

    def __getitem__(self, item_id: str) -> Price:
        try:
            return self.items[item_id]
        except KeyError:
            raise InputError(
                f"no price {item_id!r} for Region {self.region!r}: give it under the "
                "scenario's `prices:`", field=f"prices.{item_id}") from None

    def value(self, item_id: str) -> float:
        return self[item_id].value

    def hourly(self, item_id: str, count: float = 1.0) -> float:
        """Monthly USD for ``count`` things billed per hour."""
        return count * self[item_id].value * self.hours_per_month

    def per_gb(self, item_id: str, gb: float) -> float:
        return self[item_id].tiered(gb)

    def per_gb_to(self, item_id: str, destination: str, gb: float) -> float:
        """Monthly USD for ``gb`` sent from this table's Region to ``destination``."""
        return gb * self[item_id].to_region(destination)

    def tracking(self) -> PriceTable:
        """A copy that records which items a cost model reads; see :meth:`used`."""
        return replace(self, items=_UseRecorder(self.items))

    def used(self) -> frozenset[str]:
        """Items read so far through a :meth:`tracking` copy (all items otherwise)."""
        if isinstance(self.items, _UseRecorder):
            return frozenset(self.items.used)
        return frozenset(self.items)

    @cached_property
    def _flagged(self) -> tuple[tuple[Price, ...], tuple[Price, ...]]:
        """(overridden, unverified) in id order, sorted once per table: every evaluation
        lists them (its assumptions), and a batch shares one table across many rows."""
        by_id = [p for _, p in sorted(self.items.items())]
        return (tuple(p for p in by_id if p.overridden),
                tuple(p for p in by_id if p.unverified and not p.overridden))

    def overridden(self) -> tuple[Price, ...]:
        return self._flagged[0]

    def unverified(self) -> tuple[Price, ...]:
        return self._flagged[1]


def _price_dir() -> Any:
    return resources.files("archlib").joinpath("data", "prices")


def shipped_regions() -> tuple[str, ...]:
    """Regions with a price file in the package."""
    names = [p.name for p in _price_dir().iterdir() if p.name.endswith(".yaml")]
    return tuple(sorted(n.removesuffix(".yaml") for n in names))


def available_regions() -> tuple[str, ...]:
    """Regions with prices: shipped in the package or in the price cache."""
    from ._pricecache import cached_regions

    return tuple(sorted(set(shipped_regions()) | set(cached_regions())))


@lru_cache(maxsize=16)
def read_shipped(region: str) -> PriceTable:
    text = _price_dir().joinpath(f"{region}.yaml").read_text(encoding="utf-8")
    return _table(yaml.safe_load(text), origin="package")


def _table(raw: Mapping[str, Any], *, origin: str) -> PriceTable:
    items: dict[str, Price] = {}
    for item_id, spec in raw["items"].items():
        tiers = tuple(
            Tier(
                up_to_gb=None if t["up_to_gb"] is None else float(t["up_to_gb"]),
                usd_per_gb=float(t["usd_per_gb"]),
            )
            for t in spec.get("tiers", ())
        )
        by_destination = tuple(sorted(
            (str(region), float(rate)) for region, rate in spec.get("by_destination", {}).items()
        ))
        for destination, _rate in by_destination:
            if not REGION_NAME.match(destination) or destination == raw["region"]:
                raise ValueError(f"{item_id}: bad destination Region {destination!r}")
        items[item_id] = Price(
            id=item_id,
            value=float(spec["value"]),
            unit=str(spec["unit"]),
            source=str(spec["source"]),
            url=str(spec["url"]),
            as_of=str(spec["as_of"]),
            tiers=tiers,
            unverified=bool(spec.get("unverified", False)),
            origin=origin,
            sku=str(spec.get("sku", "")),
            by_destination=by_destination,
        )
    return PriceTable(
        region=str(raw["region"]),
        as_of=str(raw["as_of"]),
        items=items,
        hours_per_month=float(raw.get("hours_per_month", HOURS_PER_MONTH)),
    )


@lru_cache(maxsize=16)
def _read_cached(region: str, path: str, mtime_ns: int) -> PriceTable:
    """The cached file (keyed by its path and time: a fresh update is read again)."""
    from ._pricecache import read_cached

    raw = read_cached(region)
    if raw is None:
        raise InputError("the cached price file went away while reading it", where=path)
    try:
        return _table(raw, origin="cache")
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(f"damaged cached price file ({type(error).__name__}: {error}); run "
                         f"`archlib prices update --region {region}` again", where=path) from None


def _from_us_east_1(region: str) -> dict[str, Price]:
    """The ``no_sku`` items (no Price List product) for a Region without a shipped file: the
    us-east-1 values, labelled unverified unless the catalogue says they hold everywhere."""
    from ._catalogue import catalogue

    shipped = read_shipped("us-east-1").items
    items: dict[str, Price] = {}
    for spec in catalogue().items.values():
        if spec.no_sku is None or spec.id not in shipped:
            continue
        price = shipped[spec.id]
        if spec.no_sku.scope == "assumed":
            price = replace(price, unverified=True,
                            unit=f"{price.unit} (the us-east-1 rate, assumed for {region})")
        items[spec.id] = price
    return items


def _region_table(region: str) -> PriceTable | None:
    """The Region's table from the cache and the package, by precedence; None if neither
    has it."""
    from ._pricecache import cached_stamp

    stamp = cached_stamp(region)
    shipped = read_shipped(region) if region in shipped_regions() else None
    if stamp is None:
        if shipped is None:
            return None
        return replace(shipped, provenance="the prices shipped with archlib (no refreshed "
                       "cache)")
    cached = _read_cached(region, *stamp)
    fallback = dict(shipped.items) if shipped is not None else _from_us_east_1(region)
    filled = {k: v for k, v in fallback.items() if k not in cached.items}
    items = {**filled, **cached.items}
    shipped_note = ("the prices shipped with archlib" if shipped
                    else "the shipped us-east-1 values")
    provenance = (f"the AWS Price List cache for {region} (as of {cached.as_of}, "
                  f"{len(cached.items)} items), then {shipped_note} for the {len(filled)} "
                  "items it does not have")
    # as_of: the Price List's publication date (the filled-in items keep their own as_of)
    return replace(cached, items=items, provenance=provenance)


def _age_warning(table: PriceTable, today: dt.date | None = None) -> str:
    from ._pricecache import MAX_AGE_ENV, max_age_days

    limit = max_age_days()
    try:
        published = dt.date.fromisoformat(table.as_of)
    except ValueError:
        return ""
    age = ((today or dt.date.today()) - published).days
    if limit == 0 or age <= limit:
        return ""
    return (f"The prices for {table.region} are {age} days old (as of {table.as_of}; the "
            f"warning starts after {limit} days, {MAX_AGE_ENV}): run `archlib prices update "
            f"--region {table.region}`.")


def _override(base: Price, value: Any, *, field_name: str) -> Price:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"price must be a number (got {value!r})", field=field_name)
    if not 0 <= value <= MAX_PRICE_USD:  # NaN fails both comparisons
        raise InputError(f"price must be a number from 0 to {MAX_PRICE_USD:,.0f} USD "
                         f"(got {value!r})", field=field_name)
    # An override replaces the whole item, tiers and destinations included: the user states
    # one flat rate.
    return replace(
        base, value=float(value), tiers=(), by_destination=(), overridden=True,
        source="archlib-override", url="README.md#scenario-files", unverified=False,
        origin="override", sku="",
    )


def load_prices(region: str, overrides: Mapping[str, Any] | None = None) -> PriceTable:
    """The price table for ``region`` with a scenario's overrides applied.

    Raises :class:`InputError` for an unknown Region or an unknown or invalid override.
    """
    overrides = dict(overrides or {})
    if not REGION_NAME.fullmatch(region):
        raise InputError(
            f"{region!r} is not an AWS Region name (like us-east-1)", field="region"
        )
    found = _region_table(region)
    if found is not None:
        table = replace(found, age_warning=_age_warning(found))
    elif overrides:
        # No price file: the scenario's `prices:` are the whole table; a cost model that
        # needs a missing item raises an InputError naming it.
        template = read_shipped("us-east-1")
        table = replace(template, region=region, as_of="scenario", items={},
                        provenance="the scenario's `prices:` only (no price file)")
    else:
        raise InputError(
            f"no prices for Region {region!r} (prices exist for "
            f"{', '.join(available_regions())}): run `archlib prices update --region {region}`, "
            "or give the prices under the scenario's `prices:` (item ids as in us-east-1.yaml)",
            field="region",
        )
    catalogue = read_shipped("us-east-1").items
    items = dict(table.items)
    for item_id, value in sorted(overrides.items()):
        if item_id not in catalogue:
            raise InputError(
                f"unknown price item (known: {', '.join(sorted(catalogue))})",
                field=f"prices.{item_id}",
            )
        base = items.get(item_id, replace(catalogue[item_id], as_of="scenario"))
        items[item_id] = _override(base, value, field_name=f"prices.{item_id}")
    return replace(table, items=items)
