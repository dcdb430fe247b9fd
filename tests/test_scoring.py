"""archlib._scoring: min-max normalisation, weights, weighted sum, ranking.

Every expected number below is worked out by hand in the test (the method is the one in the
module docstring of archlib/_scoring.py).
"""

from __future__ import annotations

import pytest

from archlib import InputError
from archlib._model import Criterion
from archlib._scoring import normalise, rank, resolve_weights, score


def _crit(cid: str, direction: str = "maximise", weight: float = 1.0) -> Criterion:
    return Criterion(cid, cid.title(), "units", direction,  # type: ignore[arg-type]
                     weight, "test criterion", "archlib-scoring")


# --- normalise -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "direction", "expected"),
    [
        # best = 1, worst = 0, linear in between
        ([1.0, 2.0, 3.0], "maximise", [0.0, 0.5, 1.0]),
        # minimise is mirrored: (max - x) / (max - min)
        ([1.0, 2.0, 3.0], "minimise", [1.0, 0.5, 0.0]),
        ([10.0, 0.0, 5.0], "minimise", [0.0, 1.0, 0.5]),
        ([0.0, 24.6], "minimise", [1.0, 0.0]),  # gateway $0 vs interface $24.60
        ([2.0, 4.0, 3.0, 2.0], "maximise", [0.0, 1.0, 0.5, 0.0]),
        # a criterion on which every option is equal scores 1 for all
        ([5.0, 5.0, 5.0], "maximise", [1.0, 1.0, 1.0]),
        ([5.0, 5.0, 5.0], "minimise", [1.0, 1.0, 1.0]),
        ([7.0], "minimise", [1.0]),
        ([], "maximise", []),
    ],
)
def test_normalise(values: list[float], direction: str, expected: list[float]) -> None:
    assert normalise(values, direction) == pytest.approx(expected)


# --- resolve_weights -------------------------------------------------------------------------

CRITERIA = (
    _crit("cost", "minimise", 0.40),
    _crit("complexity", "minimise", 0.25),
    _crit("control", "maximise", 0.20),
    _crit("headroom", "maximise", 0.15),
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


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nosuch": 1.0}, "weights.nosuch"),
        ({"cost": -0.1}, "weights.cost"),
        ({"cost": float("nan")}, "weights.cost"),
        ({"cost": float("inf")}, "weights.cost"),
        ({"cost": 0, "complexity": 0, "control": 0, "headroom": 0}, "weights"),
    ],
)
def test_resolve_weights_rejects(overrides: dict[str, float], field: str) -> None:
    with pytest.raises(InputError) as info:
        resolve_weights(CRITERIA, overrides)
    assert info.value.field == field


def test_unknown_criterion_lists_known_ones() -> None:
    with pytest.raises(InputError) as info:
        resolve_weights(CRITERIA, {"nosuch": 1.0})
    for known in ("complexity", "control", "cost", "headroom"):
        assert known in str(info.value)


# --- score -----------------------------------------------------------------------------------


def test_score_hand_built_matrix() -> None:
    criteria = (_crit("cost", "minimise", 0.5), _crit("speed", "maximise", 0.5))
    matrix = {
        "a": {"cost": 10.0, "speed": 1.0},
        "b": {"cost": 20.0, "speed": 3.0},
        "c": {"cost": 30.0, "speed": 2.0},
    }
    table = score(matrix, criteria, resolve_weights(criteria))
    # cost (minimise, 10..30): a 1, b 0.5, c 0;  speed (maximise, 1..3): a 0, b 1, c 0.5
    assert table.normalised["a"] == pytest.approx({"cost": 1.0, "speed": 0.0})
    assert table.normalised["b"] == pytest.approx({"cost": 0.5, "speed": 1.0})
    assert table.normalised["c"] == pytest.approx({"cost": 0.0, "speed": 0.5})
    assert table.contributions["b"] == pytest.approx({"cost": 25.0, "speed": 50.0})
    assert table.scores == pytest.approx({
        "a": 100 * (0.5 * 1.0 + 0.5 * 0.0),  # 50
        "b": 100 * (0.5 * 0.5 + 0.5 * 1.0),  # 75
        "c": 100 * (0.5 * 0.0 + 0.5 * 0.5),  # 25
    })


def test_score_with_unequal_weights() -> None:
    criteria = (_crit("cost", "minimise", 3.0), _crit("speed", "maximise", 1.0))
    matrix = {"a": {"cost": 0.0, "speed": 0.0}, "b": {"cost": 100.0, "speed": 10.0}}
    table = score(matrix, criteria, resolve_weights(criteria))
    # weights 0.75 / 0.25: a is cheapest (1) and slowest (0); b the reverse
    assert table.scores == pytest.approx({"a": 75.0, "b": 25.0})


