"""The checks a :class:`~archlib._decision.Decision` runs on itself when it is constructed.

Static checks (ids, options named by rules, source ids, volume fields) read only the
declaration. Dynamic checks call the decision's functions once with the parameters' defaults
(pure and cheap: no evaluation, no robustness): the cost model's price items must exist in the
shipped price file, criteria values must cover every option and criterion, every source an
action, assumption or judgement cites must exist, and every diagram node kind must resolve.
Node kinds are resolved by reading the ``diagrams`` package's source text, not by importing it
(importing it costs about a second; ``archlib list`` must stay fast).

Portability (module-level functions only, so an evaluation pickles) is checked by the
registry (:func:`check_portable`), not here: tests build throwaway decisions from closures.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import InputError
from ._extras import declared_outputs

if TYPE_CHECKING:
    from ._decision import Decision

__all__ = ["check_decision", "check_portable", "node_kind_problem"]

#: A decision id: lower-case words joined by hyphens (its notebook is the id with underscores).
_DECISION_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
#: A node kind: a class path below ``diagrams.`` (as :mod:`archlib.drawing` accepts it).
_KIND = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+\.[A-Za-z][A-Za-z0-9_]*\Z")
#: Fields every decision's parameters share (:class:`archlib.authoring.DecisionParams`).
_SHIPPED_REGION = "us-east-1"


def _fail(decision: Decision[Any], problem: str) -> None:
    from ._decision import DecisionSpecError

    raise DecisionSpecError(f"decision {decision.id!r}: {problem}")


def _duplicates(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for item in ids:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    return repeated


def check_decision(decision: Decision[Any]) -> None:
    """Raise :class:`~archlib._decision.DecisionSpecError` for the first inconsistency."""
    _check_static(decision)
    _check_dynamic(decision)


def _check_static(decision: Decision[Any]) -> None:
    from . import _sources

    if not _DECISION_ID.match(decision.id):
        _fail(decision, "the id must be lower-case words joined by hyphens (like "
                        "'s3-endpoints'): the notebook's name is derived from it")
    if not decision.options:
        _fail(decision, "a decision needs at least one option")
    option_ids = set(decision.option_ids)
    for repeated in _duplicates(decision.option_ids):
        _fail(decision, f"option id {repeated!r} is declared twice")
    if not decision.criteria:
        _fail(decision, "a decision needs at least one criterion")
    for repeated in _duplicates(decision.criterion_ids):
        _fail(decision, f"criterion id {repeated!r} is declared twice")
    for repeated in _duplicates(o.id for o in declared_outputs(decision)):
        _fail(decision, f"extra output id {repeated!r} is declared twice (each is a "
                        "notebook section, called by its id)")
    known = set(_sources.known())
    for kind, rules in (("rule", decision.rules), ("warning", decision.warnings)):
        # A rule id may repeat: one rule per option with the option in its check.
        for rule in rules:
            for option_id in rule.options:
                if option_id not in option_ids:
                    _fail(decision, f"{kind} {rule.id!r} names unknown option {option_id!r} "
                                    f"(options: {', '.join(decision.option_ids)})")
            if rule.source not in known:
                _fail(decision, f"{kind} {rule.id!r} cites unknown source {rule.source!r} "
                                "(add it to archlib/_sources.py)")
    for criterion in decision.criteria:
        if criterion.source not in known:
            _fail(decision, f"criterion {criterion.id!r} cites unknown source "
                            f"{criterion.source!r} (add it to archlib/_sources.py)")
        if not (math.isfinite(criterion.default_weight) and criterion.default_weight >= 0):
            _fail(decision, f"criterion {criterion.id!r}: the default weight must be a "
                            "finite number >= 0")
    for source in decision.sources:
        if source not in known:
            _fail(decision, f"the decision cites unknown source {source!r} (add it to "
                            "archlib/_sources.py)")
    fields = decision.params_model.model_fields
    for name in decision.volume_fields:
        if name not in fields:
            _fail(decision, f"volume field {name!r} is not a parameter of "
                            f"{decision.params_model.__name__}")


def _check_dynamic(decision: Decision[Any]) -> None:
    from . import _sources
    from ._decision import criterion_value
    from ._prices import read_shipped

    try:
        defaults = decision.params_model()
    except Exception as error:
        _fail(decision, f"{decision.params_model.__name__}() must validate with every "
                        f"parameter's default ({type(error).__name__})")
        return
    known = set(_sources.known())
    # the shipped file itself, not a user's price cache (nor the cache's Price List client)
    table = read_shipped(_SHIPPED_REGION).tracking()
    try:
        breakdowns = decision.cost(defaults, table)
    except InputError as error:
        item = error.field.removeprefix("prices.")
        _fail(decision, f"the cost model reads price item {item!r}, which the shipped price "
                        f"file ({_SHIPPED_REGION}.yaml) does not list")
        return
    for option_id in decision.option_ids:
        if option_id not in breakdowns:
            _fail(decision, f"the cost model returns no items for option {option_id!r}")
    for option_id in breakdowns:
        if option_id not in decision.option_ids:
            _fail(decision, f"the cost model returns unknown option {option_id!r}")
    monthly = {o: 0.0 for o in decision.option_ids}
    values = decision.criteria_values(defaults, monthly)
    for option_id in decision.option_ids:
        row = values.get(option_id)
        if row is None:
            _fail(decision, f"criteria_values returns nothing for option {option_id!r}")
            return
        for criterion_id in decision.criterion_ids:
            if criterion_id not in row:
                _fail(decision, f"criteria_values for option {option_id!r} misses criterion "
                                f"{criterion_id!r}")
        for criterion_id, value in row.items():
            if criterion_id not in decision.criterion_ids:
                _fail(decision, f"criteria_values for option {option_id!r} gives unknown "
                                f"criterion {criterion_id!r}")
            source = getattr(value, "source", None)
            if source is not None and source not in known:
                _fail(decision, f"the judgement of {criterion_id!r} for {option_id!r} cites "
                                f"unknown source {source!r}")
            criterion_value(value)
    cited = [(f"action for {o!r}", a.source) for o in decision.option_ids
             for a in decision.actions(defaults, o)]
    cited += [(f"assumption {a.id!r}", a.source) for a in decision.assumptions(defaults, table)]
    if decision.placements is not None:
        cited += [(f"placement of {p.service!r}", p.source)
                  for p in decision.placements(defaults, table)]
    for what, source in cited:
        if source not in known:
            _fail(decision, f"the {what} cites unknown source {source!r}")
    for option_id in decision.option_ids:
        for node in decision.diagram(defaults, option_id).nodes:
            problem = node_kind_problem(node.kind)
            if problem is not None:
                _fail(decision, f"diagram of {option_id!r}, node {node.id!r}: {problem}")


def node_kind_problem(kind: str) -> str | None:
    """Why ``kind`` names no diagrams node class with an icon (None: it does), read from the
    ``diagrams`` package's source files without importing them."""
    if not isinstance(kind, str) or not _KIND.match(kind):
        return (f"node kind {kind!r} is not a class path below 'diagrams.' (like "
                "'aws.storage.S3')")
    module, _, name = kind.rpartition(".")
    if name not in _icon_classes(module):
        return (f"unknown diagram node kind {kind!r}: no class {name!r} with an icon in "
                f"diagrams.{module}")
    return None


