"""1. Batch reports: ``archlib report`` over the bundled scenarios against the naive pipeline
(papermill CLI, then ``jupyter nbconvert --to html --no-input``, in series, per report)."""

from __future__ import annotations

import os
import pickle
import statistics
import time
from pathlib import Path

from ._core import MET, NO_TARGET, NOT_MET, Context, Section
from ._core import Row as _Row
from ._naive import naive_parameters, notebook_of, run_naive_report
from ._timing import BenchmarkError, Timing, fmt_ms, fmt_ratio, fmt_s, run_process

__all__ = ["TARGET_RATIO", "run"]

TITLE = "Batch reports against the naive pipeline"
#: Issue 6: at least 6x faster than the naive serial pipeline on 2 cores.
TARGET_RATIO = 6.0


def _variants(ctx: Context) -> list[tuple[str, list[str], bool]]:
    """(label, extra arguments, carries the issue-6 target)."""
    quiet = ["--quiet"] if ctx.report_supports("--quiet") else []
    if ctx.report_supports("--workers"):
        cores = os.cpu_count() or 1
        return [("`archlib report --workers 1`", ["--workers", "1", *quiet], False),
                (f"`archlib report` (default workers: {cores} cores)", quiet, True)]
    return [("`archlib report` (serial: no `--workers` option yet)", quiet, True)]


def report_files(out: Path) -> list[Path]:
    """The HTML reports of one batch output folder (``<scenario>/<decision>.html``)."""
    return sorted(out.glob("*/*.html"))


def run(ctx: Context) -> Section:
    section = Section(1, TITLE)
    scenario_files, pairs = ctx.batch_inputs()
    count = len(pairs)
    archlib = ctx.tool("archlib")
    variants = _variants(ctx)
    batch: dict[str, list[float]] = {label: [] for label, _, _ in variants}
    naive: list[float] = []
    papermill: list[float] = []
    nbconvert: list[float] = []
    # The naive pipeline is per report and serial, so its batch time is the sum over reports:
    # each naive run is one report, cycling over all of them (at least `runs` runs).
    naive_runs = ctx.runs if ctx.quick else max(ctx.runs, count)
    # Rounds interleave the pipelines, so drift on the machine hits both alike.
    for i in range(max(ctx.runs, naive_runs)):
        if i < ctx.runs:
            for label, extra, _ in variants:
                out = ctx.fresh_dir("batch")
                shown = label.replace("`", "")
                ctx.log(f"  1. {shown} run {i + 1}/{ctx.runs} ({count} reports)")
                seconds, _ = run_process(
                    [archlib, "report", *scenario_files, "--out", out, *extra],
                    env=ctx.env, cwd=ctx.root)
                written = report_files(out)
                if len(written) != count:
                    raise BenchmarkError(f"archlib report wrote {len(written)} reports, "
                                         f"expected {count}")
                batch[label].append(seconds)
                ctx.shared["batch_out"] = out
        if i < naive_runs:
            pair = pairs[i % count]
            ctx.log(f"  1. naive pipeline run {i + 1}/{naive_runs}: {pair.label}")
            result = run_naive_report(ctx, notebook_of(ctx, pair.decision_id),
                                      naive_parameters(pair), ctx.fresh_dir("naive"))
            naive.append(result.total_s)
            papermill.append(result.papermill_s)
            nbconvert.append(result.nbconvert_s)
            ctx.shared.setdefault("naive_html", {})[pair.label] = result.html

    naive_t = Timing(tuple(naive))
    section.rows.append(_Row(
        "1. Naive pipeline, s per report (papermill CLI + nbconvert CLI)",
        naive_t.seconds(), "(the baseline)", "1x", "-", "baseline"))
    for label, _, targeted in variants:
        per_report = Timing(tuple(batch[label])).scaled(1.0 / count)
        ratio = naive_t.median / per_report.median
        status = (MET if ratio >= TARGET_RATIO else NOT_MET) if targeted else NO_TARGET
        section.rows.append(_Row(
            f"1. {label}, s per report", per_report.seconds(),
            f"naive {fmt_s(naive_t.median)}", fmt_ratio(ratio) + " faster",
            f">= {TARGET_RATIO:g}x faster (issue 6)" if targeted else "-", status))
    section.notes += [
        f"Inputs: {count} report(s) (scenario x decision): "
        + ", ".join(f"`{p.label}`" for p in pairs) + "."
        + (" Quick mode: the first report only." if ctx.quick else ""),
        "`archlib report` runs as one process per batch (start-up included) into a fresh "
        "folder; seconds per report = batch wall time / reports. Batch wall time, median: "
        + "; ".join(f"{label} {fmt_s(Timing(tuple(batch[label])).median)}"
                    for label, _, _ in variants) + ".",
        f"Naive pipeline: for each report, `papermill NOTEBOOK out.ipynb -f params.yaml -k "
        f"python3` then `jupyter nbconvert --to html --no-input out.ipynb`, each a process, "
        f"same notebook and parameters as archlib passes; {len(naive)} runs cycling over the "
        f"reports (a serial batch costs the sum). Median papermill "
        f"{fmt_s(Timing(tuple(papermill)).median)}, nbconvert "
        f"{fmt_s(Timing(tuple(nbconvert)).median)}. The naive HTML is not offline-clean "
        "(CDN scripts, charts not drawn); it is the speed floor a user would compare with.",
    ]
    if not ctx.report_supports("--workers"):
        section.notes.append("`archlib report --help` lists no `--workers`: the parallel "
                             "report runner (issue 6) has not landed; only the serial "
                             "command is measured.")
    section.rows.append(handoff_row(ctx))
    return section


def _median_seconds(work: object, repeat: int) -> float:
    assert callable(work)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def handoff_row(ctx: Context) -> _Row:
    """What a batch worker spends getting its evaluation and verdict (the report's title
    block needs it), summed over the batch's reports: the old path evaluated the scenario
    again in the worker and computed its robustness there; the new one receives the
    evaluation the main process made while planning, robustness included (pickled over the
    worker's pipe). Measured in this process, both paths in the same run, per report."""
    from archlib import decisions
    from archlib._engine import evaluate

    _, pairs = ctx.batch_inputs()
    repeat = 3 if ctx.quick else 15
    old = new = 0.0
    size = 0
    for pair in pairs:
        decision = decisions.get(pair.decision_id)
        params = pair.scenario.decisions[pair.decision_id]
        prices, where = pair.scenario.prices, pair.scenario.path

        def again(decision: object = decision, params: object = params,
                  prices: object = prices, where: str = where) -> object:
            ev = evaluate(decision, params, prices=prices, where=where)  # type: ignore[arg-type]
            _ = ev.verdict
            return ev

        planned = again()
        blob = pickle.dumps(planned)
        size = max(size, len(blob))
        if pickle.loads(blob).to_dict() != planned.to_dict():  # type: ignore[attr-defined]
            raise BenchmarkError(f"{pair.decision_id}: the unpickled evaluation differs")
        old += _median_seconds(again, repeat)
        new += _median_seconds(lambda planned=planned: pickle.loads(pickle.dumps(planned)),
                               repeat)
    return _Row(f"1. Worker gets its evaluation and verdict ({len(pairs)} reports, summed)",
                f"{fmt_ms(new)} (pickle out and in; largest {size:,} B)",
                f"evaluate again {fmt_ms(old)}", fmt_ratio(old / new) + " less", "-")
