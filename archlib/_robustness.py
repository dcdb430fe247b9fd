"""Robustness of a recommendation: pure NumPy over numbers the engine already computed.

Three questions (method in the README, "Robustness"):

- **Rank acceptability** (SMAA): weight vectors are sampled (Dirichlet centred on the chosen
  weights, or uniform over the simplex) and every feasible option is scored for each sample
  exactly as the point result is: ``100 * N @ w`` over the value-scale matrix ``N`` from
  :mod:`archlib._scoring`, ranked by the same rule (score; ties within 1e-9 by the values in
  criterion order, then id). Reported: the share of samples in which each option ranks r-th,
  and its mean rank.
- **Flip margins**: for each criterion, the smallest change of its weight (the others scaled
  proportionally so the weights still sum 1) that changes the winner. Scores are linear in
  that change, so the candidates are the exact intersections of the options' score lines.
- **Cheapest changes along a volume**: the points where the cheapest of several piecewise
  linear cost functions changes, found from the functions' exact linear pieces (kinks located
  by intersecting the lines on either side, verified by evaluating the function there) and the
  intersections of those lines; not by sampling a grid.
- **Price break-evens**: where two options' scores cross as one price varies, solved in closed
  form (:func:`cost_value_crossings`) from costs linear in that price and the cost value
  function ``M / (M + c)``.

Nothing here knows about decisions: the engine passes matrices and cost functions in.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ._errors import InputError
from ._scoring import TIE, rank

if TYPE_CHECKING:  # NumPy is imported on first use: `archlib list` never pays for it
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    IntArray = npt.NDArray[np.int64]

__all__ = [
    "DEFAULT_CONCENTRATION",
    "DEFAULT_SAMPLES",
    "DEFAULT_SEED",
    "CheapestChange",
    "FlipMargin",
    "PriceBreakEven",
    "Robustness",
    "RobustnessSettings",
    "VolumeBreakEven",
    "cheapest_changes",
    "cost_value_crossings",
    "flip_margin",
    "rank_acceptability",
    "rank_order",
    "sample_weights",
    "shared_sample_weights",
    "shifted_weights",
    "tie_priority",
    "win_shares",
]

DEFAULT_SAMPLES = 10_000
DEFAULT_SEED = 0
#: Dirichlet concentration: alpha = concentration * w, so a weight w varies with a standard
#: deviation of sqrt(w (1 - w) / (concentration + 1)): 0.11 for w = 0.40 at 20.
DEFAULT_CONCENTRATION = 20.0
MAX_SAMPLES = 1_000_000


@dataclass(frozen=True, slots=True)
class RobustnessSettings:
    """How weights are sampled. ``uniform`` samples the whole simplex (no preference at all)
    instead of a Dirichlet around the chosen weights."""

    samples: int = DEFAULT_SAMPLES
    seed: int = DEFAULT_SEED
    concentration: float = DEFAULT_CONCENTRATION
    uniform: bool = False

    @property
    def method(self) -> str:
        return "uniform" if self.uniform else "dirichlet"

    @classmethod
    def checked(cls, samples: Any = DEFAULT_SAMPLES, seed: Any = DEFAULT_SEED,
                concentration: Any = DEFAULT_CONCENTRATION, uniform: Any = False,
                *, where: str = "") -> RobustnessSettings:
        """Validated settings; bad values raise :class:`InputError` naming the field."""
        def whole(name: str, value: Any, low: int, high: int) -> int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise InputError(f"must be a whole number (got {value!r})", where=where,
                                 field=name)
            if not low <= value <= high:
                raise InputError(f"must be between {low:,} and {high:,} (got {value})",
                                 where=where, field=name)
            return value

        if isinstance(concentration, bool) or not isinstance(concentration, int | float) \
                or not math.isfinite(concentration) or concentration <= 0:
            raise InputError(f"must be a finite number > 0 (got {concentration!r})",
                             where=where, field="concentration")
        if not isinstance(uniform, bool):
            raise InputError(f"must be true or false (got {uniform!r})", where=where,
                             field="uniform")
        return cls(whole("samples", samples, 1, MAX_SAMPLES),
                   whole("seed", seed, 0, 2**63 - 1), float(concentration), uniform)


# --- ranking, vectorised ---------------------------------------------------------------------


def tie_priority(option_ids: Sequence[str],
                 values: Mapping[str, Sequence[float]]) -> IntArray:
    """Each option's place in the tie-break order of :func:`archlib._scoring.rank` (values
    in criterion order, then id): ``rank`` itself applied to equal scores."""
    import numpy as np

    order = rank(dict.fromkeys(option_ids, 0.0), values)
    return np.array([order.index(o) for o in option_ids], dtype=np.int64)


def rank_order(scores: FloatArray, priority: IntArray) -> IntArray:
    """Row by row, the column indices best first, by the rule of
    :func:`archlib._scoring.rank`: higher score first; scores within 1e-9 of their group's
    best tie, and a tie goes to ``priority`` (values, then id). Columns must be in option-id
    order, so equal scores keep id order as ``rank`` sorts them."""
    import numpy as np

    n = scores.shape[1]
    by_score = np.argsort(-scores, axis=1, kind="stable")
    if n < 2:
        return by_score
    ordered = np.take_along_axis(scores, by_score, axis=1)
    # Only rows with two neighbours within the tolerance need the tie rule.
    tied = (ordered[:, :-1] - ordered[:, 1:] <= TIE).any(axis=1)
    if tied.any():
        by_score[tied] = _break_ties(ordered[tied], by_score[tied], priority)
    return by_score


def _break_ties(ordered: FloatArray, by_score: IntArray, priority: IntArray) -> IntArray:
    import numpy as np

    rows, n = ordered.shape
    group = np.zeros((rows, n), dtype=np.int64)
    leader = ordered[:, 0].copy()
    current = np.zeros(rows, dtype=np.int64)
    for k in range(1, n):
        # A new group starts where a score falls more than the tolerance below the best of
        # the current group (rank() compares with the group's first member too).
        starts = leader - ordered[:, k] > TIE
        current = current + starts
        leader = np.where(starts, ordered[:, k], leader)
        group[:, k] = current
    key = group * n + priority[by_score]
    return np.take_along_axis(by_score, np.argsort(key, axis=1, kind="stable"), axis=1)


def sample_weights(weights: FloatArray, settings: RobustnessSettings) -> FloatArray:
    """``settings.samples`` weight vectors (rows summing to 1), seeded.

    Dirichlet: alpha = concentration * w over the criteria with a positive weight; a
    criterion weighted 0 stays 0 in every sample (it was switched off on purpose; its flip
    margin says what weight would matter). Uniform: Dirichlet(1, ..., 1) over every criterion.
    """
    import numpy as np

    rng = np.random.default_rng(settings.seed)
    k = weights.shape[0]
    if settings.uniform:
        return rng.dirichlet(np.ones(k), size=settings.samples)
    positive = weights > 0
    sampled = np.zeros((settings.samples, k))
    alpha = settings.concentration * weights[positive]
    if alpha.shape[0] == 1:
        sampled[:, positive] = 1.0
    else:
        sampled[:, positive] = rng.dirichlet(alpha, size=settings.samples)
    return sampled


#: Distinct (weights, settings) pairs whose samples are kept: one per weighting in use (a
#: fleet review evaluates thousands of rows, most with the decision's default weights).
SHARED_SAMPLES_KEPT = 32


@functools.lru_cache(maxsize=SHARED_SAMPLES_KEPT)
def _shared_samples(weights: tuple[float, ...], settings: RobustnessSettings) -> FloatArray:
    import numpy as np

    sampled = sample_weights(np.array(weights, dtype=np.float64), settings)
    sampled.flags.writeable = False  # shared by every evaluation with these weights
    return sampled


def shared_sample_weights(weights: FloatArray, settings: RobustnessSettings) -> FloatArray:
    """:func:`sample_weights`, drawn once per (weights, settings) and shared (read-only):
    the samples depend on nothing else, and drawing 10,000 Dirichlet vectors is most of an
    evaluation's robustness time."""
    return _shared_samples(tuple(float(w) for w in weights), settings)


