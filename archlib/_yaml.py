"""The one YAML reader for user input (scenario files and ``--set`` values).

Strict and bounded, so no document can crash, hang or surprise it:

- YAML 1.2 core-schema numbers: ``017`` is 17 and ``1:00`` is text (YAML 1.1, PyYAML's
  default, reads them as 15 and 60); ``0o17`` and ``0x1f`` are octal and hex; ``1e3`` is a
  number. Booleans also accept YAML 1.1's yes/no/on/off (as PyYAML always has);
- data only: text, numbers, true/false, null, lists and maps, plus dates and ``!!binary``
  (read so that :func:`archlib._scenario.check_plain` can refuse them naming the field);
  any other tag (``!!python/...``, ``!!set``, ``!!omap``, merge keys) is refused here;
- a key given twice is an error (YAML 1.2 requires unique keys; PyYAML keeps the last);
- numbers: at most :data:`MAX_NUMBER_CHARS` characters and finite (``.inf``, ``.nan`` and
  ``1e999`` are refused), so nothing non-finite or huge reaches a model;
- at most :data:`MAX_DEPTH` nested levels and :data:`MAX_NODES` values, aliases counted at
  their full expanded size (a "billion laughs" file stops after the first few thousand) and
  an alias inside the node it names (a cycle) refused.

Every failure is an :class:`~archlib._errors.InputError` naming the line and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, ClassVar, cast

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from ._errors import InputError

__all__ = ["MAX_DEPTH", "MAX_NODES", "MAX_NUMBER_CHARS", "StrictLoader", "load_yaml"]

#: Nested lists/maps allowed (a scenario needs about five: decisions.<id>.weights.<name>).
MAX_DEPTH = 32
#: Values (scalars, lists, maps) in one document, each alias counted at its expanded size.
MAX_NODES = 10_000
#: Characters in one number (a dollar price or a count needs a dozen).
MAX_NUMBER_CHARS = 40


class _LimitError(yaml.MarkedYAMLError):
    """A document over one of the bounds above (shown like any other YAML error)."""


class _CoreResolver(BaseResolver):
    """YAML 1.2 core-schema implicit types (plus YAML 1.1 booleans)."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012  (its own, not PyYAML's)


for _tag, _pattern, _first in (
    ("bool", r"true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF",
     "tTfFyYnNoO"),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    ("float", r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)", "-+0123456789."),
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("timestamp", r"[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
     r"(?:(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?"
     r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?", "0123456789"),
):
    _CoreResolver.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}",
                                        re.compile(rf"^(?:{_pattern})\Z"), list(_first))


def _number_text(constructor: SafeConstructor, node: ScalarNode) -> str:
    text = str(constructor.construct_scalar(node))
    if len(text) > MAX_NUMBER_CHARS:
        raise ConstructorError(None, None, f"a number of {len(text)} characters is too long "
                               f"(at most {MAX_NUMBER_CHARS})", node.start_mark)
    return text


