"""archlib.authoring: a Decision checks itself when constructed; every message is pinned by a
broken decision here (tests/decision_kit.py is the valid one each test breaks)."""

from __future__ import annotations

import ast
import pickle
import re
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import decision_kit as kit
import pytest

import archlib
from archlib import authoring, decisions
from archlib._engine import evaluate
from archlib.authoring import (
    Decision,
    DecisionSpecError,
    DiagramSpec,
    Node,
    Option,
    Rule,
    Sweep,
    node_kind_problem,
)
from archlib.decisions import quicksight

ARCHLIB = Path(archlib.__file__).parent


def _params_copy() -> type[kit.Params]:
    """A fresh parameters model (a decision binds its model to its criterion ids)."""
    return type("Params", (kit.Params,), {"__module__": kit.__name__})


def _closure_check() -> Any:
    def check(p: Any) -> str | None:
        return None
    return check


BROKEN: list[tuple[str, dict[str, Any], str]] = [
    ("bad id", {"id": "Kit_Example"},
     "decision 'Kit_Example': the id must be lower-case words joined by hyphens"),
    ("no options", {"options": (), "rules": ()}, "a decision needs at least one option"),
    ("duplicate option",
     {"options": (*kit.OPTIONS, Option("gateway", "again", "again"))},
     "option id 'gateway' is declared twice"),
    ("rule names unknown option",
     {"rules": (Rule("on-prem", "seed-s3-access-pattern", ("gatway",),
                     kit.on_prem_needs_interface),)},
     "rule 'on-prem' names unknown option 'gatway' (options: gateway, interface)"),
    ("warning names unknown option",
     {"warnings": (Rule("w", "seed-s3-access-pattern", ("nat",), kit.on_prem_needs_interface),)},
     "warning 'w' names unknown option 'nat'"),
    ("rule cites unknown source",
     {"rules": (Rule("on-prem", "no-such-source", ("gateway",), kit.on_prem_needs_interface),)},
     "rule 'on-prem' cites unknown source 'no-such-source' (add it to archlib/_sources.py)"),
    ("criterion cites unknown source",
     {"criteria": (kit.CRITERIA[0], replace(kit.CRITERIA[1], source="nowhere"))},
     "criterion 'reach' cites unknown source 'nowhere'"),
    ("duplicate criterion", {"criteria": (kit.CRITERIA[0], kit.CRITERIA[0])},
     "criterion id 'monthly_cost' is declared twice"),
    ("negative default weight",
     {"criteria": (kit.CRITERIA[0], replace(kit.CRITERIA[1], default_weight=-1.0))},
     "criterion 'reach': the default weight must be a finite number >= 0"),
    ("duplicate extra output",
     {"extra_outputs": (Sweep("grid", "A grid", {}), Sweep("grid", "Another grid", {}))},
     "extra output id 'grid' is declared twice (each is a notebook section, called by its "
     "id)"),
    ("decision cites unknown source", {"sources": ("seed-nothing",)},
     "the decision cites unknown source 'seed-nothing'"),
    ("unknown volume field", {"volume_fields": ("monthly_tb",)},
     "volume field 'monthly_tb' is not a parameter of Params"),
    ("price item not shipped", {"cost": kit.cost_reading},
     "the cost model reads price item 'no_such_price_hour', which the shipped price file "
     "(us-east-1.yaml) does not list"),
    ("criteria values miss a criterion", {"criteria_values": kit.criteria_missing},
     "criteria_values for option 'gateway' misses criterion 'reach'"),
    ("node kind does not resolve", {"diagram": kit.diagram_of_kind},
     "diagram of 'gateway', node 's3': unknown diagram node kind 'aws.storage.NoSuchBucket': "
     "no class 'NoSuchBucket' with an icon in diagrams.aws.storage"),
]


