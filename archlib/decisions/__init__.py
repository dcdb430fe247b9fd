"""The registry of decisions, by id. Adding a decision: write its module, add one line here
(or, for a decision outside archlib, :func:`register` it in its module, which the command line
imports from ``ARCHLIB_DECISIONS`` or ``--decisions-module``: :func:`import_modules`)."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from ..authoring import Decision, DecisionSpecError, InputError
from . import (
    az_affinity,
    dr_strategy,
    egress_inspection,
    hybrid_connectivity,
    quicksight,
    s3_endpoints,
    sqlserver_ha_dr,
    vmware_sddc,
)

__all__ = ["MODULES_ENV", "Decision", "all_decisions", "get", "ids", "import_modules",
           "register"]

#: The environment variable naming decision modules of your own for the ``archlib``
#: command (comma- or space-separated), as ``--decisions-module`` does.
MODULES_ENV = "ARCHLIB_DECISIONS"

_REGISTRY: dict[str, Decision[Any]] = {
    d.id: d
    for d in (
        s3_endpoints.DECISION,
        quicksight.DECISION,
        vmware_sddc.DECISION,
        sqlserver_ha_dr.DECISION,
        egress_inspection.DECISION,  # issue 22
        az_affinity.DECISION,  # issue 22
        hybrid_connectivity.DECISION,  # issue 22 (b)
        dr_strategy.DECISION,  # issue 22 (b)
    )
}


def register(decision: Decision[Any]) -> Decision[Any]:
    """Add a decision defined outside archlib (README, "Adding a decision"); returns it.

    Its functions must be module-level (so evaluations pickle and reports can hand them to
    worker processes) and its id new: otherwise :class:`DecisionSpecError`."""
    from .._checks import check_portable

    check_portable(decision)
    known = _REGISTRY.get(decision.id)
    if known is not None and known is not decision:
        raise DecisionSpecError(f"decision {decision.id!r}: that id is already registered")
    _REGISTRY[decision.id] = decision
    return decision


def import_modules(names: Iterable[str], *, where: str = "") -> tuple[str, ...]:
    """Import each decision module named in ``names`` (each a module name, or several
    separated by commas or spaces), which registers its decisions; returns the module names.
    A module that is not found, or fails to import or to build its decision, is an
    :class:`InputError` naming it."""
    modules = [m for name in names for m in name.replace(",", " ").split()]
    for module in modules:
        try:
            importlib.import_module(module)
        except (ImportError, DecisionSpecError) as error:
            missing = error.name if isinstance(error, ModuleNotFoundError) else None
            if missing and (module == missing or module.startswith(f"{missing}.")):
                problem = (f"no decision module {module!r} (install it, or put the folder "
                           "holding it on PYTHONPATH)")
            else:  # the module is there, but it (or what it imports) fails
                problem = f"decision module {module!r} cannot be imported ({error})"
            raise InputError(problem, where=where) from None
    return tuple(modules)


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


for _decision in _REGISTRY.values():  # the bundled decisions are portable too
    from .._checks import check_portable

    check_portable(_decision)
