"""archlib._verdict: the firmness verdict from declared thresholds (README, "How firm").

Robustness results are built by hand here, so each threshold is tested at its edge."""

from __future__ import annotations

import math

import pytest

import archlib
from archlib._robustness import (
    FlipMargin,
    PriceBreakEven,
    Robustness,
    RobustnessSettings,
    VolumeBreakEven,
)
from archlib._verdict import (
    CLEAR_FLIP,
    CLEAR_PRICE_FACTOR,
    CLEAR_SHARE,
    CLOSE_FLIP,
    CLOSE_PRICE_FACTOR,
    CLOSE_SHARE,
    Firmness,
    judge,
    judge_level,
    level_of,
)

RANKING = ("a", "b")


def _robustness(share: float, flip: float | None, prices: tuple[PriceBreakEven, ...] = (),
                volumes: tuple[VolumeBreakEven, ...] = ()) -> Robustness:
    margins = (FlipMargin("cost", 0.4, flip, None if flip is None else "b"),
               FlipMargin("speed", 0.6, None, None))
    return Robustness(RobustnessSettings(), RANKING, {"a": (share, 1 - share),
                                                      "b": (1 - share, share)},
                      {"a": 2 - share, "b": 1 + share}, margins, volumes, {}, prices)


def _level(rob: Robustness, dominated: dict[str, tuple[str, ...]] | None = None) -> str:
    verdict = judge(RANKING, dominated or {}, lambda: rob, {"gb": 1000.0})
    assert verdict is not None
    return verdict.level


def test_the_declared_thresholds() -> None:
    assert (CLEAR_SHARE, CLEAR_FLIP, CLEAR_PRICE_FACTOR) == (0.80, 0.10, 1.5)
    assert (CLOSE_SHARE, CLOSE_FLIP, CLOSE_PRICE_FACTOR) == (0.50, 0.05, 1.25)


@pytest.mark.parametrize(("share", "flip", "level"), [
    (0.80, 0.10, "clear"),  # both at the clear edge
    (0.95, None, "clear"),  # no single weight flips it
    (0.7999, 0.30, "leaning"),
    (0.95, 0.0999, "leaning"),
    (0.50, 0.05, "leaning"),  # at the too-close edges, not below
    (0.4999, 0.30, "too-close-to-call"),
    (0.95, 0.0499, "too-close-to-call"),
    (0.95, -0.03, "too-close-to-call"),  # a falling weight counts by its size
])
def test_share_and_flip_margin(share: float, flip: float | None, level: str) -> None:
    assert _level(_robustness(share, flip)) == level


@pytest.mark.parametrize(("value", "level"), [
    (0.05 * 1.51, "clear"),  # beyond x1.5 above the assumed 0.05
    (0.05 / 1.51, "clear"),  # beyond x1.5 below
    (0.05 * 1.49, "leaning"),
    (0.05 / 1.3, "leaning"),
    (0.05 * 1.24, "too-close-to-call"),
    (0.05 / 1.2, "too-close-to-call"),
])
def test_price_break_even_factor(value: float, level: str) -> None:
    price = PriceBreakEven("p", 0.05, value, "b")
    rob = _robustness(0.95, 0.30, prices=(price,))
    assert _level(rob) == level
    verdict = judge(RANKING, {}, lambda: rob, {})
    assert verdict is not None
    if level != "clear":  # says which price and where it flips
        assert [(d.kind, d.name, d.current, d.value, d.new_winner) for d in verdict.deciding
                ] == [("weight", "cost", 0.4, 0.7, "b"), ("price", "p", 0.05, value, "b")]
    else:
        assert verdict.deciding == ()


def test_a_break_even_that_keeps_the_winner_does_not_count() -> None:
    rob = _robustness(0.95, 0.30, prices=(PriceBreakEven("p", 0.05, 0.051, "a"),))
    assert _level(rob) == "clear"


def test_domination_is_clear_without_computing_the_robustness() -> None:
    def never() -> Robustness:
        raise AssertionError("the Pareto relation settles it")

    verdict = judge(RANKING, {"b": ("a",)}, never, {})
    assert verdict is not None and verdict.level == "clear"
    assert "dominates every other option" in verdict.reason
    only = judge(("a",), {}, never, {})
    assert only is not None and only.level == "clear" and "only option" in only.reason
    assert judge((), {}, never, {}) is None


def test_the_nearest_volume_break_even_that_moves_the_recommendation_decides_too() -> None:
    volumes = (VolumeBreakEven("gb", 90_000.0, "b", "a", "b"),
               VolumeBreakEven("gb", 3000.0, "b", "a", "b"),
               VolumeBreakEven("gb", 1100.0, "b", "a", "a"))  # keeps a: not deciding
    verdict = judge(RANKING, {}, lambda: _robustness(0.6, 0.2, volumes=volumes),
                    {"gb": 1000.0})
    assert verdict is not None and verdict.level == "leaning"
    assert ("volume", "gb", 1000.0, 3000.0, "b") in [
        (d.kind, d.name, d.current, d.value, d.new_winner) for d in verdict.deciding]
    assert verdict.to_dict()["level"] == "leaning"


