"""The price catalogue: how each price item is found in the AWS Price List (issue 19).

``data/price_catalogue.yaml`` states, per item, the offer, the usage-type suffix, the
operation and attributes a product must have, the unit and the tier handling, or ``no_sku``
(no product exists). :func:`match` decides whether one product is an item's product: its
usagetype must be ``<prefix>-<suffix>`` or ``<suffix>`` exactly, the prefix being the billing
code of the Region the product itself names (never guessed from the usagetype's text), so
look-alikes such as ``RegionalNatGateway-Hours`` or ``EU-VpcEndpoint-GWLBE-Hours`` never match.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from ._errors import InputError
from ._yaml import load_yaml

__all__ = ["CATALOGUE_FILE", "Catalogue", "InterRegionSpec", "ItemSpec", "NoSku", "catalogue",
           "match"]

CATALOGUE_FILE = "archlib/data/price_catalogue.yaml"
TierMode = Literal["flat", "tiers", "first"]


@dataclass(frozen=True, slots=True)
class NoSku:
    scope: Literal["global", "assumed"]
    reason: str


@dataclass(frozen=True, slots=True)
class ItemSpec:
    id: str
    offer: str = ""
    usagetype: str | None = None
    exclude: tuple[str, ...] = ()
    operation: str | None = None
    family: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()
    region_attribute: str = "regionCode"
    unit: str = ""
    scale: Decimal = Decimal(1)
    tiers: TierMode = "flat"
    table: str | None = None  # "inter_region": the item is the inter-Region table
    same_as: str | None = None  # billed at another item's rate (copied from it)
    no_sku: NoSku | None = None
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class InterRegionSpec:
    offer: str
    from_attribute: str
    to_attribute: str
    attributes: tuple[tuple[str, str], ...]
    usagetype: str
    unit: str


@dataclass(frozen=True)
class Catalogue:
    items: Mapping[str, ItemSpec]
    region_prefixes: Mapping[str, tuple[str, ...]]
    inter_region: InterRegionSpec
    offers: tuple[str, ...] = field(default=())

    def priced(self) -> tuple[ItemSpec, ...]:
        """Items read from a Price List product (not ``no_sku``, not ``same_as``), in id
        order."""
        return tuple(s for _, s in sorted(self.items.items())
                     if s.no_sku is None and s.same_as is None)

    def copies(self) -> tuple[ItemSpec, ...]:
        """Items billed at another item's rate (``same_as``), in id order."""
        return tuple(s for _, s in sorted(self.items.items()) if s.same_as is not None)