@pytest.mark.parametrize(("case", "change", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_decision_names_its_mistake(case: str, change: dict[str, Any],
                                             message: str) -> None:
    with pytest.raises(DecisionSpecError) as info:
        replace(kit.DECISION, params_model=_params_copy(), **change)
    assert message in str(info.value)
    assert str(info.value).startswith(f"decision {change.get('id', 'kit-example')!r}: ")


def test_the_valid_decision_evaluates() -> None:
    ev = evaluate(kit.DECISION)
    # gateway $0 vs interface 2 AZ x 730 h x $0.01 + 100 GB x $0.01 = $14.60 + $1.00
    assert ev.option("interface").monthly_cost_usd == pytest.approx(15.60)
    # gateway: 100 x (0.6 x 1 + 0.4 x (2 - 1) / 4) = 70.0; interface: 100 x (0.6 x 100 /
    # 115.6 + 0.4 x 1) = 91.90 (CostScale M / (M + c), judgement scale (x - 1) / 4)
    assert ev.option("gateway").score == pytest.approx(70.0)
    assert ev.option("interface").score == pytest.approx(100 * (0.6 * 100 / 115.6 + 0.4))
    assert ev.recommended == "interface"
    assert evaluate(kit.DECISION, {"needs_on_prem": True}).ranking == ("interface",)


def test_the_notebook_name_and_criterion_ids_are_derived() -> None:
    assert kit.DECISION.notebook == "kit_example.ipynb"
    assert quicksight.DECISION.notebook == "quicksight_connectivity.ipynb"
    assert kit.DECISION.criterion_ids == ("monthly_cost", "reach")
    # The decision checks weights against them: an unknown weight is an input error.
    with pytest.raises(archlib.InputError, match="unknown criterion 'speed'"):
        kit.DECISION.parse({"weights": {"speed": 1.0}})


@pytest.mark.parametrize(("kind", "problem"), [
    ("aws.storage.S3", None),
    ("aws.network.ELB", None),  # an alias in diagrams' source
    ("aws.storage", "is not a class path below 'diagrams.'"),
    ("AWS.storage.S3", "is not a class path below 'diagrams.'"),
    ("aws.nowhere.S3", "no class 'S3' with an icon in diagrams.aws.nowhere"),
    ("aws.network.Network", "no class 'Network' with an icon"),  # no such class
    ("aws._AWS", "is not a class path below 'diagrams.'"),
])
def test_node_kinds_resolve_without_importing_diagrams(kind: str, problem: str | None) -> None:
    found = node_kind_problem(kind)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_every_bundled_node_kind_resolves_in_drawing_too() -> None:
    """The text check agrees with drawing's real resolution for every kind in use."""
    from archlib.drawing import _node_class

    for decision in decisions.all_decisions():
        params = decision.params_model()
        for option in decision.option_ids:
            for node in decision.diagram(params, option).nodes:
                assert node_kind_problem(node.kind) is None
                assert _node_class(node.kind) is not None


@pytest.mark.parametrize(("function", "problem"), [
    (lambda p: None, "is a lambda"),
    (_closure_check(), "is a function defined inside another function (a closure)"),
])
def test_register_refuses_functions_that_do_not_pickle(function: Any, problem: str) -> None:
    broken = replace(kit.DECISION, params_model=_params_copy(), id="kit-closure",
                     rules=(Rule("r", "seed-s3-access-pattern", ("gateway",), function),))
    with pytest.raises(DecisionSpecError,
                       match=re.escape(f"rule 'r' {problem}: use a module-level")):
        decisions.register(broken)
    assert "kit-closure" not in decisions.ids()


def test_a_partial_of_a_module_level_function_is_portable() -> None:
    ok = replace(kit.DECISION, params_model=_params_copy(), id="kit-partial",
                 rules=(Rule("r", "seed-s3-access-pattern", ("gateway",),
                             partial(kit.on_prem_needs_interface)),))
    from archlib._checks import check_portable

    check_portable(ok)  # no error


def test_register_refuses_a_second_decision_with_a_known_id() -> None:
    with pytest.raises(DecisionSpecError, match="'s3-endpoints': that id is already "
                                                "registered"):
        decisions.register(replace(kit.DECISION, params_model=_params_copy(),
                                   id="s3-endpoints"))


@pytest.mark.parametrize("decision_id", decisions.ids())
def test_an_evaluation_of_every_decision_pickles(decision_id: str) -> None:
    ev = archlib.evaluate(decision_id)
    back = pickle.loads(pickle.dumps(ev))
    assert back.to_dict() == ev.to_dict()
    assert back.decision is decisions.get(decision_id)  # functions travel by reference
    assert back.options == ev.options and back.params == ev.params


def test_decision_modules_import_only_public_modules() -> None:
    for path in sorted((ARCHLIB / "decisions").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and path.name != "__init__.py":
                module = node.module or ""
                if module == "__future__":
                    continue
                assert not any(part.startswith("_") for part in module.split(".")), \
                    (path.name, module)
                assert node.level == 0 or module == "", (path.name, module)


def test_the_authoring_kit_lists_what_the_issue_names() -> None:
    wanted = {"Decision", "DecisionParams", "Option", "Rule", "Criterion", "Judgement",
              "Action", "Assumption", "Placement", "DiagramSpec", "Node", "Edge", "Cluster",
              "PriceTable"}
    assert wanted <= set(authoring.__all__)
    assert all(hasattr(authoring, n) for n in authoring.__all__)


def test_diagram_spec_is_plain_data() -> None:
    assert DiagramSpec("t", (Node("a", "A", "aws.storage.S3"),)).nodes[0].kind == \
        "aws.storage.S3"
    assert isinstance(kit.DECISION, Decision)
