"""Frozen types: what a decision declares, and what an evaluation returns."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ._money import cents

if TYPE_CHECKING:
    from ._scoring import ScaleSpec

__all__ = [
    "MAX_WEIGHT",
    "Action",
    "Assumption",
    "Cluster",
    "Criterion",
    "DecisionParams",
    "DiagramSpec",
    "Edge",
    "Judgement",
    "Node",
    "NotebookSection",
    "Option",
    "OptionResult",
    "P",
    "Placement",
    "Rule",
    "Violation",
    "field_bounds",
]

Direction = Literal["minimise", "maximise"]
#: The largest weight a criterion may get: any non-negative scale works (weights are
#: normalised), and a bound keeps their sum finite (issue 21, D10).
MAX_WEIGHT = 1_000_000.0


class DecisionParams(BaseModel):
    """Base of every decision's parameters: frozen, strict, unknown fields rejected.

    Subclasses declare ``criterion_ids`` so a ``weights`` entry for an unknown criterion is an
    input error.
    """

    # allow_inf_nan=False: no infinite or NaN number in any field reaches a cost model.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)
    criterion_ids: ClassVar[tuple[str, ...]] = ()

    weights: dict[str, float] = Field(
        default_factory=dict,
        description="Criterion weights (any non-negative scale up to 1,000,000; normalised "
        "to sum 1). "
        "Unset criteria keep their default weight.",
    )
    exclude: list[str] = Field(
        default_factory=list,
        description="Option ids excluded by you (policy): not scored or ranked, shown as "
        "excluded by you.",
    )
    cost_materiality_usd: float | None = Field(
        None, gt=0, le=1e9,
        description="Monthly USD at which the cost criterion's value halves (M in M / (M + "
        "cost)); unset: the decision's default.",
    )

    @field_validator("weights")
    @classmethod
    def _check_weights(cls, value: dict[str, float]) -> dict[str, float]:
        for name, weight in value.items():
            if cls.criterion_ids and name not in cls.criterion_ids:
                raise ValueError(
                    f"unknown criterion {name!r} (known: {', '.join(cls.criterion_ids)})"
                )
            if not 0 <= weight <= MAX_WEIGHT:  # NaN fails both comparisons
                raise ValueError(f"weight for {name!r} must be a number from 0 to "
                                 f"{MAX_WEIGHT:,.0f}")
        return value


P = TypeVar("P", bound=DecisionParams)


def field_bounds(metadata: Iterable[Any]) -> tuple[float | None, bool, float | None, bool]:
    """(low, low is exclusive, high, high is exclusive) of a numeric field, from the
    ``ge``/``gt``/``le``/``lt`` constraints in its pydantic ``metadata`` (None: unbounded):
    the one reading of a field's bounds (the explorer's controls, the break-even search)."""
    low: float | None = None
    high: float | None = None
    low_open = high_open = False
    for item in metadata:
        if getattr(item, "ge", None) is not None:
            low, low_open = float(item.ge), False
        if getattr(item, "gt", None) is not None:
            low, low_open = float(item.gt), True
        if getattr(item, "le", None) is not None:
            high, high_open = float(item.le), False
        if getattr(item, "lt", None) is not None:
            high, high_open = float(item.lt), True
    return low, low_open, high, high_open


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    title: str
    summary: str


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule that fired against an option (a violation, or a warning)."""

    rule: str
    message: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message, "source": self.source}


@dataclass(frozen=True, slots=True)
class Rule(Generic[P]):
    """A hard rule (or a warning) with its source.

    ``check`` returns the message when the rule fires for these parameters, else None.
    ``options`` are the option ids it applies to.
    """

    id: str
    source: str
    options: tuple[str, ...]
    check: Callable[[P], str | None]

    def fire(self, params: P, option_id: str) -> Violation | None:
        if option_id not in self.options:
            return None
        message = self.check(params)
        return None if message is None else Violation(self.id, message, self.source)