@functools.cache
def _icon_classes(module: str) -> frozenset[str]:
    """Class names with an ``_icon`` in ``diagrams.<module>``, and their aliases."""
    spec = importlib.util.find_spec("diagrams")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    base = Path(next(iter(spec.submodule_search_locations)))
    path = base.joinpath(*module.split(".")).with_suffix(".py")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    names = set(re.findall(r"^class (\w+)\([^)]*\):\n(?:[ \t]+.*\n)*?[ \t]+_icon = ", text,
                           re.MULTILINE))
    for alias, target in re.findall(r"^(\w+) = (\w+)\s*$", text, re.MULTILINE):
        if target in names:
            names.add(alias)
    return frozenset(names)


def _where(function: Callable[..., Any]) -> str | None:
    """Why ``function`` would not pickle by reference (None: it would)."""
    while isinstance(function, functools.partial):
        function = function.func
    qualname = getattr(function, "__qualname__", "")
    if "<lambda>" in qualname:
        return "a lambda"
    if "<locals>" in qualname:
        return "a function defined inside another function (a closure)"
    return None


def check_portable(decision: Decision[Any]) -> None:
    """Every function a decision holds is module-level (a ``functools.partial`` of one is
    fine), so an :class:`~archlib._engine.Evaluation` pickles and travels to a worker."""
    functions: list[tuple[str, Callable[..., Any] | None]] = [
        (name, getattr(decision, name)) for name in (
            "cost", "criteria_values", "actions", "assumptions", "diagram",
            "active_volumes", "placements")]
    functions += [(f"extra output {o.title!r} caption", getattr(o, "caption", None))
                  for o in decision.extra_outputs]
    functions += [(f"rule {r.id!r}", r.check) for r in (*decision.rules, *decision.warnings)]
    for what, function in functions:
        if function is None:
            continue
        problem = _where(function)
        if problem is not None:
            _fail(decision, f"{what} is {problem}: use a module-level function (or a "
                            "functools.partial of one) so evaluations pickle")
