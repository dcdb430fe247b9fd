"""Extra outputs: sections beyond the standard ones, declared by a decision.

An extra output has an ``id``, a ``title``, a ``description`` (Markdown, may be empty), an
``html(evaluation)`` view and a ``markdown(evaluation, text, cite)`` form for decision records
(``[]`` to leave it out). A decision lists its own in ``Decision.extra_outputs`` (a
:class:`~archlib._sweep.Sweep` is one); a decision with a placement model gets
:data:`PLACEMENTS` first unless it lists a :class:`Placements` of its own (to word its
description or place it). Every view draws them with one function:
:func:`archlib.views.extra_outputs_html` or :func:`archlib.views.extra_outputs_markdown`; the
generated notebook gives each its own section (:func:`declared_outputs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .formatting import usd

if TYPE_CHECKING:
    from ._decision import Decision
    from ._engine import Evaluation

__all__ = ["PLACEMENTS", "ExtraOutput", "Placements", "declared_outputs"]


class ExtraOutput(Protocol):
    """What the views need of an extra output."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def description(self) -> str: ...

    def html(self, ev: Evaluation) -> str: ...

    def markdown(self, ev: Evaluation, text: Callable[[object], str],
                 cite: Callable[[str], str]) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class Placements:
    """Where each service the decision covers should live (``Evaluation.placements``, from
    the decision's placement model; also ``placements`` in the JSON)."""

    title: str = "Service placements"
    #: Markdown, line breaks kept (the notebook's lines stay within ruff's line length)
    description: str = ("Where each service should live, why, and what it saves against the\n"
                        "next-best placement where the sources give one.")
    id: str = "placements"

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
        return [f"### {self.title}", "",
                "| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|",
                *("| " + " | ".join(row) + " |" for row in rows), ""]


#: The placements output every decision with a placement model shows.
PLACEMENTS = Placements()


def declared_outputs(decision: Decision[Any], *,
                     placements: bool | None = None) -> tuple[ExtraOutput, ...]:
    """The decision's extra outputs, in order: :data:`PLACEMENTS` first when there are
    placements (``placements``; default: the decision has a placement model) and the
    decision lists no :class:`Placements` of its own, then ``Decision.extra_outputs``."""
    own = tuple(decision.extra_outputs)
    if placements is None:
        placements = decision.placements is not None
    if placements and not any(isinstance(o, Placements) for o in own):
        return (PLACEMENTS, *own)
    return own
