"""The registry of decisions, by id. Adding a decision: write its module, add one line here."""

from __future__ import annotations

from typing import Any

from .._decision import Decision
from .._errors import InputError
from . import (
    dr_strategy,  # issue 22 (b)
    hybrid_connectivity,  # issue 22 (b)
    quicksight,
    s3_endpoints,
    sqlserver_ha_dr,
    vmware_sddc,
)

__all__ = ["Decision", "all_decisions", "get", "ids"]

_REGISTRY: dict[str, Decision[Any]] = {
    d.id: d
    for d in (
        s3_endpoints.DECISION,
        quicksight.DECISION,
        vmware_sddc.DECISION,
        sqlserver_ha_dr.DECISION,
        hybrid_connectivity.DECISION,  # issue 22 (b)
        dr_strategy.DECISION,  # issue 22 (b)
    )
}


def ids() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def all_decisions() -> tuple[Decision[Any], ...]:
    return tuple(_REGISTRY.values())


def get(decision_id: str) -> Decision[Any]:
    """The decision registered as ``decision_id``; an unknown id lists the known ones."""
    try:
        return _REGISTRY[decision_id]
    except (KeyError, TypeError):
        raise InputError(
            f"unknown decision {decision_id!r} (known: {', '.join(_REGISTRY)})",
            field="decision",
        ) from None
