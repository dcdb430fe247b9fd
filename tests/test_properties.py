"""Properties of the scoring for every registered decision, over valid parameters drawn from
each decision's pydantic model (bounds from the fields' metadata, Literal choices, booleans,
lists of choices, optional numbers, weights). Profiles: tests/conftest.py.

1. Excluding a feasible option that is not recommended changes neither the recommendation
   nor the order of the others (independence from irrelevant options).
2. The recommendation is never dominated.
3. Evaluation is deterministic (the whole JSON, robustness included).
4. Raising a price that only one ranked option's cost uses never improves its rank.
5. The verdict is ``clear`` whenever the recommendation dominates every other option.
"""

from __future__ import annotations

import types
from typing import Any, Literal, Union, get_args, get_origin

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import archlib
from archlib import InputError, decisions
from archlib._decision import Decision, monthly_total
from archlib._engine import _evaluate, with_price
from archlib._model import DecisionParams
from archlib._robustness import RobustnessSettings

DECISIONS = decisions.all_decisions()
IDS = [d.id for d in DECISIONS]
#: Robustness samples where a property needs the robustness (determinism, verdict): fewer
#: than the default 10,000 keep the suite fast; the method is the same at any count.
SAMPLES = 200
#: Each property must have checked at least this many drawn cases (not all rejected).
MIN_CHECKED = 10


class Checked:
    """Counts the drawn cases a property actually checked (after its ``assume`` calls)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1

    def enough(self) -> bool:
        return self.count >= MIN_CHECKED
_BASE = set(DecisionParams.model_fields)


def _bounds(metadata: list[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in metadata:
        for name in ("ge", "gt", "le", "lt"):
            value = getattr(item, name, None)
            if value is not None:
                found[name] = value
    return found


def _number(kind: type, metadata: list[Any]) -> st.SearchStrategy[Any]:
    b = _bounds(metadata)
    if kind is int:
        low = b["ge"] if "ge" in b else b["gt"] + 1 if "gt" in b else 0
        high = b["le"] if "le" in b else b["lt"] - 1 if "lt" in b else low + 1000
        return st.integers(int(low), int(high))
    low = float(b.get("ge", b.get("gt", 0.0)))
    high = float(b.get("le", b.get("lt", low + 1000.0)))
    return st.floats(low, high, exclude_min="gt" in b, exclude_max="lt" in b,
                     allow_nan=False, allow_infinity=False)


def _field(annotation: Any, metadata: list[Any], default: Any) -> st.SearchStrategy[Any]:
    if annotation is bool:
        return st.booleans()
    if annotation in (int, float):
        return _number(annotation, metadata)
    if get_origin(annotation) is Literal:
        return st.sampled_from(get_args(annotation))
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        return st.lists(st.sampled_from(get_args(item)), unique=True)
    if get_origin(annotation) in (Union, types.UnionType):
        (inner,) = [a for a in get_args(annotation) if a is not type(None)]
        return st.none() | _field(inner, metadata, default)
    return st.just(default)  # e.g. the Region: one price file


def _weights(decision: Decision[Any]) -> st.SearchStrategy[dict[str, float]]:
    ids = [c.id for c in decision.criteria]
    drawn = st.fixed_dictionaries({c: st.sampled_from([0.0, 0.1, 0.5, 1.0, 2.0]) | st.floats(
        0.0, 5.0, allow_nan=False) for c in ids}).filter(lambda w: sum(w.values()) > 0)
    return st.just({}) | drawn


#: Cross-field constraints a model's validator enforces (a contradiction is an input error):
#: decision id -> {flag: the flag it needs}. Drawn cases are made consistent, so the strategy
#: stays valid and no property loses a quarter of its draws to ``assume``.
NEEDS: dict[str, dict[str, str]] = {
    # issue 15: reaching the VPCs through the existing Transit Gateway needs one
    "vmware-sddc": {"reach_via_existing_tgw": "existing_transit_gateway"},
    # issue 14: Direct Connect or VPN terminating on the Transit Gateway needs one
    "s3-endpoints": {"on_prem_via_transit_gateway": "transit_gateway"},
}


#: Cross-field bounds a model's validator enforces: decision id -> {field: the field it may
#: not exceed}. A drawn value above its bound is clamped to it (same reason as ``NEEDS``).
AT_MOST: dict[str, dict[str, str]] = {
    # issue 22: affinity never adds AZ crossings
    "az-affinity": {"crossings_affinity": "crossings_cross_zone"},
    # issue 22: the largest single flow is part of the aggregate requirement
    "hybrid-connectivity": {"largest_flow_gbps": "required_gbps"},
}


def _consistent(decision_id: str, params: dict[str, Any]) -> dict[str, Any]:
    for flag, needed in NEEDS.get(decision_id, {}).items():
        if params[flag]:
            params = {**params, needed: True}
    for name, bound in AT_MOST.get(decision_id, {}).items():
        if params[name] > params[bound]:
            params = {**params, name: params[bound]}
    return params


def params_for(decision: Decision[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Valid parameters of ``decision``: every field of its model, in its domain (and
    consistent across fields, ``NEEDS``)."""
    fields = {
        name: _field(info.annotation, list(info.metadata), info.get_default())
        for name, info in decision.params_model.model_fields.items() if name not in _BASE
    }
    fields["weights"] = _weights(decision)
    fields["cost_materiality_usd"] = st.none() | st.floats(1.0, 100_000.0)
    return st.fixed_dictionaries(fields).map(lambda params: _consistent(decision.id, params))


