"""archlib.report.htmlpass: nbconvert's closing Beautiful Soup pass, streamed, must write the
same page as Beautiful Soup itself, for every document (property) and for real exports."""

from __future__ import annotations

import copy
import sys
import warnings
from collections.abc import Callable
from typing import Any

import nbformat
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from nbconvert import HTMLExporter

from archlib.report import htmlpass
from archlib.report.files import TEMPLATE_DIR

ALT = "No description has been provided for this image"


def nbconvert_edits(soup: Any) -> str:
    """What nbconvert 7's HTMLExporter.from_notebook_node does with its soup."""
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = ALT
    for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
        elem.attrs["tabindex"] = "0"
    for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    return str(soup)


def outcome(make: Callable[[str], Any], markup: str) -> tuple[str, str]:
    with warnings.catch_warnings():  # bs4's own warnings (markup that looks like XML...)
        warnings.simplefilter("ignore")
        try:
            return "page", nbconvert_edits(make(markup))
        except Exception as error:  # html.parser rejects some markup: both must
            return "error", type(error).__name__


def real(markup: str) -> Any:
    return BeautifulSoup(markup, features="html.parser")


def streamed(markup: str) -> Any:
    return htmlpass.StreamingSoup(markup, features="html.parser")


# --- documents, generated --------------------------------------------------------------------

TAGS = ["div", "span", "p", "img", "br", "hr", "input", "meta", "pre", "textarea", "script",
        "style", "a", "td", "table", "section", "svg", "path", "DIV", "Img", "template", "rt"]
ATTRS = ["class", "id", "alt", "tabindex", "charset", "http-equiv", "content", "rel",
         "headers", "data-x", "href", "checked", "ALT", "Class"]
CLASSES = ["jp-Notebook", "jp-Cell-inputWrapper", "jp-OutputArea-output", "x", "a  b",
           " jp-Notebook\tjp-Cell-inputWrapper ", "", "\xa0jp-Notebook"]
SPECIALS = "&<>\"' \n\t\x0c\r\xa0é=/"
REFS = ["&amp;", "&middot;", "&nbsp;", "&foo;", "&bogus", "&#39;", "&#x41;", "&#128;",
        "&#0;", "&#xD800;", "&#99999999;", "&#12a;", "&#x;", "&", "&lt", "&AMP;"]
text = st.text(alphabet=st.sampled_from(SPECIALS + "abcXYZ019"), max_size=12)
value = st.one_of(st.sampled_from(CLASSES), text,
                  st.sampled_from(["utf-8", "UTF8", "text/html; charset=latin-1",
                                   "Content-Type", "0"]))


@st.composite
def start_tag(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(TAGS))
    attrs = []
    for key in draw(st.lists(st.sampled_from(ATTRS), max_size=4)):
        quote = draw(st.sampled_from(['"', "'", "", None]))
        if quote is None:
            attrs.append(f" {key}")
        else:
            val = draw(value)
            if quote == "":
                val = "".join(c for c in val if c not in " \t\n\r\x0c\"'=<>`/") or "v"
            else:
                val = val.replace(quote, "")
            attrs.append(f" {key}={quote}{val}{quote}")
    return f"<{name}{''.join(attrs)}{draw(st.sampled_from(['>', '/>', ' />']))}"


fragment = st.one_of(
    start_tag(), start_tag(), start_tag(),
    st.sampled_from(TAGS).map(lambda name: f"</{name}>"),
    text, text,
    st.sampled_from(REFS),
    text.map(lambda t: f"<!--{t.replace('-', '')}-->"),
    st.sampled_from(["<!DOCTYPE html>", "<!doctype html>\n", "<![CDATA[x]]>",
                     "<?xml version='1.0'?>", "<!---->", "\n\n", " ", "<br></br>",
                     "</br>", "<p></p>", '<div class="jp-Notebook">',
                     '<div class="jp-Cell-inputWrapper">', '<img src="x.png">']),
)
document = st.lists(fragment, max_size=30).map("".join)


@settings(max_examples=600, deadline=None)
@given(document)
def test_streamed_page_is_beautiful_soups_for_every_document(markup: str) -> None:
    assert outcome(streamed, markup) == outcome(real, markup)


def test_a_page_nbconvert_edits_as_assumed_is_streamed_not_parsed_again() -> None:
    markup = ('<!DOCTYPE html><html><head><meta charset="UTF-8"></head><body>'
              '<div class="jp-Notebook"><div class="jp-Cell-inputWrapper  x">in</div>'
              '<div class="jp-OutputArea-output"><img src="a.png"><img alt="" src="b">'
              '</div></div><p>a &amp; b &middot; <br> c</body></html>')
    soup = streamed(markup)
    page = nbconvert_edits(soup)
    assert soup._soup is None  # no tree was built
    assert page == nbconvert_edits(real(markup))
    assert '<img alt="No description has been provided for this image" src="a.png"/>' in page
    assert '<div class="jp-Cell-inputWrapper x" tabindex="0">' in page
    assert '<meta charset="utf-8"/>' in page and "a &amp; b · <br/> c" in page


