"""Human labels for parameters: a parameter's name in words with its unit, read from the
model (``title``, ``json_schema_extra["unit"]``, description, bounds). Shared by the explorer's
controls and the report's sentences; no widget imports here."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ._model import field_bounds

__all__ = ["parameter_label", "parameter_words"]

#: How a word of a parameter name reads in a label.
_WORDS = {"vpc": "VPC", "az": "AZ", "gb": "GB", "tgw": "Transit Gateway", "dns": "DNS",
          "ttl": "TTL", "rto": "RTO", "rpo": "RPO", "dr": "DR", "lb": "load balancer",
          "sddc": "SDDC", "fsx": "FSx", "sios": "SIOS", "cidr": "CIDR", "vcpus": "vCPUs",
          "s3": "S3", "sql": "SQL", "dx": "Direct Connect", "id": "ID", "vpn": "VPN",
          "bgp": "BGP", "p50": "p50", "quicksight": "QuickSight", "redshift": "Redshift",
          "aws": "AWS", "region": "Region", "ok": "OK"}
#: Two-word phrases written with a hyphen or as a proper name.
_PHRASES = {"on_prem": "on-premises", "on_premises": "on-premises",
            "cross_region": "cross-Region", "cross_vpc": "cross-VPC", "cross_az": "cross-AZ",
            "east_west": "east-west", "intra_vpc": "intra-VPC", "intra_az": "intra-AZ",
            "same_az": "same-AZ", "third_party": "third-party",
            "transit_gateway": "Transit Gateway"}
#: Unit words at the end of (or inside) a name, and how the unit reads.
_UNIT_WORDS = {"gbps": "Gbps", "mbps": "MBps", "seconds": "s", "ms": "ms"}
#: Words after which a volume label reads "Data ...": ``monthly_gb_on_prem``.
_DATA_PREFIXED = {"in", "to", "from", "on-premises", "cross-Region", "cross-VPC"}


def _unit(tokens: list[str], description: str, annotation: Any,
          bounds: tuple[float | None, bool, float | None, bool]) -> tuple[str, list[str]]:
    """The unit a parameter is in, read from its name (``_gbps``, ``_seconds``, ``_usd``,
    ``monthly_gb``) and description ("GB/month", "GiB"), and the name's other words."""
    for word, unit in _UNIT_WORDS.items():
        if word in tokens:
            return unit, [t for t in tokens if t != word]
    rest = [t for t in tokens if t not in ("usd", "gb", "monthly", "hourly")]
    if "usd" in tokens:
        monthly = "monthly" in tokens or "Monthly USD" in description
        return ("USD/month" if monthly else "USD/hour" if "hourly" in tokens else "USD"), rest
    if "gb" in tokens:
        monthly = ("monthly" in tokens or "GB/month" in description
                   or "GB per month" in description)
        return ("GB/month" if monthly else "GiB" if "GiB" in description else "GB"), rest
    low, _, high, _ = bounds
    if annotation is float and (low, high) == (0.0, 1.0):
        return "0-1", tokens
    return "", tokens


def parameter_label(name: str, info: FieldInfo, annotation: Any | None = None) -> str:
    """A parameter's label: its model ``title`` (and ``json_schema_extra["unit"]``) when it
    declares them, else its name in words with acronyms and a unit read from the name and
    description: ``monthly_gb_on_prem`` reads "Data on-premises (GB/month)"."""
    description = info.description or ""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    declared_unit = extra.get("unit")
    kind = info.annotation if annotation is None else annotation
    unit, tokens = _unit(name.split("_"), description, kind, field_bounds(info.metadata))
    if isinstance(declared_unit, str):
        unit = declared_unit
    if info.title:
        label = info.title
    else:
        text = "_".join(tokens)
        for phrase, written in _PHRASES.items():  # "~": a space kept inside one word
            text = re.sub(rf"(?<![a-z0-9]){phrase}(?![a-z0-9])", written.replace(" ", "~"),
                          text)
        words = [_WORDS.get(w, w).replace("~", " ") for w in text.split("_") if w]
        if unit.startswith("GB") and (not words or words[0] in _DATA_PREFIXED):
            words = ["data", *words]
        if unit == "Gbps" and not {"throughput", "bandwidth", "flow"} & set(tokens):
            words.append("throughput")
        label = " ".join(words)
        if label[:1].islower() and not label.startswith(("vCPUs", "p50")):
            label = label[:1].upper() + label[1:]
    return f"{label} ({unit})" if unit else label


def parameter_words(model: type[BaseModel], name: str) -> str:
    """A parameter in running prose: its label without the unit, first letter lower-cased
    unless it is an acronym (``monthly_gb_on_prem``: "data on-premises"); a name the model
    does not have is returned as it is."""
    info = model.model_fields.get(name)
    if info is None:
        return name
    label = parameter_label(name, info)
    words = re.sub(r" \([^()]*\)$", "", label)
    if len(words) > 1 and words[0].isupper() and not words[1].isupper():
        words = words[0].lower() + words[1:]
    return words
