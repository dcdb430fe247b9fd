"""Money: one rounding rule, in one place.

Every cost item is rounded to the cent, half away from zero, once its binary float noise is
gone (it is first rounded to a millionth of a dollar, so ``0.0225 x 730``, stored as
16.42499999..., is the 16.425 the arithmetic says and bills 16.43). An option's monthly total is
the sum of its rounded items, added in decimal: the total always equals the sum of the items
shown, and neither the order of the items nor the Python version (3.12 changed float
``sum()``) can move it by a cent.

The continuous cost model behind the break-even volumes and the cost chart's lines is not
rounded (steps of a cent would hide where lines cross): :func:`exact_total` adds it with
``math.fsum``, correctly rounded and the same on every Python version.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

__all__ = ["bill", "billed_total", "cents", "exact_total"]

_CENT = Decimal("0.01")
_NOISE = Decimal("0.000001")  # far above float noise on any monthly bill, far below a cent


#: Amounts below this (in size) are rounded in whole numbers by :func:`_whole_cents`; larger
#: ones (no bill) through :mod:`decimal` itself, whose 28-digit context they may exceed.
_WHOLE_LIMIT = 1e15


def _decimal_cents(usd: float) -> Decimal:
    """The rule in :mod:`decimal`: the reference :func:`_whole_cents` equals."""
    return Decimal(usd).quantize(_NOISE, ROUND_HALF_EVEN).quantize(_CENT, ROUND_HALF_UP)


def _whole_cents(usd: float) -> int:
    """:func:`_decimal_cents` of a finite ``usd`` as a whole number of cents, in exact
    integer arithmetic (a float is ``n / d`` with ``d`` a power of two): to the millionth
    half to even, then to the cent half away from zero. A bill rounds thousands of items;
    this is several times quicker than three Decimal operations and the same number."""
    n, d = usd.as_integer_ratio()
    micros, rest = divmod(n * 1_000_000, d)  # floor, 0 <= rest < d
    if 2 * rest > d or (2 * rest == d and micros & 1):
        micros += 1
    whole = (abs(micros) + 5_000) // 10_000
    return -whole if micros < 0 else whole


def cents(usd: float) -> float:
    """``usd`` rounded to the cent by the rule above (non-finite values unchanged)."""
    if not math.isfinite(usd):
        return usd
    if -_WHOLE_LIMIT < usd < _WHOLE_LIMIT:
        # int / int is correctly rounded, as float() of the Decimal is: the same float.
        return _whole_cents(usd) / 100 + 0.0  # + 0.0: never -0.0
    return float(_decimal_cents(usd)) + 0.0


def bill(items: Mapping[str, float | None]) -> dict[str, float | None]:
    """Every item rounded to the cent; an unknown (None) item stays unknown."""
    return {name: None if usd is None else cents(usd) for name, usd in items.items()}


def billed_total(items: Mapping[str, float | None]) -> float | None:
    """The sum of the items rounded to the cent, added exactly; None when any is unknown."""
    values = list(items.values())
    if any(v is None for v in values):
        return None
    known = [v for v in values if v is not None]
    if not all(math.isfinite(v) for v in known):
        return math.fsum(known)  # an infinite price stays infinite
    if all(-_WHOLE_LIMIT < v < _WHOLE_LIMIT for v in known):
        return sum(_whole_cents(v) for v in known) / 100 + 0.0  # exact sum, one rounding
    return float(sum((_decimal_cents(v) for v in known), Decimal(0))) + 0.0


def exact_total(amounts: Iterable[float | None]) -> float | None:
    """The unrounded sum (``math.fsum``), None when any amount is unknown."""
    values = list(amounts)
    if any(v is None for v in values):
        return None
    return math.fsum(v for v in values if v is not None)