def test_score_of_no_options_is_empty() -> None:
    table = score({}, CRITERIA, resolve_weights(CRITERIA))
    assert dict(table.scores) == {}
    assert rank(table.scores, {}) == []


# Property-style checks over hand-built matrices: scores stay in 0..100, an option that is best
# on every criterion scores 100, one worst on every criterion scores 0.
MATRICES = [
    {  # x dominates: cheapest, least complex, most control and headroom
        "x": {"cost": 0.0, "complexity": 1.0, "control": 5.0, "headroom": 10.0},
        "y": {"cost": 50.0, "complexity": 3.0, "control": 3.0, "headroom": 4.0},
        "z": {"cost": 100.0, "complexity": 5.0, "control": 1.0, "headroom": 1.0},
    },
    {
        "x": {"cost": 3.5, "complexity": 2.0, "control": 5.0, "headroom": 2.0},
        "y": {"cost": 7.0, "complexity": 2.0, "control": 4.0, "headroom": 2.0},
        "z": {"cost": 9.0, "complexity": 4.0, "control": 4.0, "headroom": 1.5},
        "w": {"cost": 9.0, "complexity": 5.0, "control": 1.0, "headroom": 1.0},
    },
    {  # x ties y on two criteria and beats it on the others: still best everywhere
        "x": {"cost": 1.0, "complexity": 2.0, "control": 5.0, "headroom": 9.0},
        "y": {"cost": 1.0, "complexity": 2.0, "control": 2.0, "headroom": 3.0},
    },
    {  # a single option: every criterion "all equal" -> 1 -> 100
        "x": {"cost": 42.0, "complexity": 3.0, "control": 3.0, "headroom": 3.0},
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
    # "x" is best (or equal best) on every criterion in each matrix: it scores 100
    assert table.scores["x"] == pytest.approx(100.0)
    assert rank(table.scores, {o: 0.0 for o in matrix})[0] == "x"


def test_option_worst_everywhere_scores_zero() -> None:
    table = score(MATRICES[0], CRITERIA, resolve_weights(CRITERIA))
    assert table.scores["z"] == pytest.approx(0.0)


def test_all_equal_matrix_scores_100_for_every_option() -> None:
    row = {"cost": 1.0, "complexity": 1.0, "control": 1.0, "headroom": 1.0}
    table = score({"a": dict(row), "b": dict(row)}, CRITERIA, resolve_weights(CRITERIA))
    assert table.scores == pytest.approx({"a": 100.0, "b": 100.0})


# --- rank ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "costs", "expected"),
    [
        ({"a": 10.0, "b": 90.0, "c": 50.0}, {"a": 0.0, "b": 0.0, "c": 0.0}, ["b", "c", "a"]),
        # tie on score: lower cost first
        ({"a": 80.0, "b": 80.0}, {"a": 24.6, "b": 14.6}, ["b", "a"]),
        # tie on score and cost: option id
        ({"b": 80.0, "a": 80.0}, {"a": 14.6, "b": 14.6}, ["a", "b"]),
        # unknown cost sorts after any known cost on a tie
        ({"a": 80.0, "b": 80.0}, {"a": None, "b": 1e9}, ["b", "a"]),
        # a higher score wins over a lower cost
        ({"a": 80.0, "b": 80.1}, {"a": 0.0, "b": 1000.0}, ["b", "a"]),
        # sums that differ only by float rounding are a tie
        ({"a": 0.1 + 0.2, "b": 0.3}, {"a": 2.0, "b": 1.0}, ["b", "a"]),
        ({}, {}, []),
    ],
)
def test_rank(scores: dict[str, float], costs: dict[str, float | None],
              expected: list[str]) -> None:
    assert rank(scores, costs) == expected


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
    """archlib/_scoring.py docstring: "ties (within 1e-9) go to the lower monthly cost"."""
    assert rank({"cheap": low, "dear": high}, {"cheap": 1.0, "dear": 2.0}) == ["cheap", "dear"]


@pytest.mark.parametrize(
    ("values", "direction", "expected"),
    [
        # hand-checked: known values 10 and 30 span the range; unknown scores worst (0)
        ([10.0, None, 30.0], "minimise", [1.0, 0.0, 0.0]),
        ([10.0, None, 30.0], "maximise", [0.0, 0.0, 1.0]),
        ([5.0, None, 5.0], "minimise", [1.0, 0.0, 1.0]),
        ([None, None], "minimise", [1.0, 1.0]),
    ],
)
def test_unknown_values_score_worst(
    values: list[float | None], direction: str, expected: list[float]
) -> None:
    assert normalise(values, direction) == expected