def rank_acceptability(
    normalised: FloatArray, sampled: FloatArray, priority: IntArray
) -> FloatArray:
    """``result[i, r]``: the share of sampled weight vectors (rows of ``sampled``) in which
    option ``i`` (row of ``normalised``, options x criteria) ranks ``r + 1``."""
    import numpy as np

    n = normalised.shape[0]
    if n == 0:
        return np.zeros((0, 0))
    scores = 100.0 * (sampled @ normalised.T)
    order = rank_order(scores, priority)
    counts = np.stack([np.bincount(order[:, r], minlength=n) for r in range(n)], axis=1)
    return counts / float(sampled.shape[0])


def win_shares(normalised: FloatArray, sampled: FloatArray, priority: IntArray) -> FloatArray:
    """``rank_acceptability(...)[:, 0]`` (each option's share of first places) without
    ranking the other places: per sample, the winner is the option of highest ``priority``
    (lowest number) among those within the tie tolerance of the best score, which is the
    first of :func:`rank_order`'s row (its first tie group holds exactly those options).
    Column by column: the options are few and the samples many."""
    import numpy as np

    n = normalised.shape[0]
    if n == 0:
        return np.zeros(0)
    scores = 100.0 * (sampled @ normalised.T)  # as rank_acceptability scores them
    columns = [scores[:, j] for j in range(n)]
    best = columns[0].copy()
    for column in columns[1:]:
        np.maximum(best, column, out=best)
    winner = np.full(scores.shape[0], -1, dtype=np.int64)
    for j in np.argsort(priority, kind="stable").tolist():  # the tie rule's order
        # rank_order's first group: scores not more than the tolerance below the best.
        winner[(winner < 0) & ~(best - columns[j] > TIE)] = j
    return np.bincount(winner, minlength=n) / float(sampled.shape[0])


