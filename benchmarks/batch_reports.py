"""1. Batch reports: ``archlib report`` over the bundled scenarios and over a generated
60-scenario batch, against the naive pipeline (papermill CLI, then ``jupyter nbconvert --to
html --no-input``, in series, per report), the same command with the kernels of before issue
23 (launched from scratch, no diagram cache), and the in-process floor (the same cells,
exporter and template with no kernel)."""

from __future__ import annotations

import json
import os
import pickle
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

import yaml

from archlib import decisions

from ._core import MET, NO_TARGET, NOT_MET, Context, Pair, Section, _plain
from ._core import Row as _Row
from ._naive import naive_parameters, notebook_of, run_naive_report
from ._timing import BenchmarkError, Timing, children_cpu_s, fmt_ms, fmt_ratio, fmt_s, run_process

__all__ = ["GENERATED_COUNT", "TARGET_CPU_S", "TARGET_RATIO", "TARGET_RATIO_BUNDLED",
           "TARGET_RATIO_GENERATED", "generated_scenarios", "precompile_archlib", "run"]

TITLE = "Batch reports against the naive pipeline"
#: Issue 6: at least 6x faster than the naive serial pipeline on 2 cores.
TARGET_RATIO = 6.0
#: Issue 23: per report, at least 20x the naive pipeline on the bundled batch (default
#: workers), 25x on a generated 60-scenario batch, at most 0.3 CPU-s.
TARGET_RATIO_BUNDLED = 20.0
TARGET_RATIO_GENERATED = 25.0
TARGET_CPU_S = 0.3
GENERATED_COUNT = 60
#: The environment of the path before issue 23: kernels launched by jupyter_client, each
#: diagram drawn by Graphviz (see archlib.report: ARCHLIB_REPORT_KERNELS).
BEFORE_ENV = {"ARCHLIB_REPORT_KERNELS": "fresh", "ARCHLIB_DIAGRAM_CACHE": ""}


def _variants(ctx: Context) -> list[tuple[str, list[str], dict[str, str], bool]]:
    """(label, extra arguments, extra environment, carries the targets)."""
    quiet = ["--quiet"] if ctx.report_supports("--quiet") else []
    if ctx.report_supports("--workers"):
        cores = os.cpu_count() or 1
        before = [] if ctx.quick else [  # a smoke test needs no before-and-after
            (f"`archlib report`, kernels as before issue 23 (launched, no diagram cache; "
             f"{cores} workers)", quiet, BEFORE_ENV, False)]
        return [
            ("`archlib report --workers 1`", ["--workers", "1", *quiet], {}, False),
            *before,
            (f"`archlib report` (default workers: {cores} cores)", quiet, {}, True)]
    return [("`archlib report` (serial: no `--workers` option yet)", quiet, {}, True)]


def report_files(out: Path) -> list[Path]:
    """The HTML reports of one batch output folder (``<scenario>/<decision>.html``)."""
    return sorted(out.glob("*/*.html"))


def generated_scenarios(ctx: Context, count: int) -> list[Path]:
    """``count`` scenario files, one report each, cycling over the bundled reports; the i-th
    scales its volumes by (1 + i/1000), so no two inputs are the same (their diagrams often
    are: the volumes change costs, rarely the drawing)."""
    folder = ctx.tmp / f"generated-{count}"
    folder.mkdir(parents=True, exist_ok=True)
    pairs = ctx.pairs
    paths = []
    for i in range(count):
        pair = pairs[i % len(pairs)]
        decision = decisions.get(pair.decision_id)
        params = _plain(pair.scenario.decisions[pair.decision_id])
        for name in decision.volumes(decision.parse(params)):
            if name in params:
                params[name] = float(params[name]) * (1 + i / 1000)
        data: dict[str, Any] = {"name": f"{pair.scenario.name} #{i + 1}",
                                "description": pair.scenario.description,
                                "decisions": {pair.decision_id: params}}
        if pair.scenario.prices:
            data["prices"] = dict(pair.scenario.prices)
        path = folder / f"g{i + 1:03d}-{pair.path.stem}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def _batch(ctx: Context, archlib: Path, files: list[Path], extra: list[str],
           env: dict[str, str], count: int, *, bundled: bool = True) -> tuple[float, float]:
    """One ``archlib report`` run into a fresh folder: (wall s, CPU s of its process tree).
    The last bundled batch's folder is the one benchmark 2 weighs."""
    out = ctx.fresh_dir("batch")
    before = children_cpu_s()
    seconds, _ = run_process([archlib, "report", *files, "--out", out, *extra],
                             env={**ctx.env, **env}, cwd=ctx.root)
    cpu = children_cpu_s() - before
    written = report_files(out)
    if len(written) != count:
        raise BenchmarkError(f"archlib report wrote {len(written)} reports, expected {count}")
    if bundled:
        ctx.shared["batch_out"] = out
    return seconds, cpu


