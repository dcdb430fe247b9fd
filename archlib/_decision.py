"""What a decision module declares, tied together in one frozen object."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic

from pydantic import ValidationError

from ._errors import InputError, from_validation_error
from ._model import (
    Action,
    Assumption,
    Criterion,
    DiagramSpec,
    Judgement,
    NotebookSection,
    Option,
    P,
    Placement,
    Rule,
)
from ._money import billed_total
from ._prices import PriceTable
from ._requirements import Requirement

__all__ = [
    "CostModel",
    "CriteriaModel",
    "Decision",
    "DecisionSpecError",
    "ExtraOutputs",
    "PlacementModel",
    "criterion_value",
    "find_option",
    "monthly_total",
]

def _registered(decision_id: str, module: str) -> Decision[Any]:
    """The registered decision ``decision_id``, once ``module`` (its decision module, which
    registers it on import when it lives outside archlib) is imported: how a decision
    unpickles in a report's worker process."""
    import importlib

    from . import decisions

    if decision_id not in decisions.ids():
        importlib.import_module(module)
    return decisions.get(decision_id)


def find_option(options: Iterable[Option], option_id: str, decision_id: str) -> Option:
    """The option with this id; a KeyError naming the known ids otherwise (usable in a
    decision module before its :class:`Decision` exists, e.g. by its diagram)."""
    options = tuple(options)
    for option in options:
        if option.id == option_id:
            return option
    raise KeyError(f"unknown option {option_id!r} for {decision_id} "
                   f"(known: {', '.join(o.id for o in options)})")


class DecisionSpecError(ValueError):
    """A decision module declares something inconsistent (an unknown option, source, price
    item or diagram node kind...): raised when the :class:`Decision` is constructed, so the
    mistake shows at import, not when something renders."""

def monthly_total(breakdown: Mapping[str, float | None]) -> float | None:
    """An option's monthly cost from its itemised breakdown: the sum of its items rounded to
    the cent (the rule in :mod:`archlib._money`); None when any item is unknown."""
    return billed_total(breakdown)


def criterion_value(value: float | Judgement | None) -> float | None:
    """The number a criterion value scores with: a Judgement's value, None when unknown."""
    if value is None:
        return None
    return float(value.value) if isinstance(value, Judgement) else float(value)


#: option id -> {cost item: monthly USD, or None when unknown}
CostModel = Callable[[P, PriceTable], dict[str, dict[str, float | None]]]
#: (params, monthly cost per option) -> option id -> criterion id -> raw value, Judgement, or
#: None when unknown (e.g. a cost with a price the user did not give): scored as the worst
CriteriaModel = Callable[
    [P, Mapping[str, float | None]], dict[str, dict[str, float | Judgement | None]]
]
#: (params, prices) -> where each service the decision covers should live
PlacementModel = Callable[[P, PriceTable], tuple[Placement, ...]]
#: the decision's extra outputs (grids...), each an :class:`archlib._extras.ExtraOutput`
ExtraOutputs = tuple[Any, ...]