# --- flip margins ------------------------------------------------------------------------------


def shifted_weights(weights: FloatArray, criterion: int, deltas: FloatArray) -> FloatArray:
    """Rows: ``weights`` with criterion ``criterion`` changed by each delta and the other
    weights scaled proportionally so each row still sums 1. When the other weights are all 0
    the released weight is shared equally among them (proportional scaling is undefined)."""
    import numpy as np

    k = weights.shape[0]
    rest = float(weights.sum() - weights[criterion])
    if rest > 0:
        rows = weights[None, :] * ((rest - deltas) / rest)[:, None]
    else:
        rows = np.repeat((-deltas / max(k - 1, 1))[:, None], k, axis=1)
    rows[:, criterion] = weights[criterion] + deltas
    return rows


@dataclass(frozen=True, slots=True)
class FlipMargin:
    """The smallest change of one criterion's weight that changes the winner. ``delta`` is
    signed (negative: the weight falls) and ``None`` with ``new_winner`` when no weight in
    [0, 1] changes it. At exactly ``weight + delta`` the options tie on score and the tie
    rule applies; any change beyond it makes ``new_winner`` win."""

    criterion: str
    weight: float
    delta: float | None
    new_winner: str | None

    @property
    def new_weight(self) -> float | None:
        return None if self.delta is None else self.weight + self.delta

    def to_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "weight": round(self.weight, 4),
                "delta": None if self.delta is None else round(self.delta, 4) + 0.0,
                "new_winner": self.new_winner}


def _winners(normalised: FloatArray, weights: FloatArray, criterion: int,
             deltas: FloatArray, priority: IntArray) -> IntArray:
    scores = 100.0 * (shifted_weights(weights, criterion, deltas) @ normalised.T)
    return rank_order(scores, priority)[:, 0]


