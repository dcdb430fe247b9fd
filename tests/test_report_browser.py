"""The reports in a real browser (Debian's chromium through playwright, from file://): the
index and every report of the shared batch load without console errors or network requests,
every plotly chart drew with its title and axis titles, every diagram is inline SVG whose
icons resolve and decode, and the hostile scenario's text stays text (no dialog opens)."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from report_batch import (
    FIXTURES,
    Batch,
    batch_inputs,
    fault_batch,
    shared_batch,
)

from archlib import load_scenario
from archlib._errors import InputError

#: Every report the shared batch writes (known before it runs): (scenario file stem, decision).
REPORTS: list[tuple[str, str]] = []
for _path in batch_inputs():
    with contextlib.suppress(InputError):  # the broken fixture: a failed row, no report
        REPORTS += [(_path.stem, d) for d in load_scenario(_path).decisions]

#: What a page shows once loaded: charts, diagrams, icons, images, contents links.
FACTS_JS = """async () => {
  const charts = [...document.querySelectorAll('.archlib-chart')].map(div => {
    const full = div._fullLayout || {};
    const axis = name => full[name] ? {visible: full[name].visible !== false,
                                       title: (full[name].title || {}).text || ''} : null;
    return {drawn: !!div.querySelector('.main-svg'),
            title: (full.title || {}).text || '', x: axis('xaxis'), y: axis('yaxis')};
  });
  const diagrams = [...document.querySelectorAll('figure.archlib-diagram svg[role="img"]')]
    .map(svg => ({label: svg.getAttribute('aria-label') || '',
                  uses: [...svg.querySelectorAll('use')].map(u =>
                    (u.getAttribute('href') || u.getAttribute('xlink:href') || '').slice(1)),
                  width: svg.getBoundingClientRect().width}));
  const missingIcons = diagrams.flatMap(d => d.uses).filter(id => !document.getElementById(id));
  const iconSizes = [];
  for (const image of document.querySelectorAll('svg.archlib-icons symbol image')) {
    const img = new Image();
    img.src = image.getAttribute('href') || image.getAttribute('xlink:href');
    try { await img.decode(); iconSizes.push(img.naturalWidth); } catch (e) { iconSizes.push(0); }
  }
  const images = [...document.images].map(i => ({src: i.src.slice(0, 80),
                                                 width: i.complete ? i.naturalWidth : 0}));
  const contents = [...document.querySelectorAll('nav.archlib-toc a')].map(a =>
    ({target: a.getAttribute('href').slice(1),
      found: !!document.getElementById(a.getAttribute('href').slice(1))}));
  // the smallest diagram text as drawn (font size times the SVG's scale on screen)
  const textPx = [...document.querySelectorAll('figure.archlib-diagram svg[role="img"]')]
    .filter(svg => svg.getBoundingClientRect().width > 0)
    .flatMap(svg => [...svg.querySelectorAll('text')].map(t =>
      parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a));
  // issue 18 (D1): the summary band, whole, on the first screen
  const band = document.querySelector('.archlib-summary');
  const bandBox = band ? band.getBoundingClientRect() : null;
  return {charts, diagrams, missingIcons, iconSizes, images, contents,
          summary: bandBox && {top: bandBox.top, bottom: bandBox.bottom,
                               text: band.innerText},
          viewportHeight: window.innerHeight,
          diagramTextPx: textPx.length ? Math.min(...textPx) : null,
          viewportWidth: window.innerWidth,
          title: document.title, text: document.body.innerText};
}"""
#: At phone width: the page's own horizontal scroll, and what sticks out of the viewport.
PHONE_JS = """() => {
  const doc = document.documentElement, width = doc.clientWidth;
  const scrolls = el => { for (let p = el; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true; }
    return false; };
  // inside an SVG, drawing is clipped by the SVG itself: only the outermost <svg> counts
  const outside = [...document.querySelectorAll('body *')]
    .filter(el => !el.ownerSVGElement)
    .filter(el => { const r = el.getBoundingClientRect();
                    // (plotly measures text in an SVG parked at -10000 px: off screen)
                    return r.width > 0 && r.right > 0 && (r.left < -1 || r.right > width + 1)
                      && !scrolls(el); })
    .map(el => el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || ''));
  const titles = [...document.querySelectorAll('h1, h2, h3')].filter(h => h.scrollWidth >
    h.clientWidth + 1).map(h => h.textContent);
  const charts = [...document.querySelectorAll('.archlib-chart')].map(div =>
    ({width: div.getBoundingClientRect().width,
      svg: (div.querySelector('.main-svg') || {getBoundingClientRect: () => ({width: 0})})
        .getBoundingClientRect().width}));
  return {scrollWidth: doc.scrollWidth, width, outside: outside.slice(0, 10), titles, charts};
}"""
#: What printing shows: every folded section opened, every diagram laid out, no navigation.
PRINT_JS = """() => {
  window.dispatchEvent(new Event('beforeprint'));
  const shown = el => el.getBoundingClientRect().width > 0;
  return {folded: [...document.querySelectorAll('details')].filter(d => !d.open).length,
          diagramsShown: [...document.querySelectorAll('figure.archlib-diagram svg')]
                           .every(shown),
          navigationShown: [...document.querySelectorAll('nav.archlib-toc, .archlib-nav')]
                             .some(shown)};
}"""
ALL_CHARTS_DRAWN = """() => [...document.querySelectorAll('.archlib-chart')]
  .every(div => div.querySelector('.main-svg') || div.textContent.includes('plotly'))"""


@dataclass
class Visit:
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def assert_clean(self) -> None:
        assert not self.errors, f"console errors on {self.url}: {self.errors}"
        assert not self.dialogs, f"a dialog opened on {self.url}: {self.dialogs}"
        outside = [u for u in self.requests if not u.startswith(("file://", "data:"))]
        assert not outside, f"network requests from {self.url}: {outside}"


_VISITS: dict[Path, Visit] = {}
_PHONE_VISITS: dict[Path, dict[str, Any]] = {}
PHONE = {"width": 390, "height": 844}


def visit_on_phone(browser: Any, path: Path) -> dict[str, Any]:
    """What ``path`` looks like on a 390 px wide phone screen (PHONE_JS), once per page."""
    if path not in _PHONE_VISITS:
        context = browser.new_context(viewport=PHONE)
        try:
            page = context.new_page()
            page.goto(path.as_uri(), wait_until="load", timeout=30_000)
            page.wait_for_function(ALL_CHARTS_DRAWN, timeout=30_000)
            _PHONE_VISITS[path] = page.evaluate(PHONE_JS)
        finally:
            context.close()
    return _PHONE_VISITS[path]


def visit(browser: Any, path: Path) -> Visit:
    """Open ``path`` once in a fresh browser context and keep what happened (tests that
    look at the same page share the visit)."""
    if path in _VISITS:
        return _VISITS[path]
    seen = Visit(path.as_uri())
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.on("request", lambda r: seen.requests.append(r.url))
        page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen.errors.append(str(e)))

        def on_dialog(dialog: Any) -> None:
            seen.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(seen.url, wait_until="load", timeout=30_000)
        page.wait_for_function(ALL_CHARTS_DRAWN, timeout=30_000)
        seen.facts = page.evaluate(FACTS_JS)
        page.emulate_media(media="print")
        seen.facts["print"] = page.evaluate(PRINT_JS)
    finally:
        context.close()
    _VISITS[path] = seen
    return seen


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    return shared_batch(tmp_path_factory)


def assert_report_drew(seen: Visit) -> None:
    facts = seen.facts
    assert facts["charts"], "no chart"
    for chart in facts["charts"]:
        assert chart["drawn"], f"a chart did not draw on {seen.url}"
        assert chart["title"], "a chart without a title"
        for axis in (chart["x"], chart["y"]):
            if axis and axis["visible"]:
                assert axis["title"], f"an axis without a title in {chart['title']!r}"
    assert facts["diagrams"], "no diagram"
    for diagram in facts["diagrams"]:
        assert diagram["label"].startswith("Diagram of option "), diagram["label"]
        assert diagram["uses"], "a diagram without icons"
    assert facts["diagrams"][0]["width"] > 0, "the recommended option's diagram is not shown"
    assert not facts["missingIcons"], facts["missingIcons"]
    assert facts["iconSizes"] and min(facts["iconSizes"]) > 0, "an icon did not decode"
    assert all(i["width"] > 0 for i in facts["images"]), facts["images"]
    assert facts["contents"] and all(c["found"] for c in facts["contents"]), facts["contents"]
    assert facts["print"] == {"folded": 0, "diagramsShown": True, "navigationShown": False}
    # issue 18 (D1): the whole summary band is above the fold at 1280 x 800
    assert facts["summary"] is not None, "no summary band"
    assert facts["viewportHeight"] == 800
    assert 0 <= facts["summary"]["top"] < facts["summary"]["bottom"] <= 800, facts["summary"]
    assert "Monthly cost" in facts["summary"]["text"]
    # issue 18 (D16): the recommended option's diagram reads at the report's width
    assert facts["viewportWidth"] == 1280
    assert facts["diagramTextPx"] is not None and facts["diagramTextPx"] >= 11, \
        facts["diagramTextPx"]


@pytest.mark.parametrize(("stem", "decision"), REPORTS, ids=[f"{s}-{d}" for s, d in REPORTS])
def test_report_loads_offline_and_draws_everything(batch: Batch, chromium: Any, stem: str,
                                                   decision: str) -> None:
    seen = visit(chromium, batch.out / stem / f"{decision}.html")
    seen.assert_clean()
    assert_report_drew(seen)
    assert any(u.endswith("/assets/plotly.min.js") for u in seen.requests)


def test_index_loads_offline_and_links_every_report(batch: Batch, chromium: Any) -> None:
    seen = visit(chromium, batch.out / "index.html")
    seen.assert_clean()
    text = seen.facts["text"]
    for stem, decision in REPORTS:
        assert (batch.out / stem / f"{decision}.html").exists()
    assert "failed: decisions.s3-endpoints.vpc_count" in text  # the broken fixture's row
    assert "Prices as of" in text and "archlib" in text


def test_hostile_text_shows_as_text_and_runs_nothing(batch: Batch, chromium: Any) -> None:
    name = load_scenario(FIXTURES / "hostile.yaml").name
    for path in (batch.out / "hostile" / "s3-endpoints.html", batch.out / "index.html"):
        seen = visit(chromium, path)
        seen.assert_clean()  # includes: no alert() dialog opened
        first_line = name.splitlines()[0]
        assert first_line.strip() in seen.facts["text"], path
        assert "<script>alert(1)</script>" in seen.facts["text"]


@pytest.fixture
def lone_self_contained_report(tmp_path_factory: pytest.TempPathFactory,
                               tmp_path: Path) -> Iterator[Path]:
    """The self-contained report copied alone into an empty folder: no assets beside it."""
    _, out = fault_batch(tmp_path_factory)
    lone = tmp_path / "mailed.html"
    shutil.copyfile(out / "calm" / "s3-endpoints.html", lone)
    yield lone


def test_self_contained_report_draws_alone(chromium: Any, lone_self_contained_report: Path) -> None:
    seen = visit(chromium, lone_self_contained_report)
    seen.assert_clean()
    assert_report_drew(seen)
    assert seen.requests == [seen.url] or all(
        u == seen.url or u.startswith("data:") for u in seen.requests), seen.requests


# --- phone (issue 18, D8) ------------------------------------------------------------------


PAGES = ["index.html", *(f"{stem}/{decision}.html" for stem, decision in REPORTS)]


@pytest.mark.parametrize("page", PAGES)
def test_no_horizontal_scroll_on_a_phone(batch: Batch, chromium: Any, page: str) -> None:
    """At 390 px the page itself never scrolls sideways: wide tables and diagrams scroll in
    their own box, charts fit the screen, titles wrap."""
    facts = visit_on_phone(chromium, batch.out / page)
    assert facts["width"] <= PHONE["width"]
    assert facts["scrollWidth"] <= facts["width"], facts
    assert not facts["outside"], facts["outside"]
    assert not facts["titles"], facts["titles"]
    for chart in facts["charts"]:
        assert 0 < chart["svg"] <= facts["width"], chart


# --- index (issue 18, D14) ------------------------------------------------------------------


def _money(text: str) -> float | None:
    cleaned = text.replace("$", "").replace(",", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def test_index_sorts_by_a_clicked_column(batch: Batch, chromium: Any) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto((batch.out / "index.html").as_uri(), wait_until="load")
        heads = page.locator("main table thead th")
        column = [h.strip() for h in heads.all_inner_texts()].index("monthly cost")

        def costs() -> list[float | None]:
            return [_money(t) for t in page.locator(
                f"main table tbody tr.ok td:nth-child({column + 1})").all_inner_texts()]

        assert len(costs()) >= 6
        heads.nth(column).click()
        ascending = costs()
        known = [c for c in ascending if c is not None]
        assert known == sorted(known) and ascending[:len(known)] == known
        assert heads.nth(column).get_attribute("aria-sort") == "ascending"
        heads.nth(column).click()
        descending = [c for c in costs() if c is not None]
        assert descending == sorted(known, reverse=True)
        assert heads.nth(column).get_attribute("aria-sort") == "descending"
    finally:
        context.close()