@dataclass(frozen=True, slots=True)
class Criterion:
    """A scoring criterion. ``scale`` is its value function (a scale from
    :mod:`archlib._scoring`, or a function of the decision's parameters returning one);
    ``scale_reason`` says in one line why that scale."""

    id: str
    title: str
    unit: str
    direction: Direction
    default_weight: float
    description: str
    source: str
    scale: ScaleSpec = field(kw_only=True)
    scale_reason: str = field(kw_only=True)


@dataclass(frozen=True, slots=True)
class Judgement:
    """A criterion value that is a judgement, not arithmetic: it carries its reason and source."""

    value: float
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class Action:
    text: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source}


@dataclass(frozen=True, slots=True)
class Assumption:
    id: str
    text: str
    source: str
    unverified: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "source": self.source,
                "unverified": self.unverified}


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one service a decision covers should live, why, and what it saves per month
    against the next-best placement (``None`` when the sources give no comparison)."""

    service: str
    placement: str
    reason: str
    source: str
    monthly_cost_difference_usd: float | None = None
    compared_with: str | None = None  # the next-best placement the difference is against

    def to_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "placement": self.placement,
            "reason": self.reason,
            "source": self.source,
            "monthly_cost_difference_usd": _usd(self.monthly_cost_difference_usd),
            "compared_with": self.compared_with,
        }


# --- diagrams as data --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    label: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Node:
    """``kind`` is a mingrammer diagrams class path below ``diagrams.``, e.g.
    ``aws.network.Endpoint``."""

    id: str
    label: str
    kind: str
    cluster: str | None = None


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    label: str = ""
    style: Literal["solid", "dashed"] = "solid"


@dataclass(frozen=True, slots=True)
class DiagramSpec:
    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    direction: Literal["LR", "TB"] = "LR"


@dataclass(frozen=True, slots=True)
class NotebookSection:
    """A section a decision adds to its generated notebook (``Decision.notebook_sections``):
    a Markdown cell, ``## title`` then ``text``, and code cells. Each code cell is one call
    over the notebook helpers (``nb``, :mod:`archlib.notebook`) on the evaluation ``ev``; a
    cell may import what it calls. ``after`` names the template section it follows (see
    :data:`archlib.notebook_template.SECTION_IDS`)."""

    title: str
    text: str  # Markdown; its line breaks are kept
    code: tuple[str, ...]
    after: str = "options"


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OptionResult:
    """One option, evaluated. Carries its intermediate numbers (normalised criteria and the
    weighted points each criterion contributed) besides what the JSON shows."""

    id: str
    title: str
    summary: str
    feasible: bool
    violations: tuple[Violation, ...]
    warnings: tuple[Violation, ...]
    score: float | None
    monthly_cost_usd: float | None
    cost_breakdown: Mapping[str, float | None]
    criteria: Mapping[str, float | None]  # None: unknown (scored as the worst; see README)
    criteria_basis: Mapping[str, Judgement] = field(default_factory=dict)
    normalised: Mapping[str, float] = field(default_factory=dict)  # value-scale values
    contributions: Mapping[str, float] = field(default_factory=dict)
    excluded: bool = False  # excluded by you (``exclude``): never scored or ranked
    dominated_by: tuple[str, ...] = ()  # ranked options that dominate this one (Pareto)

    @property
    def ranked(self) -> bool:
        """Scored and ranked: feasible and not excluded."""
        return self.feasible and not self.excluded

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "feasible": self.feasible,
            "excluded": self.excluded,
            "dominated_by": list(self.dominated_by),
            "violations": [v.to_dict() for v in self.violations],
            "warnings": [w.to_dict() for w in self.warnings],
            "score": None if self.score is None else round(self.score, 2),
            "monthly_cost_usd": _usd(self.monthly_cost_usd),
            "cost_breakdown": {k: _usd(v) for k, v in self.cost_breakdown.items()},
            "criteria": {k: None if v is None else round(v, 4)
                         for k, v in self.criteria.items()},
        }


def _usd(value: float | None) -> float | None:
    return None if value is None else cents(value)