@functools.lru_cache(maxsize=64)
def _pairs(n: int) -> tuple[IntArray, IntArray]:
    """``np.triu_indices(n, 1)``, kept per option count (read-only): every flip margin of
    every evaluation asks for it."""
    import numpy as np

    first, second = np.triu_indices(n, 1)
    first.flags.writeable = second.flags.writeable = False
    return first, second


def flip_margin(normalised: FloatArray, weights: FloatArray, criterion: int,
                priority: IntArray) -> tuple[float, int] | None:
    """(delta, index of the new winner) for criterion ``criterion``, or None when no weight
    in [0, 1] for it changes the winner.

    Each option's score is a line in delta: ``a + b * delta``. The winner can change only
    where two lines cross, so the candidates are the pairwise intersections inside the range;
    the winner is evaluated (by the ranking rule itself) at each candidate and between
    consecutive ones, walking away from delta = 0 in both directions. The smaller change
    wins; equal changes prefer a falling weight.
    """
    import numpy as np

    n, k = normalised.shape
    if n < 2 or k < 2:
        return None
    low = -float(weights[criterion])
    high = float(weights.sum() - weights[criterion])
    ends = np.array([low, high])  # high - low = the sum of the weights: 1
    at_ends = 100.0 * (shifted_weights(weights, criterion, ends) @ normalised.T)
    slope = (at_ends[1] - at_ends[0]) / (high - low)
    start = 100.0 * (normalised @ weights)
    first, second = _pairs(n)
    apart = slope[first] != slope[second]
    crossings = ((start[second] - start[first])[apart]
                 / (slope[first] - slope[second])[apart]).tolist()

    # Per direction, walk away from 0: the open stretch after each point, then the next
    # point; a probe is (where the change counts from, where the winner is evaluated).
    walks: list[list[tuple[float, float]]] = []
    for sign, end in ((-1.0, low), (1.0, high)):
        points = sorted({0.0, end, *(c for c in crossings if 0 < sign * c < sign * end)},
                        key=lambda d: sign * d)
        walk: list[tuple[float, float]] = []
        for here, there in pairwise(points):
            walk += [(here, (here + there) / 2.0), (there, there)]
        walks.append(walk)
    probes = np.array([0.0] + [p for walk in walks for _, p in walk])
    won = _winners(normalised, weights, criterion, probes, priority).tolist()
    winner, rest = won[0], iter(won[1:])
    found: list[tuple[float, int]] = []
    for walk in walks:
        outcomes = [next(rest) for _ in walk]
        for (at, _), best in zip(walk, outcomes, strict=True):
            if best != winner:
                found.append((at, best))
                break
    if not found:
        return None
    return min(found, key=lambda f: (abs(f[0]), f[0]))


# --- where the cheapest of piecewise-linear costs changes --------------------------------------

#: Interior probes of the linearity test, at irrational fractions so round-number tier
#: thresholds never sit on them.
_PROBES = (1.0 - 1.0 / math.sqrt(2.0), 0.5772156649015329, 0.8090169943749475)
_MAX_DEPTH = 48
#: Cost evaluations spent cutting one path into linear pieces before the rest is left to the
#: final bisection (guards against costs with many steps; linear or tiered costs need ~100).
_BUDGET = 2000


@dataclass(frozen=True, slots=True)
class CheapestChange:
    """At ``value`` the cheapest option changes from index ``below`` to index ``above``.
    ``exact``: solved from the linear pieces and verified (False at a jump in a cost, or in
    a cost with so many steps that the search budget ran out: located by bisection to 1e-9
    of the range)."""

    value: float
    below: int
    above: int
    exact: bool = True


