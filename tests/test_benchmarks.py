"""The benchmarks cannot rot: ``python -m benchmarks --quick`` runs every benchmark once on
tiny inputs and writes a complete results file. Nothing here asserts a wall-clock time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import archlib
from benchmarks import robustness, scale
from benchmarks.__main__ import main, render
from benchmarks._core import MET, NOT_MET, UNAVAILABLE, Context, Row, Section
from benchmarks._naive import notebook_renderer_variant
from benchmarks._timing import Timing, fmt_bytes

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "benchmarks" / "RESULTS.md"


def test_quick_run_writes_every_benchmark(tmp_path: Path) -> None:
    before = COMMITTED.read_bytes() if COMMITTED.exists() else None
    out = tmp_path / "results.md"
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    for heading in ("## Machine", "## Results", "## Targets not met", "Quick mode"):
        assert heading in text, heading
    for key in ("date", "cores", "Python", "packages", "commit"):
        assert re.search(rf"^\| {key} \| \S", text, re.M), key
    rows = re.findall(r"^\| (\d)\. ", text, re.M)
    assert set(rows) == {"1", "2", "3", "4", "5", "6", "7"}
    for number in range(1, 8):
        assert re.search(rf"^## {number}\. ", text, re.M), number
    assert "failed" not in re.findall(r"\| ([^|]+) \|$", text, re.M)
    # The heavy-import check is a target with a verdict, not a time.
    assert re.search(r"^\| 5\. Heavy modules imported .*\| (met|\*\*not met\*\*) \|$", text,
                     re.M)
    # The streamed closing pass is measured against Beautiful Soup's on the batch's pages.
    assert re.search(r"^\| 1\. nbconvert's closing HTML pass, streamed, .*\| "
                     r"Beautiful Soup [\d.]+ ms \| [\d.]+x less \|", text, re.M)
    # The committed results are only written by a full run.
    assert (COMMITTED.read_bytes() if COMMITTED.exists() else None) == before


@pytest.mark.parametrize(("samples", "median", "low", "high", "p95"), [
    ((3.0, 1.0, 2.0), 2.0, 1.0, 3.0, 3.0),
    ((4.0, 1.0, 3.0, 2.0), 2.5, 1.0, 4.0, 4.0),  # even count: mean of the middle two
    (tuple(float(i) for i in range(1, 21)), 10.5, 1.0, 20.0, 19.0),  # rank ceil(19.0) = 19
    (tuple(float(i) for i in range(1, 22)), 11.0, 1.0, 21.0, 20.0),  # rank ceil(19.95) = 20
    ((5.0,), 5.0, 5.0, 5.0, 5.0),
])
def test_timing_summary(samples: tuple[float, ...], median: float, low: float, high: float,
                        p95: float) -> None:
    timing = Timing(samples)
    assert (timing.median, timing.min, timing.max, timing.p95) == (median, low, high, p95)
    assert timing.runs == len(samples)
    assert timing.scaled(0.5).median == median / 2


def test_timing_needs_a_sample() -> None:
    with pytest.raises(ValueError, match="at least one sample"):
        Timing(())


@pytest.mark.parametrize(("size", "text"), [
    (512, "512 B"),
    (217_443, "212 KB (217,443 B)"),  # 217,443 / 1024 = 212.3
    (5_033_227, "4.80 MB (5,033,227 B)"),  # 5,033,227 / 1,048,576 = 4.800
])
def test_fmt_bytes(size: int, text: str) -> None:
    assert fmt_bytes(size) == text


def test_render_lists_targets_not_met_and_escapes_pipes() -> None:
    sections = [Section(1, "Batch", [
        Row("1. fast | slow", "2.00 s", "naive 8.00 s", "4.00x", ">= 6x", NOT_MET),
        Row("1. other", "1.00 s", "naive 8.00 s", "8.00x", ">= 6x", MET),
    ], ["a note"])]
    text = render(sections, [("date", "today")], quick=False, runs=5, seconds=1.0)
    assert "| 1. fast \\| slow | 2.00 s |" in text
    missed = text.split("## Targets not met")[1].split("## 1.")[0]
    assert "1. fast | slow: 2.00 s against >= 6x (4.00x)" in missed
    assert "1. other" not in missed
    assert "- a note" in text
    assert "Quick mode" not in text


@pytest.mark.parametrize("argv", [["--runs", "0"], ["--only", "8"], ["--only", "x"]])
def test_bad_arguments_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2


def test_naive_notebook_shows_charts_with_the_notebook_renderer(tmp_path: Path) -> None:
    source = ROOT / "notebooks" / "s3_endpoints.ipynb"
    target = tmp_path / "naive.ipynb"
    assert notebook_renderer_variant(source, target) == ["cost_chart", "score_chart"]
    original = nbformat.read(source, as_version=4)
    naive = nbformat.read(target, as_version=4)
    assert len(naive.cells) == len(original.cells) + 1
    tags = [c.metadata.get("tags", []) for c in naive.cells]
    setup = naive.cells[tags.index(["parameters"]) + 1]
    assert 'pio.renderers.default = "notebook"' in setup.source
    changed = [(a.source, b.source) for a, b in
               zip(original.cells, [c for c in naive.cells if c is not setup], strict=True)
               if a.source != b.source]
    assert changed == [("nb.cost_chart(ev)", "charts.cost_chart(ev).show()"),
                       ("nb.score_chart(ev)", "charts.score_chart(ev).show()")]


# --- features that land later switch their rows on ----------------------------------------


def test_robustness_row_measures_every_decision(tmp_path: Path) -> None:
    section = robustness.run(Context(quick=True, runs=1, tmp=tmp_path))
    assert [r.figure.split("`")[1] for r in section.rows] == list(archlib.decisions.ids())
    assert all("10,000 weight samples" in r.figure for r in section.rows)
    assert all(r.baseline.startswith("evaluation alone") for r in section.rows)


def test_grid_row_is_unavailable_without_a_generator(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(scale, "GRID_MODULES", ("archlib.decisions.no_such_module",))
    assert scale.find_grid_generator() is None
    section = scale.run(Context(quick=True, runs=1, tmp=tmp_path))
    assert section.rows[-1].status == UNAVAILABLE
    assert [r.figure.split(" in ")[0] for r in section.rows[:3]] == [
        "6. Evaluate 1 scenario", "6. Evaluate 10 scenarios", "6. Evaluate 100 scenarios"]
    # growth is judged against one cycle of the bundled mix, not N=1 alone
    assert re.match(r"\(the baseline: each of the \d+ bundled", section.rows[1].baseline)
    assert section.rows[2].baseline.startswith("100 x ")


def test_grid_row_measures_the_quicksight_generator(tmp_path: Path) -> None:
    found = scale.find_grid_generator()
    assert found is not None and found[0].endswith(".preference_table")
    row = scale.run(Context(quick=True, runs=1, tmp=tmp_path)).rows[-1]
    assert row.figure == "6. Largest QuickSight preference grid in one second"
    # quick mode doubles the volumes 1, 2, 4: 256 x 4 = 1,024 cells unless 1 s ran out
    assert row.measured.split(" cells")[0] in {"256", "512", "1,024"} or row.measured.startswith(
        "none")


def test_results_go_where_the_command_line_says() -> None:
    from benchmarks.__main__ import DEFAULT_OUT, _parse

    assert DEFAULT_OUT == COMMITTED
    assert _parse([]).out is None and not _parse([]).write_results  # default: printed
    assert _parse(["--write-results"]).write_results
    assert _parse(["--out", "x.md"]).out == Path("x.md")
    with pytest.raises(SystemExit):
        _parse(["--out", "x.md", "--write-results"])  # one or the other


def test_a_run_without_out_prints_and_leaves_the_committed_results() -> None:
    before = COMMITTED.read_bytes()
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "5"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r"^## 5\. ", done.stdout, re.M) and "## Machine" in done.stdout
    assert "printed results" in done.stderr
    assert COMMITTED.read_bytes() == before


def test_pricelist_memory_benchmark_runs(tmp_path: Path) -> None:
    """The Price List memory benchmark on a tiny file: it finds the one NAT gateway product
    among the generated instances, and reports every process (no time is asserted)."""
    from benchmarks import pricelist_memory

    out = tmp_path / "PRICELIST.md"
    assert pricelist_memory.main(["--mb", "1", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "nat_gateway_hour=1" in text and "proxy_instance_hour=0" in text
    for label in ("baseline (imports only)", "streaming parse (ijson)", "json.load (naive)"):
        assert f"| {label} |" in text, label
