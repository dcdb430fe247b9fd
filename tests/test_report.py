"""Batch reports: papermill runs each decision notebook with the scenario's parameters in a
pool of workers, nbconvert renders offline HTML with the project template, failures are
isolated rows, the index summarises, output is deterministic. (The browser checks are in
test_report_browser.py; both use the batch built once in report_batch.py.)"""

from __future__ import annotations

import html
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import nbformat
import pytest
from report_batch import (
    FIXTURES,
    STAMP,
    Batch,
    bundled_scenarios,
    fault_batch,
    kernel_story,
    shared_batch,
)
from typer.testing import CliRunner

import archlib
from archlib import decisions, report
from archlib._scenario import Scenario, load_scenario
from archlib.cli import app
from archlib.report import files as report_files
from archlib.report import index as report_index
from archlib.report import kernels as report_kernels

HTML_SCRIPT_SRC = re.compile(r"<script[^>]*\bsrc=[\"']([^\"']+)", re.I)
RESOURCE_URL = re.compile(r"<(?:img|link|iframe|source|video|audio)[^>]*\b(?:src|href)=[\"']"
                          r"([^\"']+)", re.I)
HOSTILE_SUMS = [str(6 * 7 * 1000 + n) for n in range(1, 7)]  # 42001 ... 42006


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    return shared_batch(tmp_path_factory)


def row_of(batch: Batch, file_name: str, decision: str = "s3-endpoints") -> report.ReportRow:
    (row,) = [r for r in batch.outcome.rows
              if Path(r.scenario).name == file_name and r.decision in (decision, "-")]
    return row


def ok_reports(batch: Batch) -> list[Path]:
    return [batch.out / r.html_path for r in batch.outcome.rows if r.ok]


# --- rows, files, index ----------------------------------------------------------------------


def test_every_bundled_scenario_and_decision_has_a_report(batch: Batch) -> None:
    scenarios = bundled_scenarios()
    assert scenarios
    index = (batch.out / "index.html").read_text()
    for path in scenarios:
        scenario = load_scenario(path)
        for decision_id in scenario.decisions:
            row = row_of(batch, path.name, decision_id)
            assert row.ok, row.reason
            assert row.html_path == f"{path.stem}/{decision_id}.html"
            assert (batch.out / row.html_path).stat().st_size > 0
            assert (batch.out / row.ipynb_path).stat().st_size > 0
            assert f'href="{row.html_path}"' in index and f'href="{row.ipynb_path}"' in index


def test_bundled_scenarios_use_every_decision() -> None:
    scenarios = [load_scenario(p) for p in bundled_scenarios()]
    assert len(scenarios) >= 3
    used = {d for s in scenarios for d in s.decisions}
    assert used == {d.id for d in decisions.all_decisions()}


def test_broken_scenario_is_a_failed_row_and_the_others_still_run(batch: Batch) -> None:
    broken = row_of(batch, "broken.yaml")
    assert not broken.ok
    assert broken.reason == ("decisions.s3-endpoints.vpc_count: Input should be greater "
                             "than or equal to 1 (got 0)"), broken.reason
    assert not batch.outcome.ok
    assert [r for r in batch.outcome.rows if not r.ok] == [broken]
    index = (batch.out / "index.html").read_text()
    assert f"failed: {html.escape(broken.reason)}" in index
    assert not (batch.out / "broken").exists()
    assert not list(batch.out.rglob("*.tmp")), "a temporary file was left behind"


def test_progress_hears_of_every_row_once(batch: Batch) -> None:
    assert batch.progress.totals == [len(batch.outcome.rows)]
    assert Counter(batch.progress.rows) == Counter(batch.outcome.rows)