class _Costs:
    """A memoised vector cost function (one evaluation serves every option)."""

    def __init__(self, costs: Callable[[float], Sequence[float | None]]) -> None:
        self._costs = costs
        self._seen: dict[float, FloatArray] = {}
        self.calls = 0

    def __call__(self, x: float) -> FloatArray:
        import numpy as np

        found = self._seen.get(x)
        if found is None:
            self.calls += 1
            found = np.array([math.inf if c is None else float(c) for c in self._costs(x)])
            self._seen[x] = found
        return found


def _tolerance(*values: float) -> float:
    finite = [abs(v) for v in values if math.isfinite(v)]
    return 1e-9 * (1.0 + max(finite, default=0.0))


def _linear(f: _Costs, option: int, low: float, high: float) -> bool:
    """No kink or jump of the option's cost strictly inside (low, high): the probes lie on
    the chord. (A convex or concave piecewise-linear function, e.g. a tiered price, touches
    its chord inside only where it is linear, so one probe would do; three guard mixtures.)"""
    f_low, f_high = f(low)[option], f(high)[option]
    if not (math.isfinite(f_low) and math.isfinite(f_high)):
        return all(math.isinf(f(low + t * (high - low))[option]) for t in _PROBES)
    tol = _tolerance(f_low, f_high)
    return all(
        abs(f(low + t * (high - low))[option] - (f_low + t * (f_high - f_low))) <= tol
        for t in _PROBES
    )


def _breakpoints(f: _Costs, option: int, low: float, high: float, min_width: float,
                 depth: int, jumps: list[tuple[float, float]]) -> list[float]:
    """Points inside (low, high) that cut the option's cost into linear pieces: kinks solved
    exactly, and the split points of the search (harmless extra cuts). A jump is cornered by
    bisection and recorded in ``jumps``."""
    if _linear(f, option, low, high):
        return []
    width = high - low
    if width <= min_width or depth >= _MAX_DEPTH or f.calls > _BUDGET:
        jumps.append((low, high))
        return []
    # One kink? Extend the lines at both ends and intersect them; keep the solution only if
    # the cost is linear on both sides of it.
    h = width / 256.0
    f_low, f_high = f(low)[option], f(high)[option]
    left = (f(low + h)[option] - f_low) / h
    right = (f_high - f(high - h)[option]) / h
    if math.isfinite(left) and math.isfinite(right) and left != right:
        kink = (f_high - f_low - right * high + left * low) / (left - right)
        if low < kink < high and _linear(f, option, low, kink) \
                and _linear(f, option, kink, high):
            return [kink]
    middle = low + width / 2.0
    return [*_breakpoints(f, option, low, middle, min_width, depth + 1, jumps), middle,
            *_breakpoints(f, option, middle, high, min_width, depth + 1, jumps)]


def _cheapest(costs: FloatArray) -> int:
    """Index of the cheapest finite cost; costs within 1e-9 (relative) tie and the lower
    index wins (callers order options by id)."""
    import numpy as np

    best = float(costs.min())
    if not math.isfinite(best):
        return -1
    return int(np.flatnonzero(costs <= best + _tolerance(best))[0])


