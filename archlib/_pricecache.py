"""The price cache: one YAML file per Region written by ``archlib prices update`` (issue 19).

It lives in the user's cache directory (``platformdirs.user_cache_dir("archlib")/prices``),
or in the folder ``ARCHLIB_PRICE_CACHE`` names (tests use a temporary one). Files are written
through :func:`archlib._files.write_into` (temporary file, fsync, rename), so a reader or a
killed update never sees half a file. Read back with the strict YAML loader: a damaged file is
one clear error naming it, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ._errors import InputError
from ._files import write_into
from ._yaml import load_yaml

if TYPE_CHECKING:  # the Price List client (httpx) loads only to update prices
    from ._pricelist import RegionPrices

__all__ = ["CACHE_ENV", "DEFAULT_MAX_AGE_DAYS", "MAX_AGE_ENV", "cache_dir", "cached_regions",
           "cached_stamp", "max_age_days", "read_cached", "render_region", "write_region"]

#: Overrides the cache folder (README, "Prices").
CACHE_ENV = "ARCHLIB_PRICE_CACHE"
#: Days after which a price file gets a warning in reports; 0 turns the warning off.
MAX_AGE_ENV = "ARCHLIB_PRICE_MAX_AGE_DAYS"
#: A quarterly refresh plus a margin (cloudrift warns after 100 days: price-list.md 1.5).
DEFAULT_MAX_AGE_DAYS = 100


def cache_dir() -> Path:
    """The folder of cached price files (not created here)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_cache_dir("archlib", appauthor=False)) / "prices"


def max_age_days() -> int:
    text = os.environ.get(MAX_AGE_ENV, "").strip()
    if not text:
        return DEFAULT_MAX_AGE_DAYS
    if not text.isdigit():
        raise InputError(f"must be a whole number of days (got {text!r})", where=MAX_AGE_ENV)
    return int(text)


def cached_regions() -> tuple[str, ...]:
    folder = cache_dir()
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name.removesuffix(".yaml") for p in folder.iterdir()
                        if p.name.endswith(".yaml") and not p.name.startswith(".")))


def cached_stamp(region: str) -> tuple[str, int] | None:
    """(path, modification time in ns) of the Region's cached file, or None: the key under
    which its parsed table may be reused."""
    path = cache_dir() / f"{region}.yaml"
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError:
        return None


def read_cached(region: str) -> dict[str, Any] | None:
    """The cached file for ``region`` as a map (None if there is none)."""
    path = cache_dir() / f"{region}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the cached price file: {error}", where=str(path)) from None
    raw = load_yaml(text, where=str(path))
    if not isinstance(raw, dict) or raw.get("region") != region or not isinstance(
            raw.get("items"), dict):
        raise InputError("not a price file for this Region (run `archlib prices update "
                         f"--region {region}` again)", where=str(path))
    return raw


def render_region(prices: RegionPrices, units: Mapping[str, str], *, base: str,
                  fetched: dt.datetime) -> str:
    """The YAML text of one Region's cached file. ``units``: archlib's unit text per item
    (the shipped us-east-1 file's), so every Region says what a number means the same way."""
    from ._pricelist import PRICE_LIST_SOURCE

    items: dict[str, Any] = {}
    for item_id, item in sorted(prices.items.items()):
        entry: dict[str, Any] = {
            "value": item.value, "unit": units.get(item_id, f"USD per {item.aws_unit}"),
            "source": PRICE_LIST_SOURCE, "url": item.url, "as_of": item.as_of,
            "offer": item.offer, "sku": item.sku, "usagetype": item.usagetype,
            "aws_unit": item.aws_unit,
        }
        if item.tiers:
            entry["tiers"] = [{"up_to_gb": end, "usd_per_gb": rate} for end, rate in item.tiers]
        if item.by_destination:
            entry["by_destination"] = dict(item.by_destination)
        items[item_id] = entry
    doc = {
        "region": prices.region, "currency": "USD", "as_of": prices.as_of,
        "hours_per_month": 730, "fetched": fetched.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "from": base, "offers": dict(sorted(prices.offers.items())),
        "not_offered": list(prices.not_offered), "items": items,
    }
    header = (f"# Prices for {prices.region} from the AWS Price List, written by `archlib "
              "prices update`;\n# refresh it with that command rather than editing it.\n")
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def write_region(prices: RegionPrices, units: Mapping[str, str], *, base: str,
                 fetched: dt.datetime) -> Path:
    """Write the Region's file into the cache (temporary file and rename); its path."""
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    write_into(folder, f"{prices.region}.yaml",
               render_region(prices, units, base=base, fetched=fetched))
    return folder / f"{prices.region}.yaml"