def test_index_row_shows_recommendation_cost_runner_up_and_gap(batch: Batch) -> None:
    row = row_of(batch, "hybrid.yaml")
    ev = archlib.evaluate("s3-endpoints", dict(load_scenario(FIXTURES / "hybrid.yaml")
                                               .decisions["s3-endpoints"]))
    best, second = ev.option(ev.ranking[0]), ev.option(ev.ranking[1])
    assert best.score is not None and second.score is not None and best.monthly_cost_usd
    # On-premises callers rule out the gateway endpoint alone (seed 951); the seed's
    # single-VPC architecture, gateway plus interface (seed 958-964), is recommended.
    assert row.recommended == "gateway-plus-interface" == best.id
    index = (batch.out / "index.html").read_text()
    (tr,) = [t for t in re.findall(r"<tr class=\"ok\">.*?</tr>", index) if ">Hybrid<" in t]
    assert '<small class="archlib-id">gateway-plus-interface</small>' in tr
    assert f'<td class="num">${best.monthly_cost_usd:,.2f}</td>' in tr
    assert f'<small class="archlib-id">{second.id}</small>' in tr
    assert f'<td class="num">{best.score - second.score:.1f}</td>' in tr
    # it is best or tied-best on every criterion, so no sampled weighting can beat it
    assert '<td class="num">100.0%</td>' in tr
    # it dominates the others: the verdict is clear, styled as such
    assert ev.verdict is not None and ev.verdict.level == "clear"
    assert '<span class="archlib-badge verdict-clear"' in tr and ">clear</span>" in tr
    # issue 18 (D14): option titles, the runner-up's cost, the notebook as a download
    assert "Gateway plus interface endpoint<br>" in tr
    assert f"{second.title}<br>" in tr
    assert f"${second.monthly_cost_usd:,.2f} per month" in tr
    assert 'download>notebook (download)</a>' in tr
    assert "<th>how firm</th>" in index
    top = index.split("<main>")[0]
    assert "archlib</dt><dd>0.1.0" in top and "Prices as of</dt><dd>2026-11-01" in top
    assert f'class="archlib-generated">{STAMP}<' in top