@pytest.mark.parametrize("edit", [
    pytest.param(lambda soup: [e.attrs.update(alt="another text")
                               for e in soup.select("img:not([alt])")], id="another edit"),
    pytest.param(lambda soup: [e.attrs.update(lang="en") for e in soup.select("p")],
                 id="another selector"),
    pytest.param(lambda soup: soup.find_all("img"), id="another use of the soup"),
])
def test_anything_else_nbconvert_does_is_beautiful_soups_with_the_edits_replayed(
        edit: Callable[[Any], Any]) -> None:
    markup = '<div class="jp-Notebook"><img src="a"><p>t</p></div>'
    soup, reference = streamed(markup), real(markup)
    for target in (soup, reference):
        target.select("img:not([alt])")  # nbconvert's first selector, matches not edited
        edit(target)
        nbconvert_edits(target)
    assert str(soup) == str(reference)
    assert soup._soup is not None


@pytest.mark.parametrize("markup", ["<p>a<![CDATA[b]]>c</p>", "<?php echo 1 ?><p>x</p>",
                                    "<div class='jp-Notebook'><template><img></template>"])
def test_constructs_it_does_not_model_are_left_to_beautiful_soup(markup: str) -> None:
    soup = streamed(markup)
    assert soup._page is None
    assert nbconvert_edits(soup) == nbconvert_edits(real(markup))


# --- real exports ----------------------------------------------------------------------------


def notebook() -> Any:
    v4: Any = nbformat.v4
    return v4.new_notebook(metadata={"language_info": {"name": "python"}}, cells=[
        v4.new_markdown_cell("# Title &amp; more\n\nText with `code`, <b>bold</b>, a\n\n"
                             "| a | b |\n|---|---|\n| 1 | 2 |\n\n![img](x.png)"),
        v4.new_code_cell("x = 1\nprint('<x> & y')", execution_count=1, outputs=[
            v4.new_output("stream", name="stdout", text="<x> & y\n"),
            v4.new_output("display_data", data={
                "text/html": "<table class='t'><tr><td>1</td><td>&nbsp;</td></tr></table>"
                             "<img src='data:image/png;base64,iVBORw0KGgo='>",
                "text/plain": "1"}),
            v4.new_output("execute_result", execution_count=1,
                          data={"image/svg+xml": "<svg><path d='M0 0'/></svg>",
                                "text/plain": "<svg>"})]),
        v4.new_code_cell("raise ValueError('no')", execution_count=2, outputs=[
            v4.new_output("error", ename="ValueError", evalue="no",
                          traceback=["\x1b[31mValueError\x1b[0m: no"])]),
    ])


@pytest.mark.parametrize("options", [
    pytest.param({}, id="nbconvert's lab template, inputs shown"),
    pytest.param({"template_name": "archlib", "extra_template_basedirs": [str(TEMPLATE_DIR)],
                  "exclude_input": True, "exclude_input_prompt": True,
                  "exclude_output_prompt": True}, id="archlib's template"),
])
def test_the_exporter_writes_what_nbconvert_writes(options: dict[str, Any]) -> None:
    resources = {"archlib": {"sources": [], "plotly_src": "", "plotly_inline": ""},
                 "metadata": {"name": "test"}}
    mine = htmlpass.StreamingHTMLExporter(**options)  # type: ignore[no-untyped-call]
    theirs = HTMLExporter(**options)  # type: ignore[no-untyped-call]
    nb = notebook()  # (its cells' ids are random)
    page, _ = mine.from_notebook_node(copy.deepcopy(nb), resources=copy.deepcopy(resources))
    expected, _ = theirs.from_notebook_node(nb, resources=resources)
    assert page == expected
    if not options:  # the edits were made: inputs and outputs focusable, the alt text
        assert 'tabindex="0"' in page and ALT in page
    module = sys.modules[HTMLExporter.__module__]
    assert module.BeautifulSoup is BeautifulSoup  # put back after the export


def test_the_exporter_puts_beautiful_soup_back_when_the_export_fails() -> None:
    v4: Any = nbformat.v4
    bad = v4.new_notebook()
    bad.cells = [{"cell_type": "nonsense"}]
    exporter: Any = htmlpass.StreamingHTMLExporter
    with pytest.raises(Exception):  # noqa: B017 (whatever nbconvert raises)
        exporter().from_notebook_node(bad)
    assert sys.modules[HTMLExporter.__module__].BeautifulSoup is BeautifulSoup
