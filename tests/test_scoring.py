"""archlib._scoring: value scales, weights, weighted sum, Pareto and ranking.

Every expected number below is worked out by hand in the test (the method is the one in the
module docstring of archlib/_scoring.py and the README, "Scoring").
"""

from __future__ import annotations

import pytest

from archlib import InputError
from archlib._model import Criterion
from archlib._scoring import (
    CostScale,
    JudgementScale,
    LinearScale,
    SatisficingScale,
    ValueScale,
    criterion_score,
    dominated_by,
    rank,
    resolve_scales,
    resolve_weights,
    score,
)


def _crit(cid: str, direction: str = "maximise", weight: float = 1.0,
          scale: ValueScale | None = None) -> Criterion:
    return Criterion(cid, cid.title(), "units", direction,  # type: ignore[arg-type]
                     weight, "test criterion", "archlib-scoring",
                     scale=scale or JudgementScale(), scale_reason="test")


# --- value scales ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "direction", "expected"),
    [
        # (x - 1) / 4 to maximise, (5 - x) / 4 to minimise
        (1.0, "maximise", 0.0), (5.0, "maximise", 1.0), (4.0, "maximise", 0.75),
        (1.0, "minimise", 1.0), (5.0, "minimise", 0.0), (2.0, "minimise", 0.75),
        (3.0, "minimise", 0.5),
        # outside the scale: clamped
        (0.0, "maximise", 0.0), (6.0, "minimise", 0.0),
    ],
)
def test_judgement_scale(x: float, direction: str, expected: float) -> None:
    assert JudgementScale().value(x, direction) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("materiality", "cost", "expected"),
    [
        (100.0, 0.0, 1.0),  # 100 / 100
        (100.0, 100.0, 0.5),  # 100 / 200: value halves at the materiality
        (100.0, 15.0, 100 / 115),  # 0.869565...
        (100.0, 59.20, 100 / 159.2),  # 0.628141: the F1 interface endpoints
        (100.0, 300.0, 0.25),  # 100 / 400
        (2500.0, 2500.0, 0.5),
        (25.0, 1.0, 25 / 26),
    ],
)
def test_cost_scale(materiality: float, cost: float, expected: float) -> None:
    assert CostScale(materiality).value(cost, "minimise") == pytest.approx(expected)


def test_cost_scale_counts_a_gap_less_on_a_larger_bill() -> None:
    scale = CostScale(100.0)
    # $0 vs $15: 1 - 100/115 = 15/115 = 0.1304
    small = scale.value(0.0, "minimise") - scale.value(15.0, "minimise")
    assert small == pytest.approx(15 / 115)
    assert small == pytest.approx(0.13, abs=0.001)
    # $10,000 vs $10,015: 100/10100 - 100/10115 = 100 * 15 / (10100 * 10115) = 1.468e-5
    large = scale.value(10_000.0, "minimise") - scale.value(10_015.0, "minimise")
    assert large == pytest.approx(100 * 15 / (10_100 * 10_115))
    assert large == pytest.approx(1.47e-5, rel=0.01)


@pytest.mark.parametrize("bad", [0.0, -5.0, float("inf"), float("nan")])
def test_cost_scale_needs_a_positive_materiality(bad: float) -> None:
    with pytest.raises(ValueError):
        CostScale(bad)


@pytest.mark.parametrize(
    ("enough", "headroom", "expected"),
    [
        (2.0, 2.0, 1.0), (2.0, 25.0, 1.0),  # 2x and 25x are both enough
        (2.0, 10.0, 1.0),
        (2.0, 1.5, 0.5),  # (1.5 - 1) / (2 - 1)
        (2.0, 1.0, 0.0),  # just enough: no headroom
        (2.0, 0.8, 0.0),  # short of the requirement: clamped
        (3.0, 2.5, 0.75),  # (2.5 - 1) / (3 - 1)
    ],
)
def test_satisficing_scale(enough: float, headroom: float, expected: float) -> None:
    assert SatisficingScale(enough).value(headroom, "maximise") == pytest.approx(expected)