def _floor(ctx: Context, files: list[Path]) -> dict[str, float]:
    """The in-process floor (benchmarks/_floor.py), in its own process."""
    done = subprocess.run([str(ctx.python), "-m", "benchmarks._floor", str(ctx.runs),
                           *map(str, files)], env=ctx.env, cwd=ctx.root, capture_output=True,
                          text=True, timeout=1800, check=False)
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        raise BenchmarkError(f"the in-process floor failed: {tail}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def precompile_archlib(ctx: Context) -> None:
    """Compile archlib's own modules to bytecode, as ``make bootstrap`` does (an editable
    install under ``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile them from source in
    every process; a wheel install gets them from pip)."""
    import archlib

    subprocess.run([str(ctx.python), "-m", "compileall", "-q", str(Path(archlib.__file__).parent)],
                   env=ctx.env, cwd=ctx.root, capture_output=True, timeout=600, check=False)


def run(ctx: Context) -> Section:
    section = Section(1, TITLE)
    precompile_archlib(ctx)
    scenario_files, pairs = ctx.batch_inputs()
    count = len(pairs)
    archlib = ctx.tool("archlib")
    variants = _variants(ctx)
    generated_count = 2 if ctx.quick else GENERATED_COUNT
    generated = generated_scenarios(ctx, generated_count)
    batch: dict[str, list[float]] = {label: [] for label, *_ in variants}
    batch_cpu: dict[str, list[float]] = {label: [] for label, *_ in variants}
    big: list[float] = []
    big_cpu: list[float] = []
    naive: list[float] = []
    papermill: list[float] = []
    nbconvert: list[float] = []
    # The naive pipeline is per report and serial, so its batch time is the sum over reports:
    # each naive run is one report, cycling over all of them (at least `runs` runs).
    naive_runs = ctx.runs if ctx.quick else max(ctx.runs, count)
    # Rounds interleave the pipelines, so drift on the machine hits all alike.
    for i in range(max(ctx.runs, naive_runs)):
        if i < ctx.runs:
            for label, extra, env, _ in variants:
                ctx.log(f"  1. {label.replace('`', '')} run {i + 1}/{ctx.runs} "
                        f"({count} reports)")
                seconds, cpu = _batch(ctx, archlib, scenario_files, extra, env, count)
                batch[label].append(seconds)
                batch_cpu[label].append(cpu)
            ctx.log(f"  1. generated batch run {i + 1}/{ctx.runs} ({generated_count} reports)")
            quiet = ["--quiet"] if ctx.report_supports("--quiet") else []
            seconds, cpu = _batch(ctx, archlib, generated, quiet, {}, generated_count,
                                  bundled=False)
            big.append(seconds)
            big_cpu.append(cpu)
        if i < naive_runs:
            pair = pairs[i % count]
            ctx.log(f"  1. naive pipeline run {i + 1}/{naive_runs}: {pair.label}")
            result = run_naive_report(ctx, notebook_of(ctx, pair.decision_id),
                                      naive_parameters(pair), ctx.fresh_dir("naive"))
            naive.append(result.total_s)
            papermill.append(result.papermill_s)
            nbconvert.append(result.nbconvert_s)
            ctx.shared.setdefault("naive_html", {})[pair.label] = result.html
    ctx.log("  1. in-process floor")
    floor = _floor(ctx, scenario_files)

    naive_t = Timing(tuple(naive))
    section.rows.append(_Row(
        "1. Naive pipeline, s per report (papermill CLI + nbconvert CLI)",
        naive_t.seconds(), "(the baseline)", "1x", "-", "baseline"))
    for label, _, _, targeted in variants:
        section.rows += _rows(label, Timing(tuple(batch[label])).scaled(1.0 / count),
                              Timing(tuple(batch_cpu[label])).scaled(1.0 / count), naive_t,
                              floor, TARGET_RATIO_BUNDLED if targeted else None)
    section.rows += _rows(f"`archlib report`, generated {generated_count}-scenario batch "
                          "(default workers)", Timing(tuple(big)).scaled(1.0 / generated_count),
                          Timing(tuple(big_cpu)).scaled(1.0 / generated_count), naive_t, floor,
                          TARGET_RATIO_GENERATED)
    section.rows.append(_Row(
        "1. In-process floor, s per report (same cells, exporter and template; no kernel)",
        f"{fmt_s(floor['seconds'])} ({fmt_s(floor['min'], unit=False)}-"
        f"{fmt_s(floor['max'], unit=False)}, n={int(floor['runs'])}); "
        f"{floor['cpu_s']:.2f} CPU-s", f"naive {fmt_s(naive_t.median)}",
        fmt_ratio(naive_t.median / floor["seconds"]) + " faster", "-", "baseline"))
    section.notes += _notes(ctx, pairs, variants, batch, naive, papermill, nbconvert,
                            generated_count)
    if not ctx.report_supports("--workers"):
        section.notes.append("`archlib report --help` lists no `--workers`: the parallel "
                             "report runner (issue 6) has not landed; only the serial "
                             "command is measured.")
    section.rows.append(handoff_row(ctx))
    section.rows.append(closing_pass_row(ctx))
    return section


def _rows(label: str, per_report: Timing, cpu: Timing, naive: Timing, floor: dict[str, float],
          target: float | None) -> list[_Row]:
    """Seconds per report against the naive pipeline (and the floor), then CPU per report."""
    ratio = naive.median / per_report.median
    status = NO_TARGET if target is None else (MET if ratio >= target else NOT_MET)
    if target is not None and target == TARGET_RATIO_BUNDLED:
        wanted = f">= {target:g}x faster (issue 23; issue 6: >= {TARGET_RATIO:g}x)"
    else:
        wanted = "-" if target is None else f">= {target:g}x faster (issue 23)"
    rows = [_Row(f"1. {label}, s per report", per_report.seconds(),
                 f"naive {fmt_s(naive.median)}; floor {fmt_s(floor['seconds'])}",
                 f"{fmt_ratio(ratio)} faster; {fmt_ratio(per_report.median / floor['seconds'])}"
                 " the floor", wanted, status)]
    cpu_status = NO_TARGET if target is None else (
        MET if cpu.median <= TARGET_CPU_S else NOT_MET)
    rows.append(_Row(f"1. {label}, CPU-s per report (whole process tree)",
                     f"{cpu.median:.2f} CPU-s ({cpu.min:.2f}-{cpu.max:.2f}, n={cpu.runs})",
                     f"floor {floor['cpu_s']:.2f} CPU-s",
                     f"{fmt_ratio(cpu.median / floor['cpu_s'])} the floor",
                     "-" if target is None else f"<= {TARGET_CPU_S:g} CPU-s (issue 23)",
                     cpu_status))
    return rows


def _notes(ctx: Context, pairs: list[Pair], variants: list[tuple[str, list[str],
           dict[str, str], bool]], batch: dict[str, list[float]], naive: list[float],
           papermill: list[float], nbconvert: list[float], generated_count: int) -> list[str]:
    return [
        f"Inputs: {len(pairs)} report(s) (scenario x decision): "
        + ", ".join(f"`{p.label}`" for p in pairs) + "."
        + (" Quick mode: the first report only." if ctx.quick else ""),
        "`archlib report` runs as one process per batch (start-up included) into a fresh "
        "folder; seconds per report = batch wall time / reports; CPU-s per report = user + "
        "system CPU of the whole process tree (main process, workers, kernel parents, "
        "kernels, Graphviz) / reports. Batch wall time, median: "
        + "; ".join(f"{label} {fmt_s(Timing(tuple(batch[label])).median)}"
                    for label, *_ in variants) + ".",
        f"Generated batch: {generated_count} scenario files of one report each, cycling over "
        "the bundled reports with their volumes scaled by (1 + i/1000), so no two inputs are "
        "equal; its ratio is against the same naive per-report median.",
        "Before issue 23: the same command with `ARCHLIB_REPORT_KERNELS=fresh` (every kernel "
        "launched by jupyter_client and warmed up at start) and `ARCHLIB_DIAGRAM_CACHE=` "
        "(empty: Graphviz draws every diagram).",
        "In-process floor (`benchmarks/_floor.py`): each bundled report's notebook, "
        "parameterized by papermill, runs cell by cell in one IPython shell in one process, "
        "and archlib's exporter and template render it; no kernel, no messages, no worker "
        "processes, every diagram drawn by Graphviz; median over rounds after one untimed "
        "round.",
        f"Naive pipeline: for each report, `papermill NOTEBOOK out.ipynb -f params.yaml -k "
        f"python3` then `jupyter nbconvert --to html --no-input out.ipynb`, each a process, "
        f"same notebook and parameters as archlib passes; {len(naive)} runs cycling over the "
        f"reports (a serial batch costs the sum). Median papermill "
        f"{fmt_s(Timing(tuple(papermill)).median)}, nbconvert "
        f"{fmt_s(Timing(tuple(nbconvert)).median)}. The naive HTML is not offline-clean "
        "(CDN scripts, charts not drawn); it is the speed floor a user would compare with.",
    ]


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


def closing_pass_row(ctx: Context) -> _Row:
    """nbconvert's closing pass (parse the page with Beautiful Soup, add the missing alt
    texts and the tabindexes, write it out) against archlib's streamed one
    (archlib.report.htmlpass), both in this process in the same run, over each report page
    of the last bundled batch (the HTML as written: the same markup for both, compared
    byte for byte)."""
    from bs4 import BeautifulSoup

    from archlib.report.htmlpass import NBCONVERT_EDITS, StreamingSoup

    def closing_pass(soup: Any) -> str:
        for selector, edits in NBCONVERT_EDITS.items():
            for element in soup.select(selector):
                element.attrs.update(edits)
        return str(soup)

    out = ctx.shared.get("batch_out")
    files = sorted(Path(out).rglob("*.html")) if out else []
    pages = [page.read_text(encoding="utf-8") for page in files if page.name != "index.html"]
    if not pages:
        raise BenchmarkError("no bundled batch to read report pages from")
    repeat = 1 if ctx.quick else 5
    old = new = 0.0
    for markup in pages:
        soup = closing_pass(BeautifulSoup(markup, features="html.parser"))
        if closing_pass(StreamingSoup(markup, features="html.parser")) != soup:
            raise BenchmarkError("the streamed closing pass wrote another page")
        old += _median_seconds(
            lambda m=markup: closing_pass(BeautifulSoup(m, features="html.parser")), repeat)
        new += _median_seconds(
            lambda m=markup: closing_pass(StreamingSoup(m, features="html.parser")), repeat)
    count = len(pages)
    return _Row(f"1. nbconvert's closing HTML pass, streamed, s per report page ({count} "
                "pages, mean)", fmt_ms(new / count), f"Beautiful Soup {fmt_ms(old / count)}",
                fmt_ratio(old / new) + " less", "-")
