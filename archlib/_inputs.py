"""Scenario plus overrides to an evaluation: the one path the CLI, decision records and the
API share. Error locations are attached here, once, where the file or the flag is known."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import decisions
from ._engine import Evaluation, evaluate
from ._errors import InputError
from ._scenario import Scenario, check_plain, load_scenario
from ._yaml import load_yaml

__all__ = ["evaluate_scenario", "parse_sets"]


def parse_sets(items: list[str]) -> list[tuple[str, str, Any]]:
    """``name=value`` pairs; values parse as YAML (``true``, ``3``, ``2.5``, ``[s3, rds]``).
    Returns (the item as given, dotted key, value)."""
    parsed = []
    for item in items:
        where = f"--set {item}"
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError("expected name=value", where=where)
        value = load_yaml(text, where=where, field=key) if text.strip() else ""
        check_plain(value, field_name=key, where=where)
        parsed.append((item, key, value))
    return parsed


def _merge(params: dict[str, Any], key: str, value: Any, where: str) -> None:
    head, dot, rest = key.partition(".")
    if not dot:
        params[head] = value
        return
    inner = params.get(head)
    if inner is None:
        inner = {}
    if not isinstance(inner, dict):
        raise InputError(f"{head} is not a map", where=where, field=key)
    inner = dict(inner)
    _merge(inner, rest, value, where)
    params[head] = inner


def evaluate_scenario(decision_id: str, scenario: str | Path | Scenario | None = None,
                      sets: Sequence[str] = (), exclude: Sequence[str] | None = None,
                      *, variant: str | None = None) -> Evaluation:
    """One decision of a scenario, with ``--set``-style overrides (``name=value``, the value
    as YAML; ``weights.<criterion>=N``; ``prices.<item>=USD``) and ``--exclude`` option ids:
    what ``archlib evaluate`` and ``archlib adr`` compute and print. ``scenario`` is a file,
    one already loaded, or None (the defaults); ``variant`` names one of the section's
    ``variants:`` (its overrides apply before ``sets``). An :class:`InputError` names the
    file and field, or the ``--set``/``--exclude`` item, that it comes from."""
    decision = decisions.get(decision_id)
    params: dict[str, Any] = {}
    prices: dict[str, Any] = {}
    where = ""
    if scenario is not None:
        loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        where = loaded.path
        if decision_id not in loaded.decisions:
            raise InputError(
                f"the scenario has no section for {decision_id!r} (it has: "
                f"{', '.join(loaded.decisions)})", where=where, field="decisions")
        params = dict(loaded.decisions[decision_id])
        prices = dict(loaded.prices)
        if variant is not None:
            params, prices = loaded.variant(decision_id, variant).applied(params, prices)
    elif variant is not None:
        raise InputError(f"variant {variant!r} needs a scenario", where="variant")
    set_keys: dict[str, str] = {}
    for item, key, value in parse_sets(list(sets)):
        if key.startswith("prices."):  # --set prices.<item>=USD overrides one price
            prices[key.removeprefix("prices.")] = value
            set_keys[key] = item
            continue
        _merge(params, key, value, f"--set {item}")
        set_keys[key.split(".")[0]] = item
    for option_id in exclude or []:
        try:
            decision.check_exclude([option_id])
        except InputError as error:
            raise InputError(error.problem, where=f"--exclude {option_id}",
                             field="exclude") from None
    try:
        return evaluate(decision, params, prices=prices, exclude=exclude or [])
    except InputError as error:
        root = error.field if error.field.startswith("prices.") else error.field.split(".")[0]
        if root in set_keys:
            raise InputError(error.problem, where=f"--set {set_keys[root]}",
                             field=error.field) from None
        raise error.located(where) from None