@pytest.mark.parametrize(
    ("best", "worst", "x", "expected"),
    [
        (0.0, 300.0, 0.0, 1.0), (0.0, 300.0, 300.0, 0.0),
        (0.0, 300.0, 30.0, 0.9),  # 1 - 30/300
        (0.0, 300.0, 120.0, 0.6),  # 1 - 120/300
        (0.0, 300.0, 400.0, 0.0),  # beyond the worst anchor: clamped
        (10.0, 0.0, 2.5, 0.25),  # a maximised quantity: best anchor above the worst
    ],
)
def test_linear_scale(best: float, worst: float, x: float, expected: float) -> None:
    assert LinearScale(best, worst).value(x, "minimise") == pytest.approx(expected)


def test_unknown_value_scores_zero_on_every_scale() -> None:
    for scale in (JudgementScale(), CostScale(100.0), SatisficingScale(), LinearScale(0, 1)):
        assert criterion_score(scale, None, "minimise") == 0.0


def test_values_are_quantised_so_float_noise_compares_equal() -> None:
    scale = CostScale(100.0)
    # 0.1 + 0.2 != 0.3 in floating point; after scoring the two costs are the same value
    assert 0.1 + 0.2 != 0.3
    assert criterion_score(scale, 0.1 + 0.2, "minimise") == criterion_score(scale, 0.3,
                                                                             "minimise")


def test_resolve_scales_applies_the_materiality_override() -> None:
    class P:
        cost_materiality_usd = 400.0
        rto = 60.0

    criteria = (_crit("cost", "minimise", scale=CostScale(100.0)),
                _crit("rto", "minimise", scale=lambda p: LinearScale(0.0, p.rto)))  # type: ignore[arg-type]
    scales = resolve_scales(criteria, P())
    assert scales["cost"] == CostScale(400.0)
    assert scales["rto"] == LinearScale(0.0, 60.0)  # anchors from the parameters


# --- resolve_weights -------------------------------------------------------------------------

CRITERIA = (
    _crit("cost", "minimise", 0.40, CostScale(100.0)),
    _crit("complexity", "minimise", 0.25),
    _crit("control", "maximise", 0.20),
    _crit("headroom", "maximise", 0.15, SatisficingScale(2.0)),
)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # defaults already sum to 1
        (None, {"cost": 0.40, "complexity": 0.25, "control": 0.20, "headroom": 0.15}),
        ({}, {"cost": 0.40, "complexity": 0.25, "control": 0.20, "headroom": 0.15}),
        # cost = 0: the rest (0.25 + 0.20 + 0.15 = 0.60) is renormalised
        ({"cost": 0}, {"cost": 0.0, "complexity": 0.25 / 0.60, "control": 0.20 / 0.60,
                       "headroom": 0.15 / 0.60}),
        # any non-negative scale: 1, 1, 1, 1 -> a quarter each
        ({"cost": 1, "complexity": 1, "control": 1, "headroom": 1},
         {"cost": 0.25, "complexity": 0.25, "control": 0.25, "headroom": 0.25}),
        # all weight on one criterion
        ({"cost": 0, "complexity": 0, "control": 5, "headroom": 0},
         {"cost": 0.0, "complexity": 0.0, "control": 1.0, "headroom": 0.0}),
        # cost = 1.6 with the others at default: total 1.6 + 0.6 = 2.2
        ({"cost": 1.6}, {"cost": 1.6 / 2.2, "complexity": 0.25 / 2.2, "control": 0.20 / 2.2,
                         "headroom": 0.15 / 2.2}),
    ],
)
def test_resolve_weights(overrides: dict[str, float] | None, expected: dict[str, float]) -> None:
    weights = resolve_weights(CRITERIA, overrides)
    assert weights == pytest.approx(expected)
    assert sum(weights.values()) == pytest.approx(1.0)


def test_default_weights_not_summing_to_one_are_normalised() -> None:
    criteria = (_crit("a", weight=3.0), _crit("b", weight=1.0))
    assert resolve_weights(criteria) == pytest.approx({"a": 0.75, "b": 0.25})  # 3/4, 1/4