def cheapest_changes(costs: Callable[[float], Sequence[float | None]], low: float,
                     high: float) -> tuple[CheapestChange, ...]:
    """Every point in (low, high] where the cheapest option changes, ``costs(x)`` giving each
    option's cost at ``x`` (``None``: unknown, never cheapest). Costs are assumed piecewise
    linear in ``x`` (a jump is tolerated and located by bisection)."""
    import numpy as np

    if not high > low:
        return ()
    f = _Costs(costs)
    n = f(low).shape[0]
    if n == 0:
        return ()
    min_width = (high - low) * 1e-9
    jumps: list[tuple[float, float]] = []
    cuts = {low, high}
    for option in range(n):
        cuts.update(_breakpoints(f, option, low, high, min_width, 0, jumps))
    for a, b in jumps:
        cuts.update((a, b))
    edges = sorted(cuts)
    jump_cells = set(jumps)

    # On every piece between cuts each cost is linear: intersect the lines there.
    candidates = set(edges)
    for a, b in pairwise(edges):
        if (a, b) in jump_cells:
            continue
        x1, x2 = a + (b - a) / 3.0, a + 2.0 * (b - a) / 3.0
        y1, y2 = f(x1), f(x2)
        with np.errstate(invalid="ignore"):
            slope = (y2 - y1) / (x2 - x1)
        for i in range(n):
            for j in range(i + 1, n):
                if not (math.isfinite(y1[i]) and math.isfinite(y1[j])) or slope[i] == slope[j]:
                    continue
                x = x1 + (y1[j] - y1[i]) / (slope[i] - slope[j])
                if a < x < b:
                    candidates.add(float(x))
    points = sorted(candidates)
    between = [_cheapest(f((p + q) / 2.0)) for p, q in pairwise(points)]

    changes: list[CheapestChange] = []
    for index in range(1, len(between)):
        before, after = between[index - 1], between[index]
        if before == after or before < 0 or after < 0:
            continue
        at = points[index]
        values = f(at)
        exact = bool(abs(values[before] - values[after])
                     <= 10 * _tolerance(values[before], values[after]))
        if not exact:  # a jump: corner it between the neighbouring stretches
            lo, hi = (points[index - 1] + at) / 2.0, (at + points[index + 1]) / 2.0
            while hi - lo > min_width:
                mid = (lo + hi) / 2.0
                lo, hi = (mid, hi) if _cheapest(f(mid)) == before else (lo, mid)
            at = hi
        changes.append(CheapestChange(at, before, after, exact))
    return tuple(changes)


# --- where two scores cross as one price varies ----------------------------------------------


def cost_value_crossings(rest: tuple[float, float], cost: tuple[float, float],
                         other_rest: tuple[float, float], other_cost: tuple[float, float],
                         weight_points: float, materiality: float) -> tuple[float, ...]:
    """Prices ``p`` where two options' scores are equal, each score being
    ``K + W * M / (M + a + b p)``: ``rest`` is ``(K, 0)`` (the points from every other
    criterion), ``cost`` is ``(a, b)`` (monthly cost = a + b p), ``W`` = ``weight_points``
    (100 x the cost weight), ``M`` the materiality. An option with an unknown cost passes
    ``cost = (inf, 0)``: its cost scores 0 at every price.

    With ``u = M + a_i + b_i p`` and ``v = M + a_j + b_j p``, equal scores mean
    ``D + W M / u - W M / v = 0`` (``D = K_i - K_j``), i.e. ``D u v + W M (v - u) = 0``:
    a quadratic in ``p`` (linear when a slope is 0), solved exactly."""
    k_i, k_j = rest[0], other_rest[0]
    (a_i, b_i), (a_j, b_j) = cost, other_cost
    if not math.isfinite(a_i):  # unknown cost: a constant score K_i
        return _one_unknown(k_i, k_j, a_j, b_j, weight_points, materiality)
    if not math.isfinite(a_j):
        return _one_unknown(k_j, k_i, a_i, b_i, weight_points, materiality)
    d, wm = k_i - k_j, weight_points * materiality
    big_i, big_j = materiality + a_i, materiality + a_j
    quadratic = d * b_i * b_j
    linear = d * (big_i * b_j + big_j * b_i) + wm * (b_j - b_i)
    constant = d * big_i * big_j + wm * (big_j - big_i)
    return _roots(quadratic, linear, constant)


def _one_unknown(k_flat: float, k: float, a: float, b: float, weight_points: float,
                 materiality: float) -> tuple[float, ...]:
    # k_flat = k + W M / (M + a + b p)  =>  (k_flat - k)(M + a + b p) = W M
    gap = k_flat - k
    if gap <= 0 or b == 0:
        return ()
    return ((weight_points * materiality / gap - materiality - a) / b,)


