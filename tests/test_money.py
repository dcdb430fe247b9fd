"""The one money rule (archlib._money): items to the cent, half away from zero after float
noise is removed; a total is the sum of its billed items."""

from __future__ import annotations

import json
import math
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import archlib
from archlib._decision import monthly_total
from archlib._money import bill, billed_total, cents, exact_total

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("usd", "billed"), [
    (0.0225 * 730, 16.43),  # the NLB-hour: 16.425 exactly, stored as 16.42499999...
    (1250.5 * 0.01, 12.51),  # 12.505
    (1 * 0.045, 0.05),  # F17's NAT processing for 1 GB (round() gives 0.04)
    (2.675, 2.68),  # round(2.675, 2) is 2.67: the float is below 2.675
    (32.85, 32.85),
    (1.004999, 1.0),  # below the half cent: down
    (0.0, 0.0),
    (-0.005, -0.01),  # half away from zero
    (-0.0, 0.0),
    (1e9 + 0.125, 1e9 + 0.13),
])
def test_cents(usd: float, billed: float) -> None:
    assert cents(usd) == billed
    assert math.copysign(1.0, cents(usd)) == math.copysign(1.0, billed)


def test_non_finite_amounts_pass_through() -> None:
    assert cents(math.inf) == math.inf
    assert billed_total({"a": math.inf, "b": 1.0}) == math.inf


def test_unknown_items_make_an_unknown_total() -> None:
    assert billed_total({"a": 1.0, "b": None}) is None
    assert exact_total([1.0, None]) is None
    assert bill({"a": 0.125, "b": None}) == {"a": 0.13, "b": None}


def test_the_readme_example_bills_32_83() -> None:
    """0.0225 x 730 + 50 x 0.006 + 2 x 0.01 x 730 + 50 x 0.01 + 50 x 2 x 0.01 (the cross-AZ
    hop, issue 14 F12) = 16.425 + 0.30 + 14.60 + 0.50 + 1.00: billed 16.43 + 0.30 + 14.60 +
    0.50 + 1.00 = $32.83. The four items without the hop show the rule on its own: billed
    $31.83 (Python 3.12's sum() makes their raw total 31.825 -> $31.82; 3.11's made it
    31.825000000000003 -> $31.83)."""
    ev = archlib.evaluate("quicksight-connectivity")
    option = ev.option("self-managed-privatelink")
    assert sorted(option.cost_breakdown.values()) == [0.3, 0.5, 1.0, 14.6, 16.43]
    assert option.monthly_cost_usd == 32.83
    assert monthly_total({"a": 16.425, "b": 0.3, "c": 14.6, "d": 0.5}) == 31.83


def test_f17_json_total_is_the_sum_of_its_items() -> None:
    """F17: 1 VPC, 1 AZ, 1 GB through a NAT gateway: 0.045 x 730 = 32.85 of hours, 1 x 0.045
    of processing billed 0.05 (was shown 0.04), total 32.90 = 32.85 + 0.05."""
    ev = archlib.evaluate("s3-endpoints", {"vpc_count": 1, "az_count": 1,
                                           "monthly_gb_in_vpc": 1, "allow_internet_path": True})
    nat = next(o for o in ev.to_dict()["options"] if o["id"] == "nat-gateway")
    assert sorted(nat["cost_breakdown"].values()) == [0.05, 32.85]
    assert nat["monthly_cost_usd"] == 32.9