def test_resolve_weights_rejects_weights_that_sum_to_zero() -> None:
    with pytest.raises(InputError) as info:
        resolve_weights(CRITERIA, {"cost": 0, "complexity": 0, "control": 0, "headroom": 0})
    assert (info.value.field, info.value.problem) == (
        "weights", "at least one weight must be greater than 0")


@pytest.mark.parametrize(("weights", "line"), [
    ({"nosuch": 1.0}, "weights: unknown criterion 'nosuch' (known: monthly_cost, "
                      "operational_complexity, private_path_control, throughput_headroom)"),
    ({"monthly_cost": -0.1}, "weights: weight for 'monthly_cost' must be a number from 0 to "
                             "1,000,000"),
    # no infinite or NaN number in any field (the model's allow_inf_nan=False)
    ({"monthly_cost": float("nan")}, "weights.monthly_cost: Input should be a finite number "
                                     "(got nan)"),
    ({"monthly_cost": float("inf")}, "weights.monthly_cost: Input should be a finite number "
                                     "(got inf)"),
])
def test_weights_are_checked_once_when_parsed(weights: dict[str, float], line: str) -> None:
    """Names and values are checked where the parameters are parsed (the model and
    ``Decision.parse``), before resolve_weights sees them."""
    from archlib.decisions import s3_endpoints

    with pytest.raises(InputError) as info:
        s3_endpoints.DECISION.parse({"weights": weights}, where="s.yaml")
    assert str(info.value).startswith("s.yaml: ") and line in str(info.value)


# --- score -----------------------------------------------------------------------------------


def test_score_hand_built_matrix() -> None:
    criteria = (_crit("cost", "minimise", 0.5, CostScale(10.0)), _crit("speed", "maximise", 0.5))
    matrix = {
        "a": {"cost": 10.0, "speed": 1.0},
        "b": {"cost": 30.0, "speed": 3.0},
        "c": {"cost": 0.0, "speed": 2.0},
    }
    table = score(matrix, criteria, resolve_weights(criteria))
    # cost M=10: a 10/20 = 0.5, b 10/40 = 0.25, c 1; speed (x-1)/4: a 0, b 0.5, c 0.25
    assert table.normalised["a"] == pytest.approx({"cost": 0.5, "speed": 0.0})
    assert table.normalised["b"] == pytest.approx({"cost": 0.25, "speed": 0.5})
    assert table.normalised["c"] == pytest.approx({"cost": 1.0, "speed": 0.25})
    assert table.contributions["b"] == pytest.approx({"cost": 12.5, "speed": 25.0})
    assert table.scores == pytest.approx({
        "a": 100 * (0.5 * 0.5 + 0.5 * 0.0),  # 25
        "b": 100 * (0.5 * 0.25 + 0.5 * 0.5),  # 37.5
        "c": 100 * (0.5 * 1.0 + 0.5 * 0.25),  # 62.5
    })
    assert table.ranking() == ["c", "b", "a"]


def test_an_options_score_does_not_depend_on_the_others() -> None:
    """The rank-reversal fix: under min-max an expensive third option stretched the cost
    scale; on fixed scales removing it changes nobody's score."""
    criteria = (_crit("cost", "minimise", 0.4, CostScale(100.0)),
                _crit("control", "maximise", 0.6))
    three = {"gateway": {"cost": 0.0, "control": 4.0},
             "interface": {"cost": 59.2, "control": 5.0},
             "central": {"cost": 214.1, "control": 5.0}}
    two = {k: v for k, v in three.items() if k != "central"}
    weights = resolve_weights(criteria)
    with_third, without = score(three, criteria, weights), score(two, criteria, weights)
    for option in two:
        assert with_third.scores[option] == without.scores[option]
    # gateway: 40 * 1 + 60 * 0.75 = 85; interface: 40 * 100/159.2 + 60 * 1 = 85.1256
    assert without.scores["gateway"] == pytest.approx(85.0)
    assert without.scores["interface"] == pytest.approx(40 * 100 / 159.2 + 60.0)


