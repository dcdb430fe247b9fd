"""How firm a recommendation is: ``clear``, ``leaning`` or ``too-close-to-call``, from
declared thresholds on the robustness results (README, "Scoring", "How firm").

Pure: the engine passes the ranking, the Pareto relation and the robustness results in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from ._robustness import PriceBreakEven, Robustness

__all__ = [
    "CLEAR_FLIP",
    "CLEAR_PRICE_FACTOR",
    "CLEAR_SHARE",
    "CLOSE_FLIP",
    "CLOSE_PRICE_FACTOR",
    "CLOSE_SHARE",
    "Deciding",
    "Firmness",
    "FirmnessLike",
    "Level",
    "Verdict",
    "judge",
    "judge_level",
    "level_of",
    "nearest_price_factor",
]

#: Clear: the recommendation wins at least this share of the sampled weightings ...
CLEAR_SHARE = 0.80
#: ... no single weight change smaller than this (absolute, on weights summing 1) flips it ...
CLEAR_FLIP = 0.10
#: ... and no unverified or overridden price within this factor of its assumed value does.
CLEAR_PRICE_FACTOR = 1.5
#: Too close to call: the recommendation wins less than this share of the weightings, or ...
CLOSE_SHARE = 0.50
#: ... a weight change smaller than this flips it, or ...
CLOSE_FLIP = 0.05
#: ... a price within this factor of its assumed value does.
CLOSE_PRICE_FACTOR = 1.25

Level = Literal["clear", "leaning", "too-close-to-call"]


@dataclass(frozen=True, slots=True)
class Deciding:
    """One thing that would change the recommendation: a criterion ``weight``, a ``price``
    item or a ``volume`` parameter, its current value and the value at which ``new_winner``
    takes over."""

    kind: Literal["weight", "price", "volume"]
    name: str
    current: float
    value: float
    new_winner: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "current": round(self.current, 6),
                "value": round(self.value, 6), "new_winner": self.new_winner}


@dataclass(frozen=True, slots=True)
class Verdict:
    level: Level
    reason: str
    deciding: tuple[Deciding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "reason": self.reason,
                "deciding": [d.to_dict() for d in self.deciding]}


def _factor(b: PriceBreakEven) -> float:
    """How far the break-even lies from the assumed price, as a factor >= 1."""
    if b.value <= 0 or b.assumed <= 0:
        return float("inf")
    return max(b.value / b.assumed, b.assumed / b.value)


def _moving_prices(price_break_even: Sequence[PriceBreakEven], best: str
                   ) -> list[PriceBreakEven]:
    """The break-evens beyond which another option is recommended, nearest first."""
    return sorted((b for b in price_break_even if b.recommended_beyond not in (None, best)),
                  key=_factor)


def nearest_price_factor(price_break_even: Sequence[PriceBreakEven], best: str) -> float:
    """The factor (>= 1) of the nearest price break-even that changes the recommendation
    away from ``best`` (infinite: none does)."""
    moving = _moving_prices(price_break_even, best)
    return _factor(moving[0]) if moving else float("inf")


@dataclass(frozen=True, slots=True)
class Firmness:
    """The three numbers the level is judged on: the recommendation's share of the sampled
    weightings, the size of the smallest weight change that flips it (None: none does), and
    the factor of the nearest price break-even that does (infinite: none)."""

    share: float
    flip: float | None
    nearest_price: float


class FirmnessLike(Protocol):
    """What :func:`level_of` reads: a :class:`Firmness`, or an object that computes each
    number when first read (the engine's fleet path)."""

    @property
    def share(self) -> float: ...

    @property
    def flip(self) -> float | None: ...

    @property
    def nearest_price(self) -> float: ...


def level_of(firmness: FirmnessLike) -> Level:
    """The level the thresholds give (for a recommendation not settled by dominance, a
    single option or a tie: see :func:`judge`). Reads the share, then the flip, then the
    price factor, and no further than a close one: the later ones cost the most."""
    share = firmness.share
    if share < CLOSE_SHARE:
        return "too-close-to-call"
    flip = firmness.flip
    if flip is not None and flip < CLOSE_FLIP:
        return "too-close-to-call"
    nearest_price = firmness.nearest_price
    if nearest_price <= CLOSE_PRICE_FACTOR:
        return "too-close-to-call"
    if (share >= CLEAR_SHARE and (flip is None or flip >= CLEAR_FLIP)
            and nearest_price > CLEAR_PRICE_FACTOR):
        return "clear"
    return "leaning"


def _share(value: float) -> str:
    return f"{100.0 * value:.1f}%"


def _settled(ranking: Sequence[str], dominated_by: Mapping[str, Sequence[str]],
             tied: Sequence[str], titles: Mapping[str, str] | None = None) -> Verdict | None:
    """The verdict when the ranking alone settles it (one option, a dominant one, or a tie
    no weighting separates); None when the robustness results must. ``titles``: the
    options' human names for the reason (an id without one is written as it is)."""
    names = titles or {}
    best = names.get(ranking[0], ranking[0])
    if len(ranking) == 1:
        return Verdict("clear", f"{best} is the only option left, so no weighting, volume or "
                       "price can change that.")
    others = ranking[1:]
    if all(ranking[0] in dominated_by.get(o, ()) for o in others):
        return Verdict("clear", f"{best} dominates every other option: no worse on any "
                       "criterion and better on at least one, so no weighting prefers another.")
    if tied:
        # No weighting separates equal values: the sampled shares would only count the tie rule.
        tied_names = ", ".join(names.get(t, t) for t in tied)
        return Verdict("too-close-to-call", f"Too close to call: {best} and {tied_names} "
                       "have the same value on every criterion, so no weighting separates "
                       f"them; {best} comes first only by the tie rule (option id). Choose "
                       "on what the criteria leave out: their warnings and actions.")
    return None


def judge_level(
    ranking: Sequence[str],
    dominated_by: Mapping[str, Sequence[str]],
    firmness: Callable[[], FirmnessLike],
    tied: Sequence[str] = (),
) -> Level | None:
    """``judge(...).level`` without the reason and the deciding list: ``firmness`` (called
    only when the ranking does not settle it) needs no volume break-evens and no rank
    acceptability beyond the first rank, which is what a fleet review's verdict column
    costs."""
    if not ranking:
        return None
    settled = _settled(ranking, dominated_by, tied)
    return settled.level if settled is not None else level_of(firmness())


def judge(
    ranking: Sequence[str],
    dominated_by: Mapping[str, Sequence[str]],
    robustness: Callable[[], Robustness],
    volumes: Mapping[str, float],
    tied: Sequence[str] = (),
    titles: Mapping[str, str] | None = None,
) -> Verdict | None:
    """The verdict on ``ranking[0]``; None when no option is ranked. ``robustness`` is
    called only when the Pareto relation and ``tied`` do not settle it; ``volumes``: each
    volume parameter's scenario value (for the deciding list); ``tied``: the other ranked
    options with the same value as ``ranking[0]`` on every criterion; ``titles``: the
    options' human names, which the reason uses (the deciding list keeps ids)."""
    if not ranking:
        return None
    best = ranking[0]
    settled = _settled(ranking, dominated_by, tied, titles)
    if settled is not None:
        return settled

    results = robustness()
    share = results.win_probability[best]
    closest = results.closest_flip()
    flip = None if closest is None or closest.delta is None else abs(closest.delta)
    prices = _moving_prices(results.price_break_even, best)
    nearest_price = nearest_price_factor(results.price_break_even, best)
    level = level_of(Firmness(share, flip, nearest_price))

    deciding: list[Deciding] = []
    if closest is not None and closest.delta is not None:
        deciding.append(Deciding("weight", closest.criterion, closest.weight,
                                 closest.weight + closest.delta, closest.new_winner))
    # the prices near enough to matter, or else the nearest one
    near_prices = [b for b in prices if _factor(b) <= CLEAR_PRICE_FACTOR] or prices[:1]
    deciding += [Deciding("price", b.item, b.assumed, b.value, b.recommended_beyond)
                 for b in near_prices]
    moves = [b for b in results.break_even if b.recommended_beyond not in (None, best)]
    if moves:
        near = min(moves, key=lambda b: abs(b.value - volumes.get(b.parameter, 0.0)))
        deciding.append(Deciding("volume", near.parameter, volumes.get(near.parameter, 0.0),
                                 near.value, near.recommended_beyond))

    if level == "too-close-to-call":
        close: list[str] = []
        if share < CLOSE_SHARE:
            close.append(f"it wins only {_share(share)} of the sampled weightings "
                         f"(below {_share(CLOSE_SHARE)})")
        if flip is not None and flip < CLOSE_FLIP:
            close.append(f"a weight change of {flip:.3f} flips it (below {CLOSE_FLIP:g})")
        if nearest_price <= CLOSE_PRICE_FACTOR:
            b = prices[0]
            close.append(f"price {b.item} at {b.value:.4g} (assumed {b.assumed:.4g}, within "
                         f"x{CLOSE_PRICE_FACTOR:g}) flips it")
        return Verdict("too-close-to-call", f"Too close to call: {'; '.join(close)}.",
                       tuple(deciding))
    flip_text = ("no single weight change flips it" if flip is None
                 else f"the smallest weight change that flips it is {flip:.3f}")
    price_text = ("" if not prices else
                  f"; the nearest price break-even, {prices[0].item} at {prices[0].value:.4g} "
                  f"(assumed {prices[0].assumed:.4g}), is x{nearest_price:.2f} away")
    name = (titles or {}).get(best, best)
    summary = f"{name} wins {_share(share)} of the sampled weightings; {flip_text}{price_text}"
    if level == "clear":
        return Verdict("clear", f"{summary}.")
    return Verdict("leaning", f"Leaning: {summary} (clear needs >= {_share(CLEAR_SHARE)}, a "
                   f"margin >= {CLEAR_FLIP:g} and no price within x{CLEAR_PRICE_FACTOR:g}).",
                   tuple(deciding))
