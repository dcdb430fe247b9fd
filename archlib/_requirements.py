"""The requirements matrix: every hard requirement a decision's rules check, against every
option: met, not met or not applicable, with the numbers, and the rule and source that
decided it (issue 18, "a requirements matrix").

A decision may declare its requirements (``Decision.requirements``): which rules check each
one and how to state, for one option, what was measured against what ("estimated RTO 660 s,
target 120 s"). Rules no declared requirement names become one requirement each, titled
after the rule, with the rule's own message as the detail when it fires. So every decision
has a matrix without any change, and a decision module adds numbers by declaring a few
:class:`Requirement` values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal

from ._model import P

if TYPE_CHECKING:
    from ._engine import Evaluation

__all__ = ["Requirement", "RequirementCell", "RequirementRow", "Status",
           "declared_and_derived", "requirements_matrix"]

Status = Literal["met", "not met", "not applicable"]


@dataclass(frozen=True, slots=True)
class Requirement(Generic[P]):
    """A hard requirement, checked by the hard rules named in ``rules``. ``measure(params,
    option_id)`` states the option's number against the target, or returns None when the
    option has none (the rule's message then stands for it when the rule fires)."""

    id: str
    title: str
    rules: tuple[str, ...]
    measure: Callable[[P, str], str | None] | None = None


@dataclass(frozen=True, slots=True)
class RequirementCell:
    option: str
    status: Status
    detail: str  # the numbers, or the rule's message; "" when there is nothing to state
    rule: str | None  # the rule that decided it (None: no rule applies to this option)
    source: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"option": self.option, "status": self.status, "detail": self.detail,
                "rule": self.rule, "source": self.source}


@dataclass(frozen=True, slots=True)
class RequirementRow:
    id: str
    title: str
    cells: tuple[RequirementCell, ...]  # one per option, in the decision's order

    def cell(self, option_id: str) -> RequirementCell:
        for cell in self.cells:
            if cell.option == option_id:
                return cell
        raise KeyError(option_id)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "cells": [c.to_dict() for c in self.cells]}


def _title(rule_id: str) -> str:
    """``rto-target`` -> ``Rto target``: a readable name for an undeclared rule."""
    words = rule_id.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def declared_and_derived(decision: Any) -> tuple[Requirement[Any], ...]:
    """The decision's declared requirements, then one for each hard rule id none names."""
    declared: tuple[Requirement[Any], ...] = tuple(getattr(decision, "requirements", ()))
    covered = {rule for r in declared for rule in r.rules}
    derived: dict[str, Requirement[Any]] = {}
    for rule in decision.rules:
        if rule.id not in covered and rule.id not in derived:
            derived[rule.id] = Requirement(rule.id, _title(rule.id), (rule.id,))
    return (*declared, *derived.values())


def requirements_matrix(ev: Evaluation) -> tuple[RequirementRow, ...]:
    """One row per requirement, one cell per option: ``not met`` exactly when one of the
    requirement's rules fired for the option (the evaluation's violations), ``met`` when one
    applies and none fired, ``not applicable`` when none of its rules applies."""
    decision = ev.decision
    rows = []
    for requirement in declared_and_derived(decision):
        cells = []
        for option in ev.options:
            applicable = [r for r in decision.rules
                          if r.id in requirement.rules and option.id in r.options]
            fired = [v for v in option.violations if v.rule in requirement.rules]
            measured = (requirement.measure(ev.params, option.id)
                        if requirement.measure is not None and applicable else None)
            if fired:
                cells.append(RequirementCell(option.id, "not met", measured or fired[0].message,
                                             fired[0].rule, fired[0].source))
            elif applicable:
                cells.append(RequirementCell(option.id, "met", measured or "",
                                             applicable[0].id, applicable[0].source))
            else:
                cells.append(RequirementCell(option.id, "not applicable", "", None, None))
        rows.append(RequirementRow(requirement.id, requirement.title, tuple(cells)))
    return tuple(rows)