def test_score_with_unequal_weights() -> None:
    criteria = (_crit("cost", "minimise", 3.0, CostScale(100.0)), _crit("speed", "maximise", 1.0))
    matrix = {"a": {"cost": 0.0, "speed": 1.0}, "b": {"cost": 100.0, "speed": 5.0}}
    table = score(matrix, criteria, resolve_weights(criteria))
    # weights 0.75 / 0.25: a = 75 * 1 + 25 * 0 = 75; b = 75 * 0.5 + 25 * 1 = 62.5
    assert table.scores == pytest.approx({"a": 75.0, "b": 62.5})


def test_score_of_no_options_is_empty() -> None:
    table = score({}, CRITERIA, resolve_weights(CRITERIA))
    assert dict(table.scores) == {}
    assert table.ranking() == []


# Property-style checks over hand-built matrices: scores stay in 0..100, and an option at the
# best anchor of every scale scores 100.
MATRICES = [
    {  # x: free, least complex, most control, ample headroom
        "x": {"cost": 0.0, "complexity": 1.0, "control": 5.0, "headroom": 10.0},
        "y": {"cost": 50.0, "complexity": 3.0, "control": 3.0, "headroom": 4.0},
        "z": {"cost": 100.0, "complexity": 5.0, "control": 1.0, "headroom": 1.0},
    },
    {
        "x": {"cost": 0.0, "complexity": 1.0, "control": 5.0, "headroom": 2.0},
        "y": {"cost": 7.0, "complexity": 2.0, "control": 4.0, "headroom": 2.0},
        "w": {"cost": 9.0, "complexity": 5.0, "control": 1.0, "headroom": 1.0},
    },
    {  # a single option
        "x": {"cost": 0.0, "complexity": 1.0, "control": 5.0, "headroom": 3.0},
    },
]
WEIGHTS = [None, {"cost": 0}, {"cost": 1, "complexity": 0, "control": 0, "headroom": 0},
           {"cost": 0.1, "complexity": 7, "control": 2, "headroom": 0.5}]


@pytest.mark.parametrize("matrix", MATRICES)
@pytest.mark.parametrize("overrides", WEIGHTS)
def test_score_properties(matrix: dict[str, dict[str, float]],
                          overrides: dict[str, float] | None) -> None:
    weights = resolve_weights(CRITERIA, overrides)
    table = score(matrix, CRITERIA, weights)
    for option, value in table.scores.items():
        assert 0.0 <= value <= 100.0 + 1e-9
        for cid, n in table.normalised[option].items():
            assert 0.0 <= n <= 1.0
            assert table.contributions[option][cid] == pytest.approx(100 * weights[cid] * n)
        assert value == pytest.approx(sum(table.contributions[option].values()))
    # "x" sits at the best anchor of every scale in each matrix: it scores 100 and ranks first
    assert table.scores["x"] == pytest.approx(100.0)
    assert table.ranking()[0] == "x"


def test_option_at_every_worst_anchor_scores_close_to_zero() -> None:
    table = score(MATRICES[0], CRITERIA, resolve_weights(CRITERIA))
    # z: cost 100/200 = 0.5 (a cost never reaches 0), complexity 5 -> 0, control 1 -> 0,
    # headroom 1x -> 0: 40 * 0.5 = 20
    assert table.scores["z"] == pytest.approx(20.0)


# --- Pareto ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # b is no better anywhere and worse on the second value: dominated by a
        ({"a": (1.0, 0.5), "b": (1.0, 0.25)}, {"a": (), "b": ("a",)}),
        # a trade-off: nobody dominated
        ({"a": (1.0, 0.25), "b": (0.5, 0.75)}, {"a": (), "b": ()}),
        # equal everywhere: not dominated (no strictly better value)
        ({"a": (0.5, 0.5), "b": (0.5, 0.5)}, {"a": (), "b": ()}),
        # chain: a > b > c, so c is dominated by both
        ({"a": (1.0, 1.0), "b": (0.5, 1.0), "c": (0.5, 0.5)},
         {"a": (), "b": ("a",), "c": ("a", "b")}),
        ({}, {}),
    ],
)
def test_dominated_by(values: dict[str, tuple[float, ...]],
                      expected: dict[str, tuple[str, ...]]) -> None:
    assert dominated_by(values) == expected