def _text(raw: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or not value:
        raise InputError("must be a non-empty text", where=CATALOGUE_FILE, field=f"{where}.{key}")
    return value


def _pairs(raw: Any, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, dict):
        raise InputError("must be a map", where=CATALOGUE_FILE, field=where)
    return tuple(sorted((str(k), str(v)) for k, v in raw.items()))


def _item(item_id: str, raw: Any) -> ItemSpec:
    where = f"items.{item_id}"
    if not isinstance(raw, dict):
        raise InputError("must be a map", where=CATALOGUE_FILE, field=where)
    if "no_sku" in raw:
        no = raw["no_sku"]
        if not isinstance(no, dict) or no.get("scope") not in ("global", "assumed"):
            raise InputError("no_sku needs scope: global or assumed", where=CATALOGUE_FILE,
                             field=where)
        return ItemSpec(item_id, no_sku=NoSku(no["scope"], _text(no, "reason", where)))
    evidence = str(raw.get("evidence", ""))
    if "same_as" in raw:
        return ItemSpec(item_id, same_as=_text(raw, "same_as", where), evidence=evidence)
    if "table" in raw:
        if raw["table"] != "inter_region":
            raise InputError("table must be inter_region", where=CATALOGUE_FILE, field=where)
        return ItemSpec(item_id, table="inter_region", evidence=evidence)
    tiers = raw.get("tiers", "flat")
    if tiers not in ("flat", "tiers", "first"):
        raise InputError("tiers must be flat, tiers or first", where=CATALOGUE_FILE,
                         field=f"{where}.tiers")
    return ItemSpec(
        item_id, offer=_text(raw, "offer", where),
        usagetype=raw.get("usagetype"), exclude=tuple(raw.get("exclude", ())),
        operation=raw.get("operation"), family=raw.get("family"),
        attributes=_pairs(raw.get("attributes", {}), f"{where}.attributes"),
        region_attribute=_text(raw, "region_attribute", where, "regionCode"),
        unit=_text(raw, "unit", where), scale=Decimal(str(raw.get("scale", 1))),
        tiers=tiers, evidence=evidence,
    )


def parse_catalogue(raw: Any) -> Catalogue:
    """A :class:`Catalogue` from the YAML document (checked; one-line errors)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("items"), dict):
        raise InputError("must be a map with items:", where=CATALOGUE_FILE)
    items = {str(k): _item(str(k), v) for k, v in raw["items"].items()}
    for spec in items.values():
        target = items.get(spec.same_as or "")
        if spec.same_as is not None and (target is None or target.offer == ""):
            raise InputError(f"same_as {spec.same_as!r} is not an item found in the Price List",
                             where=CATALOGUE_FILE, field=f"items.{spec.id}")
    prefixes = {str(r): tuple(str(p) for p in ps)
                for r, ps in dict(raw.get("region_prefixes", {})).items()}
    ir = raw.get("inter_region")
    if not isinstance(ir, dict):
        raise InputError("must be a map", where=CATALOGUE_FILE, field="inter_region")
    inter = InterRegionSpec(
        offer=_text(ir, "offer", "inter_region"),
        from_attribute=_text(ir, "from_attribute", "inter_region"),
        to_attribute=_text(ir, "to_attribute", "inter_region"),
        attributes=_pairs(ir.get("attributes", {}), "inter_region.attributes"),
        usagetype=_text(ir, "usagetype", "inter_region"), unit=_text(ir, "unit", "inter_region"))
    offers = sorted({s.offer for s in items.values() if s.offer} | {inter.offer})
    return Catalogue(items=items, region_prefixes=prefixes, inter_region=inter,
                     offers=tuple(offers))


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The committed catalogue (``archlib/data/price_catalogue.yaml``)."""
    text = resources.files("archlib").joinpath("data", "price_catalogue.yaml").read_text(
        encoding="utf-8")
    return parse_catalogue(load_yaml(text, where=CATALOGUE_FILE))


def _usagetype_matches(usagetype: str, suffix: str, prefixes: tuple[str, ...]) -> bool:
    # Anchored at both ends: the whole usagetype is the suffix, or one of the Region's own
    # billing codes, a dash and the suffix (P1, P3).
    return any(usagetype == (f"{p}-{suffix}" if p else suffix) for p in prefixes)


def match(spec: ItemSpec | InterRegionSpec, product: Mapping[str, Any], region: str,
          prefixes: Mapping[str, tuple[str, ...]]) -> bool:
    """Whether ``product`` (an offer file's ``products[sku]``) is ``spec``'s product in
    ``region``. For the inter-Region spec, ``region`` is the source Region."""
    attrs = product.get("attributes")
    if not isinstance(attrs, dict):
        return False
    region_attr: str
    suffix: str | None
    exclude: tuple[str, ...]
    family: str | None
    operation: str | None
    if isinstance(spec, InterRegionSpec):
        region_attr, suffix, exclude = spec.from_attribute, spec.usagetype, ()
        family = operation = None
    else:
        region_attr, suffix, exclude = spec.region_attribute, spec.usagetype, spec.exclude
        family, operation = spec.family, spec.operation
    if attrs.get(region_attr) != region:
        return False
    if any(attrs.get(k) != v for k, v in spec.attributes):
        return False
    if family is not None and product.get("productFamily") != family:
        return False
    if operation is not None and attrs.get("operation") != operation:
        return False
    usagetype = str(attrs.get("usagetype", ""))
    if any(word in usagetype for word in exclude):
        return False
    if suffix is None:
        return True
    if isinstance(spec, InterRegionSpec):
        # `<SRC>-<DST>-AWS-Out-Bytes`: the source's billing code first, then any one code.
        return any(usagetype.startswith(f"{p}-") and usagetype.endswith(f"-{suffix}")
                   for p in prefixes.get(region, ()) if p)
    return _usagetype_matches(usagetype, suffix, prefixes.get(region, ()))
