"""nbconvert's HTML exporter with its last step done in one streaming pass (issue 23).

``nbconvert.HTMLExporter.from_notebook_node`` ends by parsing the whole page with
Beautiful Soup (``html.parser``), adding an ``alt`` to each image without one and a
``tabindex`` to each cell input and output of the notebook, and writing the tree back out.
On a report that pass costs 0.10-0.17 CPU-s (measured on the bundled reports: three
quarters of the export, the largest cost a batch worker has per report), nearly all of it
building and walking the tree: ``html.parser`` alone reads a page in 25 ms.

:class:`StreamingHTMLExporter` hands nbconvert a stand-in for ``BeautifulSoup`` that writes
the same text without the tree. It is driven by Beautiful Soup's own parser front-end
(``BeautifulSoupHTMLParser``: tokens, entity and character references, empty elements,
repeated attributes) and uses its tree builder's tables and its "minimal" formatter; what it
models is the tree builder's part: an end tag closes the open elements above its match (or
nothing, when none is open), whitespace-only text becomes one space or newline outside
``<pre>``/``<textarea>``, multi-valued attributes are split and joined, ``<meta>``
charsets are rewritten, text in ``<script>``/``<style>`` is left as it is, attributes are
written sorted. The elements nbconvert selects are handed back as stand-ins that record
what nbconvert sets on them; when that is what the pass applied (the alt text, the
tabindex), the streamed page is the answer, and otherwise (another selector, another edit,
another parser or argument, any other use of the soup, a ``<template>``, a declaration
other than a doctype) Beautiful Soup builds the tree after all and the recorded edits are
replayed on the elements its own selectors find. So the page is byte-identical either way:
``tests/test_report_htmlpass.py`` compares the two on generated documents and on every
bundled report.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from bs4 import BeautifulSoup
from bs4.builder._htmlparser import BeautifulSoupHTMLParser, HTMLParserTreeBuilder
from bs4.element import AttributeValueWithCharsetSubstitution, Comment, Doctype
from bs4.formatter import HTMLFormatter
from nbconvert import HTMLExporter

__all__ = ["NBCONVERT_EDITS", "StreamingHTMLExporter", "StreamingSoup", "stream_page"]

#: nbconvert's selectors, in the order it applies them, and what it sets on each match.
NBCONVERT_EDITS: dict[str, dict[str, str]] = {
    "img:not([alt])": {"alt": "No description has been provided for this image"},
    ".jp-Notebook div.jp-Cell-inputWrapper": {"tabindex": "0"},
    ".jp-Notebook div.jp-OutputArea-output": {"tabindex": "0"},
}
_IMG, _INPUT, _OUTPUT = NBCONVERT_EDITS
_NOTEBOOK_CLASS = "jp-Notebook"
_ROOT = BeautifulSoup.ROOT_TAG_NAME
_SPACES = BeautifulSoup.ASCII_SPACES
#: The only string kinds a page may hold here; anything else is Beautiful Soup's to write.
_PREFORMATTED = (Comment, Doctype)
_ENCODING = "utf-8"  # what str(soup) writes into a <meta> charset (bs4's default)


class _Unsupported(Exception):
    """A construct the streaming pass does not model: Beautiful Soup does the page."""


class _Element:
    """What ``BeautifulSoupHTMLParser`` reads back from a tag it started."""

    __slots__ = ("is_empty_element",)

    def __init__(self, empty: bool) -> None:
        self.is_empty_element = empty


_VOID, _NOT_VOID = _Element(True), _Element(False)


class _Meta(dict[str, Any]):
    """A ``<meta>`` tag's attributes, as the tree builder's charset substitution reads them."""

    name = "meta"

    def get_attribute_list(self, key: str) -> list[Any]:
        value = self.get(key)
        return [] if value is None else value if isinstance(value, list) else [value]


class _Stream:
    """The tree builder interface ``BeautifulSoupHTMLParser`` drives (``handle_starttag``,
    ``handle_endtag``, ``handle_data``, ``endData``), writing each piece as Beautiful Soup
    would write the finished tree: an element's start as it opens (nothing later changes
    it: its attributes are known, and so is whether it is empty), its end as it closes."""

    def __init__(self, builder: HTMLParserTreeBuilder) -> None:
        self.builder = builder
        self.formatter = formatter = HTMLFormatter.REGISTRY["minimal"]
        # what formatter.substitute (and attribute_value) does to a str that is not one of
        # the tree's strings, without its per-call import and checks
        assert formatter.entity_substitution is not None
        self.substitute = formatter.entity_substitution
        self.pieces: list[str] = []
        self.current_data: list[str] = []
        #: open elements: (name, within a jp-Notebook element (itself included), keeps
        #: whitespace, is empty)
        self.stack: list[tuple[str, bool, bool, bool]] = []
        self.open_tag_counter: Counter[str] = Counter()
        self.preserving = 0
        self.matches: Counter[str] = Counter()
        self.contains_replacement_characters = False

    def handle_starttag(self, name: str, namespace: str | None, nsprefix: str | None,
                        attrs: dict[str, Any], sourceline: int | None = None,
                        sourcepos: int | None = None,
                        namespaces: dict[str, str] | None = None) -> _Element:
        if name == "template":  # its contents are not the document's to soupsieve
            raise _Unsupported(name)
        self.endData()
        attrs = self.builder._replace_cdata_list_attribute_values(name, attrs)
        if name == "meta":
            meta = _Meta(attrs)
            self.builder.set_up_substitutions(meta)  # type: ignore[arg-type]  # what it reads of a Tag
            attrs = meta
        within = bool(self.stack) and self.stack[-1][1]
        classes = attrs.get("class", ())
        if name == "img" and "alt" not in attrs:
            attrs.update(NBCONVERT_EDITS[_IMG])
            self.matches[_IMG] += 1
        if name == "div" and within:
            for selector, wanted in ((_INPUT, "jp-Cell-inputWrapper"),
                                     (_OUTPUT, "jp-OutputArea-output")):
                if wanted in classes:
                    attrs.update(NBCONVERT_EDITS[selector])
                    self.matches[selector] += 1
        empty = bool(self.builder.can_be_empty_element(name))
        self.pieces.append(f"<{name}{self._attributes(attrs)}{'/' if empty else ''}>")
        keeps = name in self.builder.preserve_whitespace_tags
        self.stack.append((name, within or _NOTEBOOK_CLASS in classes, keeps, empty))
        self.open_tag_counter[name] += 1
        self.preserving += keeps
        return _VOID if empty else _NOT_VOID

    def _attributes(self, attrs: dict[str, Any]) -> str:
        quote, substitute = self.formatter.quoted_attribute_value, self.substitute
        parts = []
        for key, value in sorted(attrs.items()):
            if isinstance(value, list | tuple):
                value = " ".join(value)
            elif isinstance(value, AttributeValueWithCharsetSubstitution):
                value = value.substitute_encoding(_ENCODING)
            elif not isinstance(value, str):
                raise _Unsupported(f"attribute {key!r} of type {type(value).__name__}")
            parts.append(f"{key}={quote(substitute(value))}")
        return " " + " ".join(parts) if parts else ""

    def handle_endtag(self, name: str, nsprefix: str | None = None) -> None:
        self.endData()
        if name == _ROOT:
            return
        while self.stack and self.open_tag_counter[name]:
            if self._pop() == name:
                break

    def _pop(self) -> str:
        name, _, keeps, empty = self.stack.pop()
        self.open_tag_counter[name] -= 1
        self.preserving -= keeps
        if not empty:
            self.pieces.append(f"</{name}>")
        return name

    def handle_data(self, data: str) -> None:
        self.current_data.append(data)

    def endData(self, containerClass: Any = None) -> None:
        if not self.current_data:
            return
        text = "".join(self.current_data)
        self.current_data = []
        if not self.preserving and not text.strip(_SPACES):
            text = "\n" if "\n" in text else " "
        if containerClass is None:
            parent = self.stack[-1][0] if self.stack else _ROOT
            if parent not in self.formatter.cdata_containing_tags:
                text = self.substitute(text)
            self.pieces.append(text)
        elif containerClass in _PREFORMATTED:
            self.pieces.append(f"{containerClass.PREFIX}{text}{containerClass.SUFFIX}")
        else:  # CData, a processing instruction, another declaration
            raise _Unsupported(containerClass.__name__)

    def finish(self) -> str:
        self.endData()
        while self.stack:
            self._pop()
        return "".join(self.pieces)


def stream_page(markup: str) -> tuple[str, Counter[str]]:
    """What ``str(BeautifulSoup(markup, "html.parser"))`` is once nbconvert's edits are
    made, and how many elements each of nbconvert's selectors matches. Raises
    :class:`_Unsupported` (or what ``html.parser`` raises) for what it does not model."""
    builder = HTMLParserTreeBuilder()
    stream = _Stream(builder)
    args, kwargs = builder.parser_args
    parser = BeautifulSoupHTMLParser(stream, *args, **kwargs)  # type: ignore[arg-type]
    parser.feed(markup)
    parser.close()
    return stream.finish(), stream.matches


class _Match:
    """An element nbconvert selected: records the attributes it sets."""

    def __init__(self) -> None:
        self.attrs: dict[str, Any] = {}


class StreamingSoup:
    """Stands in for ``BeautifulSoup(markup, features="html.parser")`` where nbconvert's
    exporter makes one (see the module's docstring): ``select`` for nbconvert's three
    selectors and ``str``; anything else is Beautiful Soup's, with the edits made so far
    replayed on its elements."""

    def __init__(self, markup: Any, features: Any = None, *args: Any, **kwargs: Any) -> None:
        self._call = (markup, features, args, kwargs)
        self._soup: BeautifulSoup | None = None
        self._selected: list[tuple[str, list[_Match]]] = []
        self._page: str | None = None
        self._matches: Counter[str] = Counter()
        if features == "html.parser" and isinstance(markup, str) and not (args or kwargs):
            with contextlib.suppress(Exception):  # Beautiful Soup will say what is wrong
                self._page, self._matches = stream_page(markup)

    def select(self, selector: str, *args: Any, **kwargs: Any) -> Sequence[Any]:
        if self._soup is None and self._page is not None and selector in NBCONVERT_EDITS \
                and not (args or kwargs) and selector not in dict(self._selected):
            matches = [_Match() for _ in range(self._matches[selector])]
            self._selected.append((selector, matches))
            return matches
        return self._real().select(selector, *args, **kwargs)

    def __str__(self) -> str:
        if self._soup is None and self._page is not None and self._as_streamed():
            return self._page
        return str(self._real())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._real(), name)

    def _as_streamed(self) -> bool:
        """Whether nbconvert selected and edited exactly what the pass applied."""
        return [s for s, _ in self._selected] == list(NBCONVERT_EDITS) and all(
            match.attrs == NBCONVERT_EDITS[selector] for selector, matches in self._selected
            for match in matches)

    def _real(self) -> BeautifulSoup:
        if self._soup is None:
            markup, features, args, kwargs = self._call
            self._soup = BeautifulSoup(markup, features, *args, **kwargs)
            for selector, matches in self._selected:
                for element, match in zip(self._soup.select(selector), matches, strict=True):
                    element.attrs.update(match.attrs)
        return self._soup


#: One export at a time swaps the name nbconvert's exporter module looks up.
_SWAP = threading.Lock()


@contextlib.contextmanager
def _streaming_soup() -> Iterator[None]:
    module = sys.modules[HTMLExporter.__module__]
    with _SWAP:
        saved = getattr(module, "BeautifulSoup")  # noqa: B009 (a module's global, swapped)
        setattr(module, "BeautifulSoup", StreamingSoup)  # noqa: B010
        try:
            yield
        finally:
            setattr(module, "BeautifulSoup", saved)  # noqa: B010


class StreamingHTMLExporter(HTMLExporter):
    """``nbconvert.HTMLExporter`` whose closing Beautiful Soup pass is streamed (see the
    module's docstring): the same page, 0.1 CPU-s sooner per report."""

    def from_notebook_node(self, nb: Any, resources: Any = None,  # type: ignore[override]
                           **kw: Any) -> tuple[str, dict[str, Any]]:
        with _streaming_soup():
            result: tuple[str, dict[str, Any]] = super().from_notebook_node(nb, resources, **kw)
        return result
