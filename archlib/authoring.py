"""Everything a decision module needs, in one public module (README, "Adding a decision").

A decision module imports from here only::

    from archlib.authoring import Criterion, Decision, DecisionParams, Option, Rule, ...

:class:`Decision` checks itself when it is constructed (in the manner of scikit-criteria's
validating constructors) and raises :class:`DecisionSpecError` naming the first mistake: an
option id in a rule that does not exist, an unknown source id, a price item the shipped price
file lacks, a diagram node kind that does not resolve, criteria values that miss an option or
a criterion. The notebook's name follows from the id; the criterion ids from ``criteria``.
"""

from __future__ import annotations

from ._checks import node_kind_problem
from ._decision import (
    CostModel,
    CriteriaModel,
    Decision,
    DecisionSpecError,
    ExtraOutputs,
    PlacementModel,
    criterion_value,
    find_option,
    monthly_total,
)
from ._errors import InputError
from ._extras import ExtraOutput, Placements
from ._model import (
    MAX_WEIGHT,
    Action,
    Assumption,
    Cluster,
    Criterion,
    DecisionParams,
    DiagramSpec,
    Edge,
    Judgement,
    Node,
    NotebookSection,
    Option,
    Placement,
    Rule,
)
from ._prices import HOURS_PER_MONTH, Price, PriceTable, Tier, load_prices
from ._requirements import Requirement
from ._scoring import (
    JUDGEMENT_REASON,
    CostScale,
    JudgementScale,
    LinearScale,
    SatisficingScale,
    ValueScale,
)
from ._sweep import Sweep, SweepRow, sweep

__all__ = [
    "HOURS_PER_MONTH",
    "JUDGEMENT_REASON",
    "MAX_WEIGHT",
    "Action",
    "Assumption",
    "Cluster",
    "CostModel",
    "CostScale",
    "CriteriaModel",
    "Criterion",
    "Decision",
    "DecisionParams",
    "DecisionSpecError",
    "DiagramSpec",
    "Edge",
    "ExtraOutput",
    "ExtraOutputs",
    "InputError",
    "Judgement",
    "JudgementScale",
    "LinearScale",
    "Node",
    "NotebookSection",
    "Option",
    "Placement",
    "PlacementModel",
    "Placements",
    "Price",
    "PriceTable",
    "Requirement",
    "Rule",
    "SatisficingScale",
    "Sweep",
    "SweepRow",
    "Tier",
    "ValueScale",
    "criterion_value",
    "find_option",
    "load_prices",
    "monthly_total",
    "node_kind_problem",
    "sweep",
]