@dataclass(frozen=True)
class Decision(Generic[P]):
    """One decision: the question, its parameters model, options, sourced rules, criteria,
    a pure cost model, and how to draw and configure each option."""

    id: str
    title: str
    question: str
    params_model: type[P]
    options: tuple[Option, ...]
    rules: tuple[Rule[P], ...]
    warnings: tuple[Rule[P], ...]
    criteria: tuple[Criterion, ...]
    cost: CostModel[P]
    criteria_values: CriteriaModel[P]
    actions: Callable[[P, str], tuple[Action, ...]]
    assumptions: Callable[[P, PriceTable], tuple[Assumption, ...]]
    diagram: Callable[[P, str], DiagramSpec]
    #: parameters that are traffic volumes (GB/month): scaled together for cost-vs-volume
    volume_fields: tuple[str, ...] = ()
    #: sources every evaluation of this decision cites (the guidance it encodes)
    sources: tuple[str, ...] = ()
    #: the volume fields that drive costs for given parameters (default: all of them)
    active_volumes: Callable[[P], tuple[str, ...]] | None = None
    #: per-service placements (``placements`` in the JSON); most decisions have none
    placements: PlacementModel[P] | None = None
    #: the hard requirements its rules check, with how to state each option's numbers (the
    #: requirements matrix, :mod:`archlib._requirements`); rules not named here become one
    #: requirement each
    requirements: tuple[Requirement[P], ...] = ()
    #: the generated notebook's opening paragraph (Markdown, line breaks kept); empty: the
    #: question and what the notebook shows (:mod:`archlib.notebook_template`)
    notebook_intro: str = ""
    #: sections of its own the decision adds to its generated notebook
    notebook_sections: tuple[NotebookSection, ...] = ()
    #: sections beyond the standard ones, such as a grid of the preferred option over some
    #: parameters (:class:`archlib.authoring.Sweep`), each drawn by one generic view in
    #: notebooks, reports, decision records and the explorer (:mod:`archlib._extras`)
    extra_outputs: ExtraOutputs = ()

    def __post_init__(self) -> None:
        from ._checks import check_decision  # the checks read sources and prices lazily

        check_decision(self)

    def __reduce_ex__(self, protocol: Any) -> Any:
        """A registered decision pickles by reference (its id), so an evaluation unpickled
        in a worker holds the very decision the registry has; any other, by value."""
        from . import decisions

        if self.id in decisions.ids() and decisions.get(self.id) is self:
            return (_registered, (self.id, self.cost.__module__))
        return object.__reduce_ex__(self, protocol)

    @property
    def notebook(self) -> str:
        """The decision's notebook file: its id with underscores (``s3-endpoints`` ->
        ``s3_endpoints.ipynb``)."""
        return self.id.replace("-", "_") + ".ipynb"

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    def volumes(self, params: P) -> tuple[str, ...]:
        """Volume parameters that costs depend on for these parameters."""
        if self.active_volumes is None:
            return self.volume_fields
        return self.active_volumes(params)

    def option(self, option_id: str) -> Option:
        return find_option(self.options, option_id, self.id)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    def parse(self, params: Mapping[str, Any] | P | None = None, *, where: str = "") -> P:
        """Validate ``params`` (a mapping, or already a model) into this decision's model."""
        if isinstance(params, self.params_model):
            return params
        if params is not None and not isinstance(params, Mapping):
            raise InputError(
                f"parameters must be a mapping (got {type(params).__name__})", where=where
            )
        try:
            model = self.params_model.model_validate(dict(params or {}))
        except ValidationError as error:
            raise from_validation_error(error, where=where) from None
        for name in model.weights:  # the criterion ids come from ``criteria``, once
            if name not in self.criterion_ids:
                raise InputError(f"unknown criterion {name!r} (known: "
                                 f"{', '.join(self.criterion_ids)})", where=where,
                                 field="weights")
        self.check_exclude(model.exclude, where=where)
        return model

    def check_exclude(self, option_ids: Iterable[str], *, where: str = "") -> None:
        """An unknown option id in ``exclude`` is an :class:`InputError` listing the valid
        ids."""
        for option_id in option_ids:
            if option_id not in self.option_ids:
                raise InputError(
                    f"unknown option {option_id!r} to exclude (valid: "
                    f"{', '.join(self.option_ids)})", where=where, field="exclude")

    def excluding(self, params: P, option_ids: Iterable[str], *, where: str = "") -> P:
        """``params`` with ``option_ids`` added to its ``exclude`` list (checked)."""
        extra = [o for o in option_ids if o not in params.exclude]
        if not extra:
            return params
        self.check_exclude(extra, where=where)
        return params.model_copy(update={"exclude": [*params.exclude, *extra]})

    def region(self, params: P) -> str:
        return str(getattr(params, "region", "us-east-1"))