def _evaluated(decision: Decision[Any], params: dict[str, Any], **kwargs: Any
               ) -> archlib.Evaluation:
    try:
        return archlib.evaluate(decision.id, params, **kwargs)
    except InputError:  # a combination the model's own validators reject
        assume(False)
        raise


@pytest.mark.parametrize("decision", DECISIONS, ids=IDS)
def test_params_strategy_covers_every_field(decision: Decision[Any]) -> None:
    """The strategy draws every field of the model (a new field cannot be skipped), and what
    it draws validates."""
    @settings(max_examples=20)
    @given(params=params_for(decision))
    def check(params: dict[str, Any]) -> None:
        assert set(params) == set(decision.params_model.model_fields) - {"exclude"}
        decision.parse(params)

    check()


@pytest.mark.parametrize("decision", DECISIONS, ids=IDS)
def test_excluding_a_non_winner_changes_nothing_else(decision: Decision[Any]) -> None:
    checked = Checked()

    @given(params=params_for(decision), pick=st.integers(0, 10))
    def check(params: dict[str, Any], pick: int) -> None:
        ev = _evaluated(decision, params)
        assume(len(ev.ranking) >= 2)
        dropped = ev.ranking[1:][pick % (len(ev.ranking) - 1)]
        after = archlib.evaluate(decision.id, params, exclude=[dropped])
        assert after.recommended == ev.recommended
        assert list(after.ranking) == [o for o in ev.ranking if o != dropped]
        for option in after.ranking:
            assert after.option(option).score == ev.option(option).score
        checked()

    check()
    assert checked.enough(), checked.count


@pytest.mark.parametrize("decision", DECISIONS, ids=IDS)
def test_the_recommendation_is_never_dominated(decision: Decision[Any]) -> None:
    checked = Checked()

    @given(params=params_for(decision))
    def check(params: dict[str, Any]) -> None:
        ev = _evaluated(decision, params)
        assume(len(ev.ranking) >= 2)
        assert ev.option(ev.recommended or "").dominated_by == ()
        for option in ev.ranking:  # and a dominated option ranks below its dominators
            for better in ev.option(option).dominated_by:
                assert ev.ranking.index(better) < ev.ranking.index(option)
        checked()

    check()
    assert checked.enough(), checked.count


@pytest.mark.parametrize("decision", DECISIONS, ids=IDS)
def test_evaluation_is_deterministic(decision: Decision[Any]) -> None:
    @given(params=params_for(decision))
    def check(params: dict[str, Any]) -> None:
        first = _evaluated(decision, params, samples=SAMPLES).to_dict()
        assert archlib.evaluate(decision.id, dict(params), samples=SAMPLES).to_dict() == first

    check()


@pytest.mark.parametrize("decision", DECISIONS, ids=IDS)
def test_raising_a_price_only_one_option_uses_never_improves_its_rank(
        decision: Decision[Any]) -> None:
    checked = Checked()
    # Half the cases keep two options only (the rest excluded): in a decision where every
    # price is shared by several options (dr-strategy: the replica storage of pilot light,
    # warm standby and active/active), a pair leaves a price only one ranked option uses.
    ids = decision.option_ids
    pairs = st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True).map(
        lambda keep: [o for o in ids if o not in keep])
    exclusions = st.just([]) | pairs

    @given(params=params_for(decision), factor=st.floats(1.0, 100.0), excluded=exclusions)
    def check(params: dict[str, Any], factor: float, excluded: list[str]) -> None:
        ev = _evaluated(decision, {**params, "exclude": excluded})
        assume(len(ev.ranking) >= 2)
        before = decision.cost(ev.params, ev.prices)
        for item in sorted(i for i in ev.prices_used if ev.prices[i].value > 0):
            raised = with_price(ev.prices, item, ev.prices[item].value * factor)
            after = decision.cost(ev.params, raised)
            users = [o for o in ev.ranking
                     if monthly_total(before[o]) != monthly_total(after[o])]
            if len(users) != 1:  # used by several ranked options, or by none
                continue
            (user,) = users
            again = _evaluate(decision, ev.params, raised, {}, RobustnessSettings())
            assert again.ranking.index(user) >= ev.ranking.index(user), item
            checked()

    check()
    assert checked.enough(), checked.count


@pytest.mark.parametrize("decision", DECISIONS, ids=IDS)
def test_the_verdict_is_clear_when_one_option_dominates_all_others(
        decision: Decision[Any]) -> None:
    """... and too close to call when another option equals it on every value (it dominates
    the rest or not): then nothing in the criteria decides, so ``deciding`` is empty."""
    checked = Checked()

    @given(params=params_for(decision))
    def check(params: dict[str, Any]) -> None:
        ev = _evaluated(decision, params, samples=SAMPLES)
        assume(ev.recommended is not None)
        others = ev.ranking[1:]
        best = ev.option(ev.recommended).normalised
        # options equal to the recommendation on every value: no weighting separates them
        twins = [o for o in others if ev.option(o).normalised == best]
        rest = [o for o in others if o not in twins]
        assert ev.verdict is not None and ev.verdict.reason
        if twins:
            assert ev.verdict.level == "too-close-to-call" and ev.verdict.deciding == ()
            assert all(ev.option(o).title in ev.verdict.reason for o in twins)  # by name
        if all(ev.recommended in ev.option(o).dominated_by for o in rest):
            if not twins:
                assert ev.verdict.level == "clear"
                assert ev.verdict.deciding == ()
            checked()
        elif not twins:  # a verdict is always one of the three levels, with a reason
            assert ev.verdict.level in ("clear", "leaning", "too-close-to-call")
            if ev.verdict.level != "clear":
                assert ev.verdict.deciding  # says what would decide it

    check()
    assert checked.enough(), checked.count
