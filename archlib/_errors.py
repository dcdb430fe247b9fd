"""The one error type users see: bad input, reported as a single line.

:func:`one_line` is the one place a message becomes printable: every error line (CLI,
report rows, the index) goes through it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

__all__ = ["MAX_LINE", "MAX_PROBLEMS", "InputError", "from_validation_error", "one_line",
           "printable"]

#: Characters in one error line (the rest is cut, and counted).
MAX_LINE = 400
#: Problems listed in one line from pydantic's errors (the rest are counted).
MAX_PROBLEMS = 3
#: C0 and C1 controls (newline and tab included), DEL, and the Unicode line/paragraph
#: separators and bidirectional overrides, which can forge or reorder what a terminal shows.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return named.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100
                               else f"\\u{ord(char):04x}")


def printable(text: str) -> str:
    """``text`` with control characters escaped (``\\n``, ``\\x1b``): one line, safe for a
    terminal or a log."""
    return _UNPRINTABLE.sub(_escape, text)


def one_line(text: str, limit: int = MAX_LINE) -> str:
    """``text`` as one printable line of at most about ``limit`` characters; what is cut is
    counted (``... (1234 more characters)``)."""
    shown = printable(text)
    if len(shown) <= limit:
        return shown
    return f"{shown[:limit]}... ({len(shown) - limit} more characters)"


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
        """``where: field: problem``, one printable line of bounded length."""
        # The file or --set item and the field are cut short first, so the problem shows.
        parts = [_short(p, 120) for p in (self.where, self.field) if p]
        return one_line(": ".join([*parts, self.problem]))

    def located(self, where: str, prefix: str = "") -> InputError:
        """The same error, attributed to a file (and nested under ``prefix``)."""
        field = ".".join(p for p in (prefix, self.field) if p)
        return InputError(self.problem, where=self.where or where, field=field)


def _loc(loc: Sequence[int | str]) -> str:
    return ".".join(str(p) for p in loc)


def from_validation_error(
    error: ValidationError, *, where: str = "", prefix: str = ""
) -> InputError:
    """One line from pydantic's errors: the first few failing fields and their problems,
    then how many more there are."""
    items: list[tuple[str, str]] = []
    errors = error.errors()
    for err in errors[:MAX_PROBLEMS]:
        loc = _loc([p for p in (prefix,) if p] + list(err["loc"]))
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "literal_error":
            msg = msg.replace("Input should be", "must be")
        items.append((_short(loc), _short_value(msg, err.get("input"))))
    first_field, first_msg = items[0]
    rest = [f"{f}: {m}" for f, m in items[1:]]
    if len(errors) > MAX_PROBLEMS:
        rest.append(f"and {len(errors) - MAX_PROBLEMS} more problem(s)")
    problem = "; ".join([first_msg, *rest])
    return InputError(problem, where=where, field=first_field)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _short_value(msg: str, value: Any) -> str:
    if isinstance(value, str | int | float | bool) and not isinstance(value, dict):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**40:
            # (repr of a huge int raises: Python caps int-to-text conversion)
            return f"{msg} (got a number of about {int(value.bit_length() * 0.30103)} digits)"
        return f"{msg} (got {_short(repr(value))})"
    return msg
