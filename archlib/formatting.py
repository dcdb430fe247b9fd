"""How numbers and money read in every view (HTML, Markdown, decision records, reports).

One module, so a table in a report and a sentence in a decision record never disagree on
how $1,234.50 or 99.95% is written.
"""

from __future__ import annotations

from ._money import cents

__all__ = ["count", "quantity", "share", "significant", "usd"]


def usd(value: float | None) -> str:
    """Monthly money to the cent with thousands separators (``$1,234.50``); ``unknown`` for
    None (a cost with a price nobody gave)."""
    return "unknown" if value is None else f"${cents(value):,.2f}"


def share(value: float) -> str:
    """A share as a percentage that never rounds a near-certainty to certainty (``<0.1%``,
    ``>99.9%``)."""
    if 0.0 < value < 0.001:
        return "<0.1%"
    if 0.999 < value < 1.0:
        return ">99.9%"
    return f"{100.0 * value:.1f}%"


def quantity(value: float) -> str:
    """A volume or count: up to two decimals below 100 (trailing zeros dropped), whole
    numbers with thousands separators from 100 (``12.5``, ``20,000``)."""
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value < 100 else f"{value:,.0f}"


def significant(value: float) -> str:
    """Four significant digits (``0.1235``, ``1.235e+04``), for raw criterion values."""
    return f"{value:.4g}"


def count(n: int, word: str, plural: str | None = None) -> str:
    """``1 VPC``, ``2 VPCs``, ``1,000 peering connections``: a count with its noun in the
    right number (``plural`` when adding an s is wrong), never ``VPC(s)``."""
    return f"{n:,} {word if n == 1 else plural or word + 's'}"
