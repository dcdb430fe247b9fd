"""Extra outputs: sections beyond the standard ones, declared by a decision.

An extra output has a ``title``, an ``html(evaluation)`` view and a ``markdown(evaluation,
text, cite)`` form for decision records (``[]`` to leave it out). A decision lists its own in
``Decision.extra_outputs`` (a :class:`~archlib._sweep.Sweep` is one); a decision with a
placement model gets :data:`PLACEMENTS` first. Every view (notebook, report, decision record,
explorer) draws them with one function: :func:`archlib.views.extra_outputs_html` or
:func:`archlib.views.extra_outputs_markdown`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .formatting import usd

if TYPE_CHECKING:
    from ._engine import Evaluation

__all__ = ["PLACEMENTS", "ExtraOutput", "Placements"]


class ExtraOutput(Protocol):
    """What the views need of an extra output."""

    @property
    def title(self) -> str: ...

    def html(self, ev: Evaluation) -> str: ...

    def markdown(self, ev: Evaluation, text: Callable[[object], str],
                 cite: Callable[[str], str]) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class Placements:
    """Where each service the decision covers should live (``Evaluation.placements``, from
    the decision's placement model; also ``placements`` in the JSON)."""

    title: str = "Placements"

    def html(self, ev: Evaluation) -> str:
        from .views import placements_html

        return placements_html(ev)

    def markdown(self, ev: Evaluation, text: Callable[[object], str],
                 cite: Callable[[str], str]) -> list[str]:
        if not ev.placements:
            return []
        rows = [[f"`{p.service}`", text(p.placement), f"{text(p.reason)} {cite(p.source)}",
                 usd(p.monthly_cost_difference_usd) if p.compared_with else "-",
                 text(p.compared_with or "-")] for p in ev.placements]
        header = ["service", "placement", "why", "saves USD per month", "against"]
        return ["### Service placements", "",
                "| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|",
                *("| " + " | ".join(row) + " |" for row in rows), ""]


#: The placements output every decision with a placement model shows.
PLACEMENTS = Placements()
