"""The one error type users see: bad input, reported as a single line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

__all__ = ["InputError", "from_validation_error"]


class InputError(ValueError):
    """Bad input: says where (file or ``--set``), which field, and what is wrong.

    ``str(error)`` is one line, ready for stderr.
    """

    def __init__(self, problem: str, *, where: str = "", field: str = "") -> None:
        self.problem = problem
        self.where = where
        self.field = field
        super().__init__(self.line())

    def line(self) -> str:
        parts = [p for p in (self.where, self.field) if p]
        return ": ".join([*parts, self.problem])

    def located(self, where: str, prefix: str = "") -> InputError:
        """The same error, attributed to a file (and nested under ``prefix``)."""
        field = ".".join(p for p in (prefix, self.field) if p)
        return InputError(self.problem, where=self.where or where, field=field)


def _loc(loc: Sequence[int | str]) -> str:
    return ".".join(str(p) for p in loc)


def from_validation_error(
    error: ValidationError, *, where: str = "", prefix: str = ""
) -> InputError:
    """One line from pydantic's errors: every failing field, its problem."""
    items: list[tuple[str, str]] = []
    for err in error.errors():
        loc = _loc([p for p in (prefix,) if p] + list(err["loc"]))
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "literal_error":
            msg = msg.replace("Input should be", "must be")
        items.append((loc, _short(msg, err.get("input"))))
    first_field, first_msg = items[0]
    rest = [f"{f}: {m}" for f, m in items[1:]]
    problem = "; ".join([first_msg, *rest])
    return InputError(problem, where=where, field=first_field)


def _short(msg: str, value: Any) -> str:
    if isinstance(value, str | int | float | bool) and not isinstance(value, dict):
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return f"{msg} (got {shown})"
    return msg