def test_satisficing_headroom_does_not_dominate() -> None:
    """3x and 25x headroom are both enough: equal values, so neither dominates."""
    criteria = (_crit("cost", "minimise", 0.5, CostScale(100.0)),
                _crit("headroom", "maximise", 0.5, SatisficingScale(2.0)))
    table = score({"a": {"cost": 10.0, "headroom": 3.0}, "b": {"cost": 10.0, "headroom": 25.0}},
                  criteria, resolve_weights(criteria))
    assert table.dominated_by() == {"a": (), "b": ()}


# --- rank ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "values", "expected"),
    [
        ({"a": 10.0, "b": 90.0, "c": 50.0}, {"a": (0.0,), "b": (0.0,), "c": (0.0,)},
         ["b", "c", "a"]),
        # tie on score: the better value on the first criterion (cost in every decision)
        ({"a": 80.0, "b": 80.0}, {"a": (0.80, 0.5), "b": (0.87, 0.2)}, ["b", "a"]),
        # tie on the first value too: the next criterion
        ({"a": 80.0, "b": 80.0}, {"a": (0.8, 0.5), "b": (0.8, 0.2)}, ["a", "b"]),
        # tie on every value: option id
        ({"b": 80.0, "a": 80.0}, {"a": (0.5,), "b": (0.5,)}, ["a", "b"]),
        # an unknown cost (value 0) sorts after any known cost on a tie
        ({"a": 80.0, "b": 80.0}, {"a": (0.0,), "b": (1e-7,)}, ["b", "a"]),
        # a higher score wins over a better first value
        ({"a": 80.0, "b": 80.1}, {"a": (1.0,), "b": (0.0,)}, ["b", "a"]),
        # sums that differ only by float rounding are a tie
        ({"a": 0.1 + 0.2, "b": 0.3}, {"a": (0.5,), "b": (0.6,)}, ["b", "a"]),
        ({}, {}, []),
    ],
)
def test_rank(scores: dict[str, float], values: dict[str, tuple[float, ...]],
              expected: list[str]) -> None:
    assert rank(scores, values) == expected


@pytest.mark.parametrize(
    ("low", "high"),
    [
        (50.0, 50.0 + 0.3e-9),
        # 0.2e-9 apart: within the documented 1e-9 tie window, whatever side of a 1e-9 grid
        # line the two fall on
        (50.0 + 0.4e-9, 50.0 + 0.6e-9),
    ],
)
def test_scores_within_1e9_tie(low: float, high: float) -> None:
    """archlib/_scoring.py docstring: "scores within 1e-9 tie, and a tie goes to the better
    value on the first declared criterion"."""
    assert rank({"cheap": low, "dear": high}, {"cheap": (0.9,), "dear": (0.8,)}) == [
        "cheap", "dear"]


def test_a_dominated_option_loses_every_tie_to_its_dominator() -> None:
    """All weight on cost: a and b tie on score, b is worse on a zero-weight criterion, so
    b is dominated and must not be recommended, whatever the ids."""
    criteria = (_crit("cost", "minimise", 1.0, CostScale(100.0)),
                _crit("control", "maximise", 0.0))
    matrix = {"a-worse": {"cost": 0.0, "control": 2.0}, "z-better": {"cost": 0.0,
                                                                      "control": 5.0}}
    table = score(matrix, criteria, resolve_weights(criteria))
    assert table.scores["a-worse"] == table.scores["z-better"] == 100.0
    assert table.dominated_by()["a-worse"] == ("z-better",)
    assert table.ranking() == ["z-better", "a-worse"]
