"""7. Fleet reviews: ``archlib fleet --reports none`` on generated inventories of 100, 1,000
and 10,000 rows (evaluated and summarised: results files and the summary notebook), against
the loop a user would write (``archlib.evaluate`` per row, in one process) on the same rows;
peak memory; growth from 100 to 10,000 rows; and reports through Dask on a two-worker
``LocalCluster`` against the local executor on the same batch."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ._core import MET, NO_TARGET, NOT_MET, Context, Section
from ._core import Row as _Row
from ._timing import Timing, fmt_ratio, fmt_s, run_process

__all__ = ["DASK_TARGET", "MEMORY_TARGET_MB", "SIZES", "TIME_TARGET_S", "run"]

TITLE = "Fleet reviews"
SIZES = (100, 1_000, 10_000)
QUICK_SIZES = (20, 60)
#: Issue 20: 10,000 rows evaluated and summarised within 15 s on 2 cores, under 1 GB, linear.
TIME_TARGET_S = 15.0
MEMORY_TARGET_MB = 1024.0
LINEAR_TOLERANCE = 1.5
#: Reports through Dask (2-worker LocalCluster) no slower than this times the local executor.
DASK_TARGET = 1.2

#: Runs the review in a child and prints its wall time and the peak RSS of the child and of
#: its largest worker (MB).
_REVIEW = """
import json, resource, sys, time
from archlib.fleet_review import review_inventory
start = time.perf_counter()
outcome = review_inventory(sys.argv[1], sys.argv[2], reports="none")
seconds = time.perf_counter() - start
assert outcome.errors == 0, outcome.summary_line()
print(json.dumps({"seconds": seconds,
                  "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""
#: The loop a user would write: every row through archlib.evaluate and its verdict.
_NAIVE = """
import sys, time
import pandas as pd
import archlib
from archlib.fleet import parameter_columns, plain_value, row_input
frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
columns = parameter_columns(list(frame.columns))
start = time.perf_counter()
for n, record in enumerate(frame.to_dict("records")):
    row = row_input({k: plain_value(v) for k, v in record.items()}, columns, f"row {n + 1}")
    ev = archlib.evaluate(row.decision_id, row.params, prices=row.prices, exclude=row.exclude)
    ev.verdict
print(time.perf_counter() - start)
"""
#: The same batch on a cluster already running (started outside the timing, as a Dask user's
#: cluster is): the workers' warm-up is part of its start.
_RUNNING_CLUSTER = """
import sys, time
from archlib import report
from archlib._executors import DaskExecutor
from archlib._prestart import dask_worker_preload
out, paths = sys.argv[1], sys.argv[2:]
with DaskExecutor(workers=2, preload=dask_worker_preload()) as runner:
    start = time.perf_counter()
    outcome = report.build_reports(paths, out, executor=runner)
    seconds = time.perf_counter() - start
assert outcome.ok, outcome.summary_lines()
print(seconds)
"""


def _python(ctx: Context, code: str, *args: str | Path) -> str:
    _, done = run_process([sys.executable, "-c", code, *map(str, args)], env=ctx.env,
                          cwd=ctx.root, timeout_s=1800)
    return done.stdout.strip().splitlines()[-1]


def run(ctx: Context) -> Section:
    from archlib._inventory import generate_inventory

    section = Section(7, TITLE)
    sizes = QUICK_SIZES if ctx.quick else SIZES
    runs = 1 if ctx.quick else max(1, min(ctx.runs, 3))
    measured: dict[int, Timing] = {}
    memory: dict[int, dict[str, float]] = {}
    naive: dict[int, float] = {}
    for size in sizes:
        inventory = ctx.tmp / f"inventory-{size}.csv"
        generate_inventory(size, seed=7).to_csv(inventory, index=False)
        samples = []
        for i in range(runs):
            ctx.log(f"  7. archlib fleet, {size:,} rows, run {i + 1}/{runs}")
            facts = json.loads(_python(ctx, _REVIEW, inventory, ctx.fresh_dir("fleet")))
            samples.append(float(facts["seconds"]))
            memory[size] = facts
        measured[size] = Timing(tuple(samples))
        ctx.log(f"  7. naive loop, {size:,} rows")
        naive[size] = float(_python(ctx, _NAIVE, inventory))
    for size in sizes:
        timing = measured[size]
        peak = max(memory[size]["self_mb"], memory[size]["worker_mb"])
        is_target = size == sizes[-1] and not ctx.quick
        section.rows.append(_Row(
            f"7. `archlib fleet --reports none`, {size:,} rows (evaluated and summarised)",
            timing.seconds(), f"naive loop {fmt_s(naive[size])} (evaluation only)",
            f"{fmt_ratio(naive[size] / timing.median)} faster",
            f"<= {TIME_TARGET_S:g} s at 10,000 rows" if is_target else "-",
            (MET if timing.median <= TIME_TARGET_S else NOT_MET) if is_target else NO_TARGET))
        section.rows.append(_Row(
            f"7. Peak memory, {size:,} rows", f"{peak:,.0f} MB (largest process: main "
            f"{memory[size]['self_mb']:,.0f} MB, a worker {memory[size]['worker_mb']:,.0f} MB)",
            "-", "-", f"< {MEMORY_TARGET_MB:,.0f} MB" if is_target else "-",
            (MET if peak < MEMORY_TARGET_MB else NOT_MET) if is_target else NO_TARGET))
    first, last = sizes[0], sizes[-1]
    growth = (measured[last].median / last) / (measured[first].median / first)
    section.rows.append(_Row(
        f"7. Growth per row, {first:,} to {last:,} rows",
        f"{fmt_ratio(growth)} the per-row time at {first:,}",
        f"{1000 * measured[first].median / first:.2f} ms/row at {first:,}", "-",
        f"linear: per-row time within {LINEAR_TOLERANCE:g}x", MET if growth <= LINEAR_TOLERANCE
        else NOT_MET))
    section.rows.extend(_dask_row(ctx))
    section.notes.append(
        "Inventories from `archlib._inventory.generate_inventory(N, seed=7)` (every decision "
        "in turn, distinct rows). Each timed run is a fresh process calling "
        "`review_inventory(..., reports=\"none\")`: read the CSV, evaluate (one partition "
        "in-process, more on worker processes), write results.csv and results.parquet, "
        "execute and render the summary notebook. The naive loop reads the same CSV and "
        "calls `archlib.evaluate` and `.verdict` per row in one process. Memory is the peak "
        "RSS of the largest process (main or a worker), from getrusage.")
    section.notes.append(
        "Dask: the bundled batch through `archlib report` end to end, a fresh process per run, "
        "on each executor in turn (interleaved); the Dask run starts its own 2-worker "
        "LocalCluster, whose workers are forked warm from one fork server (the warm-up the "
        "local workers' fork server does), and stops it, all inside the timing. The second "
        "Dask row times only the batch, on a cluster started before the clock (a Dask "
        "user's cluster outlives a batch): its workers' warm-up happened as it started.")
    return section


def _dask_row(ctx: Context) -> list[_Row]:
    """``archlib report`` end to end on each executor (a fresh process; the Dask one starts
    and stops its LocalCluster), interleaved; and the Dask batch on a running cluster."""
    scenario_files, pairs = ctx.batch_inputs()
    archlib = ctx.tool("archlib")
    runs = 1 if ctx.quick else max(1, min(ctx.runs, 3))
    times: dict[str, list[float]] = {"local": [], "dask": []}
    for i in range(runs):
        for executor in times:
            ctx.log(f"  7. archlib report --executor {executor}, run {i + 1}/{runs} "
                    f"({len(pairs)} reports)")
            seconds, _ = run_process(
                [archlib, "report", *scenario_files, "--out", ctx.fresh_dir("reports"),
                 "--executor", executor, "--workers", "2", "--quiet"],
                env=ctx.env, cwd=ctx.root, timeout_s=1800)
            times[executor].append(seconds)
    ctx.log("  7. the Dask batch on a running cluster")
    running = Timing(tuple(float(_python(ctx, _RUNNING_CLUSTER, ctx.fresh_dir("reports"),
                                         *scenario_files)) for _ in range(runs)))
    local, dask = Timing(tuple(times["local"])), Timing(tuple(times["dask"]))
    ratio = dask.median / local.median
    return [
        _Row(f"7. {len(pairs)} reports through Dask: `archlib report --executor dask` "
             "(it starts and stops a 2-worker LocalCluster)", dask.seconds(),
             f"`archlib report`, 2 local workers: {local.seconds()}",
             f"{fmt_ratio(ratio)} the local time", f"<= {DASK_TARGET:g}x the local executor",
             MET if ratio <= DASK_TARGET else NOT_MET),
        _Row(f"7. The same {len(pairs)} reports on a 2-worker LocalCluster already running",
             running.seconds(), f"`archlib report`, 2 local workers: {local.seconds()}",
             f"{fmt_ratio(running.median / local.median)} the local time",
             "- (its workers warmed up as the cluster started)", NO_TARGET),
    ]
