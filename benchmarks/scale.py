"""6. Scale: evaluation time for 1, 10 and 100 scenarios in one process (it should grow
linearly), and the largest grid the QuickSight preference-table generator handles in one
second.

The grid generator is looked up as one of :data:`GRID_FUNCTIONS` in the QuickSight decision's
module (``archlib.decisions.quicksight_connectivity`` or ``archlib.decisions.quicksight``);
called with no arguments it must return the reconstructed "organization x Region x data
source -> preferred option" table as a sized collection of rows (or an object with ``rows``).
Until one exists the row says "not available".
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sized
from functools import partial
from typing import Any

import archlib
from archlib import decisions

from ._core import MET, NO_TARGET, NOT_MET, UNAVAILABLE, Context, Pair, Section
from ._core import Row as _Row
from ._timing import BenchmarkError, fmt_ms, fmt_ratio, measure

__all__ = ["GRID_FUNCTIONS", "GRID_MODULES", "SIZES", "find_grid_generator", "run"]

TITLE = "Scale"
SIZES = (1, 10, 100)
#: Per-scenario time at N within this factor of the time at 1 counts as linear.
LINEAR_TOLERANCE = 1.5
GRID_MODULES = ("archlib.decisions.quicksight_connectivity", "archlib.decisions.quicksight")
GRID_FUNCTIONS = ("preference_table", "preferred_option_table", "preference_grid")
GRID_RUNS = 5


def _inputs(pairs: list[Pair], count: int) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """``count`` evaluations cycling over the bundled reports; the i-th scales its volumes
    by (1 + i/1000), so no two inputs are the same."""
    inputs = []
    for i in range(count):
        pair = pairs[i % len(pairs)]
        decision = decisions.get(pair.decision_id)
        params = dict(pair.scenario.decisions[pair.decision_id])
        for name in decision.volumes(decision.parse(params)):
            if name in params:
                params[name] = float(params[name]) * (1 + i / 1000)
        inputs.append((pair.decision_id, params, dict(pair.scenario.prices)))
    return inputs


def find_grid_generator() -> tuple[str, Callable[..., Any]] | None:
    for module_name in GRID_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name in GRID_FUNCTIONS:
            function = getattr(module, name, None)
            if callable(function):
                return f"{module_name}.{name}", function
    return None


def _cells(table: Any) -> int:
    rows = getattr(table, "rows", table)
    if not isinstance(rows, Sized):
        raise BenchmarkError(f"the grid generator returned {type(table).__name__}, not rows")
    return len(rows)


def run(ctx: Context) -> Section:
    section = Section(6, TITLE)
    pairs = ctx.pairs
    cycle = len(pairs)  # each bundled report once: the mix every larger N repeats
    timings = {}
    for size in sorted({*SIZES, cycle}):
        batch = _inputs(pairs, size)

        def evaluate_all(batch: list[tuple[str, dict[str, Any], dict[str, Any]]] = batch
                         ) -> None:
            for decision_id, params, prices in batch:
                archlib.evaluate(decision_id, params, prices=prices)

        timings[size] = measure(evaluate_all, ctx.runs, warmup=1)
    # Growth is per-scenario time at N against one cycle of the same mix: N=1 is the first
    # bundled report alone, a different (often cheaper) decision than the mix's average.
    each = timings[cycle].median / cycle
    for size in SIZES:
        timing = timings[size]
        label = (f"6. Evaluate {size} scenario{'s' if size > 1 else ''} in one process"
                 + (f" (`{pairs[0].label}`)" if size == 1 else ""))
        if size == cycle:
            section.rows.append(_Row(label, timing.millis(),
                                     f"(the baseline: each of the {cycle} bundled reports once)",
                                     "1x", "-", "baseline"))
            continue
        if size < cycle:
            section.rows.append(_Row(label, timing.millis(), "-", "-", "- (measure only)",
                                     NO_TARGET))
            continue
        growth = timing.median / (size * each)
        section.rows.append(_Row(
            label, timing.millis(), f"{size} x {fmt_ms(each)} = {fmt_ms(size * each)}",
            f"{fmt_ratio(growth)} linear ({fmt_ms(timing.median / size)} each)",
            f"linear (issue 9): within {LINEAR_TOLERANCE:g}x of {size} x one of the mix",
            MET if 1 / LINEAR_TOLERANCE <= growth <= LINEAR_TOLERANCE else NOT_MET))
    if cycle not in SIZES:
        section.rows.append(_Row(f"6. Evaluate {cycle} scenarios in one process (each bundled "
                                 "report once)", timings[cycle].millis(),
                                 "(the baseline)", "1x", "-", "baseline"))
    section.notes.append(
        "Scenarios: the bundled reports (" + ", ".join(f"`{p.label}`" for p in pairs)
        + ") cycled to N, each with its volumes scaled by (1 + i/1000) so no two inputs are "
        "equal; `archlib.evaluate` with the scenario's price overrides, scenario files read "
        f"once beforehand. {ctx.runs} runs per N after one untimed. Linear growth is judged "
        f"per scenario against one cycle of the same mix ({cycle} scenarios: each bundled "
        "report once), not against N=1, which is a single decision and not the mix's average.")

    section.rows.append(_grid_row(ctx, section))
    return section


#: Every yes/no and enum axis of quicksight-connectivity: 2^6 x 4 data sources = 256 cells;
#: the grid grows by the number of ``monthly_gb`` values tried.
GRID_AXES: dict[str, tuple[Any, ...]] = {
    "quicksight_edition": ("enterprise", "standard"),
    "same_organization": (True, False),
    "same_region": (True, False),
    "data_source": ("redshift-ra3", "redshift-dc2", "rds", "ec2-database"),
    "transit_gateway_available": (False, True),
    "peering_restricted": (False, True),
    "cidr_overlap": (False, True),
}


def _grid_row(ctx: Context, section: Section) -> _Row:
    """The largest grid ``preference_table`` builds within one second, found by doubling the
    number of volumes (measured, not extrapolated)."""
    found = find_grid_generator()
    if found is None:
        return _Row("6. Largest QuickSight preference grid in one second", "not available",
                    "-", "-", "- (measure only)", UNAVAILABLE)
    name, generator = found
    ctx.log(f"  6. grid generator {name}")
    runs = 1 if ctx.quick else GRID_RUNS
    largest: tuple[int, float] | None = None
    volumes = 1
    while True:
        axes = {**GRID_AXES, "monthly_gb": tuple(float(10 * (i + 1)) for i in range(volumes))}
        cells = _cells(generator(axes=axes))
        timing = measure(partial(generator, axes=axes), runs)
        if timing.median > 1.0:
            break
        largest = (cells, timing.median)
        if ctx.quick and volumes >= 4:
            break
        volumes *= 2
    single = measure(partial(archlib.evaluate, "quicksight-connectivity"), max(runs, 20),
                     warmup=3)
    section.notes.append(
        f"QuickSight grid: `{name}(axes=...)` over every yes/no and enum parameter "
        f"(256 combinations) x k `monthly_gb` values, k doubled from 1 until one build "
        f"takes over 1 s (median of {runs}); the figure is the largest grid built within "
        "1 s, measured, compared with one full evaluation per cell.")
    if largest is None:
        return _Row("6. Largest QuickSight preference grid in one second",
                    "none: 256 cells take over 1 s", f"one evaluation {fmt_ms(single.median)}",
                    "-", "- (measure only)", NO_TARGET)
    cells, seconds = largest
    per_cell = seconds / cells
    return _Row(
        "6. Largest QuickSight preference grid in one second",
        f"{cells:,} cells in {fmt_ms(seconds)}" + (" (quick: stopped early)" if ctx.quick
                                                    else ""),
        f"one evaluation {fmt_ms(single.median)}",
        f"{fmt_ratio(single.median / per_cell)} faster per cell than an evaluation",
        "- (measure only)", NO_TARGET)