def _roots(quadratic: float, linear: float, constant: float) -> tuple[float, ...]:
    scale = max(abs(quadratic), abs(linear), abs(constant))
    if scale == 0:
        return ()
    if abs(quadratic) <= 1e-15 * scale:
        return () if linear == 0 else (-constant / linear,)
    discriminant = linear * linear - 4.0 * quadratic * constant
    if discriminant < 0:
        return ()
    root = math.sqrt(discriminant)
    # The numerically stable pair: q = -(b + sign(b) sqrt(disc)) / 2; roots q / a and c / q.
    q = -0.5 * (linear + math.copysign(root, linear))
    found = [q / quadratic]
    if q != 0:
        found.append(constant / q)
    return tuple(sorted(set(found)))


# --- the result --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriceBreakEven:
    """One price item (unverified, or overridden by you): at ``value`` (USD in the item's
    unit) the recommendation changes from the one at the ``assumed`` value to
    ``recommended_beyond`` (for prices beyond ``value``, away from ``assumed``). ``exact``:
    solved in closed form and verified by re-evaluating just beyond (False: located by
    bisection)."""

    item: str
    assumed: float
    value: float
    recommended_beyond: str | None
    exact: bool = True

    @property
    def above(self) -> bool:
        return self.value > self.assumed

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "assumed": self.assumed, "value": round(self.value, 6),
                "recommended_beyond": self.recommended_beyond}




@dataclass(frozen=True, slots=True)
class VolumeBreakEven:
    """Along one volume parameter (the others as in the scenario): at ``value`` the cheapest
    feasible option changes from ``cheapest_below`` to ``cheaper_option``; re-evaluated just
    beyond it, the recommendation is ``recommended_beyond``."""

    parameter: str
    value: float
    cheaper_option: str
    cheapest_below: str
    recommended_beyond: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "value": round(self.value, 4),
                "cheaper_option": self.cheaper_option, "cheapest_below": self.cheapest_below,
                "recommended_beyond": self.recommended_beyond}


@dataclass(frozen=True)
class Robustness:
    """How firmly the recommendation holds. ``options``: the feasible options in the point
    ranking's order (infeasible options are never sampled and are absent)."""

    settings: RobustnessSettings
    options: tuple[str, ...]
    acceptability: Mapping[str, tuple[float, ...]]  # option -> share at rank 1, 2, ...
    mean_rank: Mapping[str, float]
    flip_margins: tuple[FlipMargin, ...]
    break_even: tuple[VolumeBreakEven, ...]
    break_even_ranges: Mapping[str, tuple[float, float]]  # parameter -> range searched
    price_break_even: tuple[PriceBreakEven, ...] = ()

    @property
    def win_probability(self) -> dict[str, float]:
        return {o: self.acceptability[o][0] for o in self.options}

    def closest_flip(self) -> FlipMargin | None:
        """The flip margin with the smallest change (None when nothing flips)."""
        flips = [m for m in self.flip_margins if m.delta is not None]
        return min(flips, key=lambda m: abs(m.delta or 0.0), default=None)

    def to_dict(self) -> dict[str, Any]:
        s = self.settings
        return {
            "method": s.method,
            "concentration": None if s.uniform else s.concentration,
            "samples": s.samples,
            "seed": s.seed,
            "win_probability": {o: round(v, 4) for o, v in self.win_probability.items()},
            "mean_rank": {o: round(self.mean_rank[o], 4) for o in self.options},
            "rank_acceptability": {o: [round(v, 4) for v in self.acceptability[o]]
                                   for o in self.options},
            "flip_margins": [m.to_dict() for m in self.flip_margins],
            "break_even": [b.to_dict() for b in self.break_even],
            "break_even_ranges": {p: [round(a, 4), round(b, 4)]
                                  for p, (a, b) in self.break_even_ranges.items()},
            "price_break_even": [b.to_dict() for b in self.price_break_even],
        }