@pytest.mark.parametrize("scenario", sorted((ROOT / "scenarios").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_every_json_total_adds_up(scenario: Path) -> None:
    loaded = archlib.load_scenario(scenario)
    for decision_id, params in loaded.decisions.items():
        data = json.loads(json.dumps(archlib.evaluate(decision_id, params,
                                                      prices=loaded.prices).to_dict()))
        for option in data["options"]:
            items = list(option["cost_breakdown"].values())
            if None in items:
                assert option["monthly_cost_usd"] is None
                continue
            added = sum((Decimal(repr(v)) for v in items), Decimal(0))
            assert Decimal(repr(option["monthly_cost_usd"])) == added, option["id"]


amounts = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False)


@given(st.lists(amounts, max_size=12), st.randoms(use_true_random=False))
def test_a_billed_total_ignores_item_order_and_adds_up(values: list[float],
                                                       rnd: random.Random) -> None:
    items = {f"item {i}": v for i, v in enumerate(values)}
    shuffled = list(items.items())
    rnd.shuffle(shuffled)
    total = billed_total(items)
    assert total == billed_total(dict(shuffled))
    assert total == billed_total(bill(items))  # billing twice changes nothing
    # Within half a cent per item (plus float noise) of the unrounded sum.
    assert total is not None
    assert abs(total - math.fsum(values)) <= 0.005 * len(values) + 1e-6 * (1 + len(values))


@given(amounts)
def test_cents_is_a_whole_number_of_cents_within_half_a_cent(usd: float) -> None:
    billed = cents(usd)
    assert cents(billed) == billed
    assert abs(billed - usd) <= 0.005 + 1e-6
    assert Decimal(repr(billed)) == Decimal(repr(billed)).quantize(Decimal("0.01"))


# --- the whole-number rounding against the Decimal rule it replaces ---------------------------


def _decimal_reference(usd: float) -> float:
    """The rule as written before the whole-number path: three Decimal operations."""
    from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP

    if not math.isfinite(usd):
        return usd
    exact = Decimal(usd).quantize(Decimal("0.000001"), ROUND_HALF_EVEN)
    return float(exact.quantize(Decimal("0.01"), ROUND_HALF_UP)) + 0.0


def _halfway(micros: int, cents_half: bool) -> float:
    """A float at (or the float nearest to) a halfway point: of a millionth (``micros`` + 0.5
    millionths) or of a cent (``micros`` millionths, ending in 5000)."""
    if cents_half:
        return (micros * 10_000 + 5_000) / 1_000_000
    return (2 * micros + 1) / 2_000_000


_AMOUNTS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),  # every float: tiny, huge, signed zero
    st.floats(min_value=-1e7, max_value=1e7),  # bills
    st.integers(-10**9, 10**9).map(lambda c: c / 100),  # whole cents
    st.integers(-10**9, 10**9).map(lambda c: c / 100 + 0.005),  # half cents, noisy
    st.builds(_halfway, st.integers(-10**8, 10**8), st.booleans()),
    st.builds(lambda p, q: p * q, st.floats(0, 1e4), st.floats(0, 1e3)),  # price x volume
    st.floats(min_value=-1e-5, max_value=1e-5),  # below and around a millionth
    st.floats(min_value=1e14, max_value=1e16),  # either side of the whole-number limit
)


@given(_AMOUNTS)
def test_cents_equals_the_decimal_rule(usd: float) -> None:
    from decimal import InvalidOperation

    try:
        expected = _decimal_reference(usd)
    except InvalidOperation:  # beyond Decimal's 28 digits (1e22 and up): raises as before
        with pytest.raises(InvalidOperation):
            cents(usd)
        return
    got = cents(usd)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected
        assert math.copysign(1.0, got) == math.copysign(1.0, expected)  # never -0.0


@given(st.lists(_AMOUNTS.filter(lambda v: abs(v) < 1e20), max_size=12))
def test_billed_total_equals_the_decimal_sum(amounts: list[float]) -> None:
    from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP

    items = {f"item{n}": v for n, v in enumerate(amounts)}
    got = billed_total(items)
    if not all(math.isfinite(v) for v in amounts):
        expected = math.fsum(amounts)
    else:
        expected = float(sum((Decimal(v).quantize(Decimal("0.000001"), ROUND_HALF_EVEN)
                              .quantize(Decimal("0.01"), ROUND_HALF_UP) for v in amounts),
                             Decimal(0))) + 0.0
    assert got is not None
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected
        assert math.copysign(1.0, got) == math.copysign(1.0, expected)


@pytest.mark.parametrize(("usd", "billed"), [
    (0.0000005, 0.0),  # the float is just below half a millionth: 0 millionths, 0 cents
    (0.0000015, 0.0),  # just above 1.5 millionths: 2 millionths, still 0 cents
    (0.0049994999, 0.0),  # 0.004999 to the millionth: below half a cent
    (0.004999995, 0.01),  # the float is above: 0.005000, half a cent away from zero
    (0.0049999995, 0.01),  # 0.005000 to the millionth, then up
    (-0.0049999995, -0.01),
    (123456789.125, 123456789.13),  # .125 exactly: half a cent, up
])
def test_cents_at_halfway_points(usd: float, billed: float) -> None:
    assert cents(usd) == billed == _decimal_reference(usd)