def test_index_columns_are_a_list_to_extend(batch: Batch,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    extra = report.IndexColumn("options", lambda r: str(len(r.evaluation.options))
                               if r.evaluation else "-", numeric=True)
    # index_html reads the list of archlib.report.index (the package re-exports the same list)
    assert report.INDEX_COLUMNS is report_index.INDEX_COLUMNS
    monkeypatch.setattr(report_index, "INDEX_COLUMNS", [*report.INDEX_COLUMNS, extra])
    page = report.index_html(batch.outcome, STAMP)
    assert '<th class="num">options</th>' in page
    assert '<td class="num">8</td><td>ok</td>' in page  # s3-endpoints has eight options
    broken = row_of(batch, "broken.yaml")
    # the columns, a "variants" column when a scenario lists variants, and the status
    variants = any(r.variants for r in batch.outcome.rows)
    assert variants  # the bundled hub and hybrid scenarios list some
    assert f'<td colspan="{len(report_index.INDEX_COLUMNS) + 2}" class="failed">' in page
    assert broken.evaluation is None


# --- the executed notebook -------------------------------------------------------------------


def test_papermill_ran_the_notebook_with_the_scenario_parameters(batch: Batch) -> None:
    nb = nbformat.read(batch.out / "hybrid" / "s3-endpoints.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert "on_prem_access = True" in injected[0].source
    shown = json.dumps([c.get("outputs", []) for c in nb.cells])
    assert "Recommended: Gateway plus interface endpoint <small" in shown
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    page = (batch.out / "hybrid" / "s3-endpoints.html").read_text()
    assert "Recommended: Gateway plus interface endpoint <small" in page


def test_warm_kernels_leave_no_trace_in_the_notebooks(batch: Batch) -> None:
    """Kernels are started ahead and import archlib before their notebook is known; the
    notebook still counts its cells from 1 and nothing extra was displayed."""
    for row in batch.outcome.rows:
        if not row.ok:
            continue
        nb = nbformat.read(batch.out / row.ipynb_path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
        assert not code[0].outputs and not code[1].outputs  # parameters, injected parameters


@pytest.mark.parametrize("forked", [False, True], ids=["launched", "forked"])
def test_batch_kernels_start_warm_and_clean(forked: bool, tmp_path: Path) -> None:
    """A kernel started ahead (launched with a warm-up, or forked from the warm kernel parent)
    has archlib's notebook modules imported before it is given a notebook, and the warm-up
    left no name and used no execution count."""
    import sys

    from jupyter_core.utils import run_sync

    from archlib.report import kernelpool

    parent = (kernelpool.KernelParent(sys.executable, log_path=str(tmp_path / "parent.txt"))
              if forked else None)
    kernel = report_kernels.Kernel.start(report.KERNEL_NAME, parent)

    async def inspect() -> dict[str, Any]:
        client = kernel.km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.execute_interactive(
                "pass", user_expressions={
                    "loaded": "' '.join(sorted(m for m in ('archlib.notebook', "
                              "'archlib.charts', 'archlib.drawing', 'plotly.graph_objects', "
                              "'diagrams') if m in __import__('sys').modules))",
                    "names": "' '.join(sorted(k for k in globals() if k[0] != '_'))"},
                timeout=60)
            return dict(reply["content"])
        finally:
            client.stop_channels()

    try:
        content = run_sync(inspect)()
    except RuntimeError as error:  # e.g. the kernel died: what it and its parent said
        raise AssertionError(f"{error}; {kernel_story(kernel, tmp_path / 'parent.txt')}"
                             ) from error
    finally:
        kernel.close()
        if parent is not None:
            parent.close()
    assert content["status"] == "ok" and content["execution_count"] == 1
    shown = {k: v["data"]["text/plain"] for k, v in content["user_expressions"].items()}
    assert shown["loaded"] == ("'archlib.charts archlib.drawing archlib.notebook diagrams "
                               "plotly.graph_objects'")
    assert shown["names"] == "'In Out exit get_ipython open quit'"
    assert not Path(kernel.dir).exists()


# --- the HTML --------------------------------------------------------------------------------


def test_reports_are_offline_and_show_no_code(batch: Batch) -> None:
    assert (batch.out / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    for page_path in ok_reports(batch):
        page = page_path.read_text()
        assert HTML_SCRIPT_SRC.findall(page) == ["../assets/plotly.min.js"], page_path
        for url in RESOURCE_URL.findall(page):
            assert url.startswith("data:"), (page_path, url[:60])
        assert "file:" not in page
        assert "/work/" not in page and "site-packages" not in page and "/tmp/" not in page
        for cdn in ("require.js", "mathjax", "unpkg", "cdn.jsdelivr", "cdnjs", "cdn.plot.ly"):
            assert cdn not in page.lower(), (page_path, cdn)
        assert "from archlib import notebook" not in page  # no code cells
        assert "widget-view" not in page
        assert 'class="archlib-chart"' in page  # charts present as offline-drawn divs


def test_reports_are_small_and_carry_their_diagrams_inline(batch: Batch) -> None:
    for page_path in ok_reports(batch):
        page = page_path.read_text()
        assert len(page.encode()) < 400_000, page_path
        assert "data:image/svg+xml" not in page  # every diagram was inlined
        assert page.count('role="img" aria-label="Diagram of option ') >= 1, page_path
        defined = re.findall(r'<symbol id="(icon\.[0-9a-f]+)"', page)
        assert defined and len(defined) == len(set(defined)), "each icon once per report"
        used = set(re.findall(r'<use href="#(icon\.[0-9a-f]+)"', page))
        assert used <= set(defined), "a diagram refers to an icon the page lacks"


def test_report_has_title_block_contents_sources_and_print_style(batch: Batch) -> None:
    page = (batch.out / "hybrid" / "s3-endpoints.html").read_text()
    # issue 18: the header names decision and scenario; the summary band answers (verdict
    # badge, option title), the requirements matrix follows; metadata is one line
    for expected in ("Scenario: <strong>Hybrid", "<code>s3-endpoints</code>",
                     "Prices as of 2026-11-01", "archlib 0.1.0",
                     f'class="archlib-generated">{STAMP}<',
                     'href="https://aws.amazon.com/blogs/architecture/choosing-your-vpc-'
                     'endpoint-strategy-for-amazon-s3/"', "jupyter lab s3-endpoints.ipynb",
                     "@media print", '<a href="../index.html">All reports</a>',
                     'class="archlib-summary verdict-clear"',
                     '<span class="archlib-badge verdict-clear">clear</span> Recommended: '
                     "<strong>Gateway plus interface endpoint</strong>",
                     '<table class="archlib-requirements">',
                     "verdict-too-close-to-call"):  # the stylesheet styles every level
        assert expected in page, expected
    toc = re.search(r'<nav[^>]*class="archlib-toc".*?</nav>', page, re.S)
    assert toc is not None
    targets = re.findall(r'href="#([^"]+)"', toc.group(0))
    assert "Recommendation" in targets and len(targets) >= 5
    for target in targets:
        assert f'id="{target}"' in page, target
    # One diagram per option (recommended + the others), each with its description.
    assert page.count('aria-label="Diagram of option ') == 8  # s3-endpoints' options


def test_hostile_scenario_text_is_text_and_never_code(batch: Batch) -> None:
    row = row_of(batch, "hostile.yaml")
    assert row.ok, row.reason
    page = (batch.out / row.html_path).read_text()
    notebook = (batch.out / row.ipynb_path).read_text()
    index = (batch.out / "index.html").read_text()
    for text in (page, index):
        assert "<script>alert(" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=" in page
    assert "back\\slash" in page and "C:\\temp\\new" in page
    for computed in HOSTILE_SUMS:  # print(6*7*1000+n) or {{ }} evaluated anywhere
        assert computed not in page and computed not in notebook and computed not in index


def test_parameters_passed_to_papermill_are_declared_names_only() -> None:
    ev = archlib.evaluate("s3-endpoints", {"vpc_count": 2})
    params = report.notebook_parameters(ev, Scenario("n", "d", "x.yaml"))
    declared = set(ev.decision.params_model.model_fields)
    assert set(params) - declared == {"scenario_name", "scenario_description", "prices",
                                      "interactive"}
    assert all(re.fullmatch(r"[a-z_][a-z0-9_]*", k) for k in params)
    assert params["interactive"] is False


def test_unknown_field_never_reaches_papermill(tmp_path: Path) -> None:
    evil = write(tmp_path / "evil.yaml", """
name: evil
decisions:
  s3-endpoints:
    "x = 1; import os; os.system('touch pwned') #": 1
""")
    outcome = report.build_reports([evil], tmp_path / "out")
    (row,) = outcome.rows
    assert not row.ok and "unknown field" in row.reason
    assert not (tmp_path / "out" / "evil").exists()
    assert not (tmp_path / "out" / "assets").exists()  # nothing to render: no worker ran


def test_every_report_exports_as_nbconvert_itself_would(batch: Batch,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The closing Beautiful Soup pass, streamed (archlib.report.htmlpass), against
    nbconvert's own, on each executed notebook of the batch through archlib's template; and
    streamed indeed, never handed back to Beautiful Soup."""
    import copy

    from nbconvert import HTMLExporter

    from archlib.report.htmlpass import StreamingHTMLExporter, StreamingSoup

    options: dict[str, Any] = {
        "template_name": "archlib", "extra_template_basedirs": [str(report_files.TEMPLATE_DIR)],
        "exclude_input": True, "exclude_input_prompt": True, "exclude_output_prompt": True}
    resources = {"archlib": {"sources": [], "plotly_src": "", "plotly_inline": ""},
                 "metadata": {"name": "test"}}
    mine: Any = StreamingHTMLExporter(**options)
    theirs: Any = HTMLExporter(**options)
    notebooks = sorted(batch.out.rglob("*.ipynb"))
    assert len(notebooks) >= len(bundled_scenarios())

    def no_tree(self: StreamingSoup) -> Any:
        raise AssertionError("the page went to Beautiful Soup")

    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        expected, _ = theirs.from_notebook_node(copy.deepcopy(nb),
                                                resources=copy.deepcopy(resources))
        with monkeypatch.context() as patch:
            patch.setattr(StreamingSoup, "_real", no_tree)
            page, _ = mine.from_notebook_node(nb, resources=copy.deepcopy(resources))
        assert page == expected, path.relative_to(batch.out)


# --- determinism -----------------------------------------------------------------------------


def test_two_runs_are_byte_identical(batch: Batch,
                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    from report_batch import build

    again = tmp_path_factory.mktemp("again") / "out"
    build(again)

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = files(batch.out), files(again)
    assert sorted(first) == sorted(second)
    assert len([name for name in first if name.endswith(".html")]) >= 4
    for name in first:
        assert first[name] == second[name], name


def test_the_generation_time_is_declared_once_per_file(batch: Batch) -> None:
    """The only thing that may differ between runs without SOURCE_DATE_EPOCH."""
    assert (batch.out / "index.html").read_text().count(STAMP) == 1
    for row in batch.outcome.rows:
        if row.ok:
            page = (batch.out / row.html_path).read_text()
            assert page.count(STAMP) == 1
            assert f'<span class="archlib-generated">{STAMP}</span>' in page
            nb = nbformat.read(batch.out / row.ipynb_path, as_version=4)
            assert nbformat.writes(nb).count(STAMP) == 1
            assert nb.metadata["archlib"]["generated_at"] == STAMP


def test_generated_at_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert report.generated_at() == "1970-01-01T00:00:00Z"


def test_write_atomic_leaves_old_file_when_interrupted(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.html"
    report.write_atomic(target, "old")

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        report.write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


@pytest.mark.parametrize(("slugs", "expected"), [
    (["a", "b"], ["a", "b"]),
    (["x", "x", "x"], ["x", "x-2", "x-3"]),
    (["x-2", "x", "x"], ["x-2", "x", "x-3"]),
])
def test_two_files_with_one_stem_get_two_folders(slugs: list[str], expected: list[str]) -> None:
    used: set[str] = set()
    assert [report_files.unique_slug(s, used) for s in slugs] == expected


# --- faults: a notebook that raises, hangs, or kills its kernel --------------------------------

@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> tuple[report.ReportOutcome, Path]:
    return fault_batch(tmp_path_factory)


def test_failing_notebooks_are_rows_with_one_line_reasons(
    faults: tuple[report.ReportOutcome, Path],
) -> None:
    outcome, out = faults
    reasons = {Path(r.scenario).stem: r.reason for r in outcome.rows}
    assert reasons["calm"] == ""
    # the fault cell is notebook cell 4: title markdown, parameters, injected parameters
    assert reasons["boom"] == "notebook cell 4 raised RuntimeError: boom"
    assert reasons["slow"] == "notebook cell 4 timed out after 3 s (--cell-timeout)"
    assert reasons["crash"] == "the kernel died while running notebook cell 4"
    assert not outcome.ok
    index = (out / "index.html").read_text()
    for name in ("boom", "slow", "crash"):
        assert f"failed: {html.escape(reasons[name])}" in index
        assert not (out / name / "s3-endpoints.html").exists()  # stale report removed
    assert (out / "calm" / "s3-endpoints.html").exists()
    assert not list(out.rglob("*.tmp"))


def test_self_contained_report_inlines_plotly(faults: tuple[report.ReportOutcome, Path]) -> None:
    _, out = faults
    page = (out / "calm" / "s3-endpoints.html").read_text()
    assert not HTML_SCRIPT_SRC.findall(page)
    assert "plotly.js v" in page[:6_000_000] and len(page) > 4_000_000
    assert not (out / "assets").exists()


# --- the command -----------------------------------------------------------------------------

runner = CliRunner()


@pytest.mark.parametrize(("args", "message"), [
    (["--workers", "0"], "archlib: --workers: must be at least 1 (got 0)"),
    (["--cell-timeout", "0"], "archlib: --cell-timeout: must be at least 1 (got 0)"),
    (["--start-timeout", "-3"], "archlib: --start-timeout: must be at least 1 (got -3)"),
])
def test_report_command_rejects_bad_options(args: list[str], message: str,
                                            tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(FIXTURES / "hybrid.yaml"), "--out",
                                 str(tmp_path), *args])
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert not (tmp_path / "index.html").exists()


def test_report_command_quiet_prints_failures_and_summary(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(FIXTURES / "broken.yaml"), str(tmp_path / "no"),
                                 "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (f"FAILED  {FIXTURES / 'broken.yaml'}: decisions.s3-endpoints.vpc_count: "
                        "Input should be greater than or equal to 1 (got 0)")
    assert lines[1] == f"FAILED  {tmp_path / 'no'}: no such scenario file"
    assert lines[2] == f"0 report(s) written, 2 failed; index: {tmp_path / 'out' / 'index.html'}"
    assert "━" not in result.stderr  # no progress bar
    assert (tmp_path / "out" / "index.html").exists()


def test_report_command_passes_its_options_and_draws_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, Any] = {}

    def fake_build(paths: list[Path], out: Path, **options: Any) -> report.ReportOutcome:
        seen.update(options, paths=paths, out=out)
        progress = options["progress"]
        rows = (report.ReportRow("a.yaml", "A", "s3-endpoints", True, recommended="gateway",
                                 html_path="a/s3-endpoints.html"),
                report.ReportRow("b.yaml", "B", "s3-endpoints", False, "boom"))
        progress.started(len(rows))
        for row in rows:
            progress.finished(row)
        return report.ReportOutcome(out, rows)

    monkeypatch.setattr(report, "build_reports", fake_build)
    result = runner.invoke(app, ["report", "a.yaml", "b.yaml", "--out", str(tmp_path),
                                 "--workers", "3", "--cell-timeout", "7", "--start-timeout",
                                 "9", "--self-contained"])
    assert result.exit_code == 1
    assert seen["paths"] == [Path("a.yaml"), Path("b.yaml")] and seen["out"] == tmp_path
    assert (seen["workers"], seen["cell_timeout"], seen["start_timeout"],
            seen["self_contained"]) == (3, 7, 9, True)
    assert "ok      a.yaml s3-endpoints -> gateway" in result.stderr
    assert "FAILED  b.yaml s3-endpoints: boom" in result.stderr
    assert "1 done, 1 failed, 0 remaining" in result.stderr
    assert result.stderr.strip().endswith(f"1 report(s) written, 1 failed; index: "
                                          f"{tmp_path / 'index.html'}")
    seen.clear()
    runner.invoke(app, ["report", "a.yaml", "--out", str(tmp_path)])
    assert (seen["workers"], seen["cell_timeout"], seen["start_timeout"],
            seen["self_contained"]) == (None, report.CELL_TIMEOUT_S, report.START_TIMEOUT_S,
                                        False)