def test_a_too_close_result_never_reads_as_a_firm_answer() -> None:
    """The F1 scenario with the control weight raised to 0.7 (the others at their defaults,
    all normalised): gateway still leads, but a small weight change flips it to interface,
    so every view must say it is too close to call."""
    from archlib import views
    from archlib.adr import adr_markdown

    ev = archlib.evaluate("s3-endpoints", {"vpc_count": 2, "monthly_gb_in_vpc": 3000,
                                           "weights": {"private_path_control": 0.7}})
    assert ev.verdict is not None and ev.verdict.level == "too-close-to-call"
    html = views.recommendation_html(ev)
    assert "Recommended:" not in html and "Too close to call; ahead on points" in html
    assert "verdict-too-close-to-call" in html
    assert "What would decide it" in views.verdict_sentence(ev)
    assert ("**Too close to call; ahead on points: Gateway endpoint per VPC** (`gateway`)"
            in views.evaluation_markdown(ev))
    assert 'Chosen option (too close to call: decide what would decide it first)' in (
        adr_markdown(ev))


def test_options_equal_on_every_criterion_are_too_close_to_call() -> None:
    """Equal values under every weighting: the sampled shares would only count the tie rule
    (a 100% "win" by option id), so the verdict says so without computing them."""
    def never() -> Robustness:
        raise AssertionError("equal values settle it")

    verdict = judge(("a", "b", "c"), {"c": ("a", "b")}, never, {}, tied=("b",))
    assert verdict is not None and verdict.level == "too-close-to-call"
    assert "a and b have the same value on every criterion" in verdict.reason
    assert "tie rule" in verdict.reason and verdict.deciding == ()
    # without the tie the same robustness reads as clear
    plain = judge(RANKING, {}, lambda: _robustness(0.95, None), {}, tied=())
    assert plain is not None and plain.level == "clear"


@pytest.mark.parametrize(("share", "flip", "price"), [
    (0.80, 0.10, None), (0.95, None, None), (0.7999, 0.30, None), (0.95, 0.0999, None),
    (0.50, 0.05, None), (0.4999, 0.30, None), (0.95, -0.03, None), (0.95, 0.30, 1.51),
    (0.95, 0.30, 1.49), (0.95, 0.30, 1.24), (0.95, 0.30, 1 / 1.2),
])
def test_the_level_alone_is_the_verdicts_level(share: float, flip: float | None,
                                               price: float | None) -> None:
    """judge_level (a fleet review's column) on the three numbers gives judge's level on
    the robustness they come from."""
    prices = () if price is None else (PriceBreakEven("p", 0.05, 0.05 * price, "b"),)
    verdict = judge(RANKING, {}, lambda: _robustness(share, flip, prices), {})
    factor = math.inf if price is None else max(price, 1 / price)
    level = judge_level(RANKING, {}, lambda: Firmness(
        share, None if flip is None else abs(flip), factor))
    assert verdict is not None and level == verdict.level


def test_the_level_alone_is_settled_by_the_ranking_as_the_verdict_is() -> None:
    def never() -> Firmness:
        raise AssertionError("the ranking settles it")

    assert judge_level((), {}, never) is None
    assert judge_level(("a",), {}, never) == "clear"  # the only option
    assert judge_level(RANKING, {"b": ("a",)}, never) == "clear"  # a dominates b
    assert judge_level(RANKING, {}, never, tied=("b",)) == "too-close-to-call"


class _Counted:
    """A firmness whose numbers say when they are read (the fleet path computes each only
    when level_of reads it)."""

    def __init__(self, share: float, flip: float | None, nearest_price: float) -> None:
        self._values = {"share": share, "flip": flip, "nearest_price": nearest_price}
        self.read: list[str] = []

    def _get(self, name: str) -> float | None:
        self.read.append(name)
        return self._values[name]

    share = property(lambda self: self._get("share"))
    flip = property(lambda self: self._get("flip"))
    nearest_price = property(lambda self: self._get("nearest_price"))


@pytest.mark.parametrize(("share", "flip", "price", "level", "read"), [
    # share 0.40 < 0.50: too close whatever the rest; neither flip nor price is read
    (0.40, 0.30, math.inf, "too-close-to-call", ["share"]),
    # flip 0.02 < 0.05: too close; the price break-evens are not read
    (0.90, 0.02, math.inf, "too-close-to-call", ["share", "flip"]),
    # price factor 1.2 <= 1.25: too close, read last
    (0.90, 0.30, 1.2, "too-close-to-call", ["share", "flip", "nearest_price"]),
    # 0.90 >= 0.80, 0.30 >= 0.10, 2.0 > 1.5: clear, all three read
    (0.90, 0.30, 2.0, "clear", ["share", "flip", "nearest_price"]),
    (0.90, None, math.inf, "clear", ["share", "flip", "nearest_price"]),
    # 0.70: between the close and clear shares: leaning
    (0.70, 0.30, 2.0, "leaning", ["share", "flip", "nearest_price"]),
])
def test_level_of_reads_no_further_than_a_close_number(
        share: float, flip: float | None, price: float, level: str, read: list[str]) -> None:
    counted = _Counted(share, flip, price)
    assert level_of(counted) == level
    assert counted.read == read
    assert level_of(Firmness(share, flip, price)) == level