class _StrictConstructor(SafeConstructor):
    """Plain data only; keys unique; numbers short and finite."""

    yaml_constructors: ClassVar[dict[str | None, Any]] = {}  # only the tags added below

    def construct_core_int(self, node: ScalarNode) -> int:
        text = _number_text(self, node)
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        try:
            if digits.startswith("0o"):
                return sign * int(digits[2:], 8)
            if digits.startswith("0x"):
                return sign * int(digits[2:], 16)
            return sign * int(digits, 10)
        except ValueError:
            raise ConstructorError(None, None, f"not a whole number: {text!r}",
                                   node.start_mark) from None

    def construct_core_float(self, node: ScalarNode) -> float:
        text = _number_text(self, node)
        try:
            value = float(text.replace(".inf", "inf").replace(".Inf", "inf")
                          .replace(".INF", "inf").replace(".nan", "nan")
                          .replace(".NaN", "nan").replace(".NAN", "nan"))
        except ValueError:
            raise ConstructorError(None, None, f"not a number: {text!r}",
                                   node.start_mark) from None
        if not math.isfinite(value):
            raise ConstructorError(None, None, f"numbers must be finite (got {text})",
                                   node.start_mark)
        return value

    def construct_checked_timestamp(self, node: ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:  # 2024-13-45
            raise ConstructorError(None, None, "not a date the calendar has",
                                   node.start_mark) from None

    def flatten_mapping(self, node: MappingNode) -> None:
        """No merge keys (``<<``): a ``!!merge`` key is an unknown tag like any other."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: the base class says so
                continue
            if first is not None:
                raise ConstructorError(
                    None, None, f"key {key!r} given twice (first on line {first.line + 1})",
                    key_node.start_mark)
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


_CONSTRUCTORS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("null", SafeConstructor.construct_yaml_null),
    ("bool", SafeConstructor.construct_yaml_bool),
    ("int", _StrictConstructor.construct_core_int),
    ("float", _StrictConstructor.construct_core_float),
    ("str", SafeConstructor.construct_yaml_str),
    ("seq", SafeConstructor.construct_yaml_seq),
    ("map", SafeConstructor.construct_yaml_map),
    ("timestamp", _StrictConstructor.construct_checked_timestamp),
    ("binary", SafeConstructor.construct_yaml_binary),
)
for _tag, _method in _CONSTRUCTORS:
    _StrictConstructor.yaml_constructors[f"tag:yaml.org,2002:{_tag}"] = _method
_StrictConstructor.yaml_constructors[None] = SafeConstructor.construct_undefined  # the rest


class _BoundedComposer(Composer):
    """PyYAML's composer, counting values (aliases at their expanded size) and depth."""

    peek_event: Callable[[], Any]  # from the Parser it is mixed with

    def __init__(self, max_nodes: int = MAX_NODES) -> None:
        super().__init__()
        self._max_nodes = max_nodes
        self._count = 0
        self._depth = 0
        self._sizes: dict[str, int] = {}  # anchor -> expanded size of its node
        self._open: set[str] = set()  # anchors whose node is being composed

    def _add(self, n: int, mark: Any) -> None:  # (PyYAML's marks have two types)
        self._count += n
        if self._count > self._max_nodes:
            raise _LimitError(None, None, f"more than {self._max_nodes} values (aliases counted "
                              "at their expanded size)", mark)

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            if event.anchor in self._open:
                raise _LimitError(None, None, f"alias *{event.anchor} is inside the node it "
                                  "names (a cycle)", cast(Any, event.start_mark))
            self._add(self._sizes.get(str(event.anchor), 1), event.start_mark)
            return cast(Node, super().compose_node(parent, index))
        nested = isinstance(event, CollectionStartEvent)
        if nested:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _LimitError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                  cast(Any, event.start_mark))
        start = self._count
        self._add(1, event.start_mark)
        anchor = event.anchor
        if anchor is not None:
            self._open.add(anchor)
        node = cast(Node, super().compose_node(parent, index))
        if anchor is not None:
            self._open.discard(anchor)
            self._sizes[anchor] = self._count - start
        if nested:
            self._depth -= 1
        return node


class StrictLoader(Reader, Scanner, Parser, _BoundedComposer, _StrictConstructor,
                   _CoreResolver):
    """The loader behind :func:`load_yaml` (see the module's docstring)."""

    def __init__(self, stream: str, max_nodes: int = MAX_NODES) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _BoundedComposer.__init__(self, max_nodes)
        _StrictConstructor.__init__(self)
        _CoreResolver.__init__(self)


def load_yaml(text: str, *, where: str, field: str = "", max_nodes: int = MAX_NODES) -> Any:
    """One YAML document from ``text`` as plain data, or an :class:`InputError` at ``where``
    (a file, or a ``--set`` item) naming the line and column. ``max_nodes``: a larger bound
    for documents that are tables (a fleet inventory has thousands of rows)."""
    loader = None
    try:
        loader = StrictLoader(text, max_nodes)  # (its reader already checks the characters)
        return loader.get_single_data()
    except ReaderError as error:
        char = error.character
        code = ord(char) if isinstance(char, str) else int(char)
        raise InputError(f"character {error.position + 1}: U+{code:04X} is not allowed: "
                         f"{error.reason}", where=where, field=field) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        context = getattr(error, "context", None)
        if context and not isinstance(error, ConstructorError):
            problem = f"{context}, {problem}"  # e.g. "while scanning a simple key, ..."
        kind = "" if isinstance(error, _LimitError | ConstructorError) else "broken YAML: "
        raise InputError(f"{at}{kind}{problem}", where=where, field=field) from None
    except (RecursionError, MemoryError):  # a guard: the bounds above should come first
        raise InputError("too large or nested too deeply", where=where, field=field) from None
    finally:
        if loader is not None:
            loader.dispose()
