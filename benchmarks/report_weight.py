"""2. Report weight: bytes of one report with shared assets, self-contained, and the naive
nbconvert export of the same notebook with plotly's ``notebook`` renderer."""

from __future__ import annotations

import inspect
from pathlib import Path

from ._core import MET, NO_TARGET, NOT_MET, UNAVAILABLE, Context, Section
from ._core import Row as _Row
from ._naive import naive_parameters, notebook_of, notebook_renderer_variant, run_naive_report
from ._timing import BenchmarkError, fmt_bytes, fmt_ratio, run_process
from .batch_reports import report_files

__all__ = ["TARGET_BYTES", "run"]

TITLE = "Report weight"
#: Issue 6: a report with shared assets under 400 KB, diagrams included.
TARGET_BYTES = 400_000


def _shared_assets_folder(ctx: Context) -> Path:
    """The batch run's output (benchmark 1), or one report built here."""
    out = ctx.shared.get("batch_out")
    if isinstance(out, Path):
        return out
    out = ctx.fresh_dir("weight-shared")
    ctx.log("  2. archlib report (shared assets), one report")
    run_process([ctx.tool("archlib"), "report", ctx.one_pair_scenario, "--out", out],
                env=ctx.env, cwd=ctx.root)
    return out


def _self_contained(ctx: Context) -> tuple[Path, str] | None:
    """One self-contained report and how it was made, or None when archlib has no such
    option yet."""
    out = ctx.fresh_dir("weight-self-contained")
    if ctx.report_supports("--self-contained"):
        ctx.log("  2. archlib report --self-contained, one report")
        run_process([ctx.tool("archlib"), "report", ctx.one_pair_scenario, "--out", out,
                     "--self-contained"], env=ctx.env, cwd=ctx.root)
        return out, "`archlib report --self-contained`"
    from archlib import report

    if "self_contained" in inspect.signature(report.build_reports).parameters:
        ctx.log("  2. build_reports(self_contained=True), one report")
        code = ("import sys; from archlib.report import build_reports; "
                "sys.exit(0 if build_reports([sys.argv[1]], sys.argv[2], "
                "self_contained=True).ok else 1)")
        run_process([ctx.python, "-c", code, ctx.one_pair_scenario, out], env=ctx.env,
                    cwd=ctx.root)
        return out, ("`archlib.report.build_reports(..., self_contained=True)` (the CLI has "
                     "no `--self-contained` option yet)")
    return None


def run(ctx: Context) -> Section:
    section = Section(2, TITLE)
    first = ctx.pairs[0]
    relative = Path(first.scenario.slug) / f"{first.decision_id}.html"

    # The naive export: the same notebook, charts shown with plotly's notebook renderer.
    work = ctx.fresh_dir("weight-naive")
    variant = work / f"{first.decision_id}-naive.ipynb"
    replaced = notebook_renderer_variant(notebook_of(ctx, first.decision_id), variant)
    if not replaced:
        raise BenchmarkError(f"no chart cell (nb.X_chart(ev)) found in the notebook of "
                             f"{first.decision_id}")
    ctx.log("  2. naive export with plotly's notebook renderer")
    naive = run_naive_report(ctx, variant, naive_parameters(first), work)
    naive_bytes = naive.html.stat().st_size
    naive_ipynb = naive.html.with_suffix(".ipynb").stat().st_size
    baseline = f"naive {fmt_bytes(naive_bytes).split(' (')[0]}"

    shared_out = _shared_assets_folder(ctx)
    shared = shared_out / relative
    if not shared.is_file():
        raise BenchmarkError(f"archlib report wrote no {relative}")
    shared_bytes = shared.stat().st_size
    sizes = {p.relative_to(shared_out).as_posix(): p.stat().st_size
             for p in report_files(shared_out)}
    largest = max(sizes.values())
    asset = shared_out / "assets" / "plotly.min.js"
    section.rows.append(_Row(
        f"2. Report with shared assets (`{relative.as_posix()}`)", fmt_bytes(shared_bytes),
        baseline, fmt_ratio(naive_bytes / shared_bytes) + " smaller",
        f"< {TARGET_BYTES:,} B, every report (issue 6)",
        MET if largest < TARGET_BYTES else NOT_MET))

    made = _self_contained(ctx)
    if made is None:
        section.rows.append(_Row("2. Self-contained report", UNAVAILABLE, baseline, "-", "-",
                                 UNAVAILABLE))
        section.notes.append("Self-contained: neither `archlib report --self-contained` nor "
                             "`build_reports(self_contained=...)` exists yet (issue 6).")
    else:
        folder, how = made
        single = folder / relative
        if not single.is_file():
            raise BenchmarkError(f"the self-contained run wrote no {relative}")
        single_bytes = single.stat().st_size
        section.rows.append(_Row(
            f"2. Self-contained report (`{relative.as_posix()}`)", fmt_bytes(single_bytes),
            baseline, fmt_ratio(naive_bytes / single_bytes) + " smaller",
            "- (one file to mail; no size target)", NO_TARGET))
        section.notes.append(f"Self-contained: made with {how}; plotly.js inlined once.")
    section.rows.append(_Row(
        "2. Naive nbconvert export, plotly `notebook` renderer", fmt_bytes(naive_bytes),
        "(the baseline)", "1x", "-", "baseline"))
    section.notes += [
        f"Shared assets: every report of the batch, {len(sizes)} in all, "
        f"{fmt_bytes(min(sizes.values()))} to {fmt_bytes(largest)}; they share "
        + (f"`assets/plotly.min.js`, {fmt_bytes(asset.stat().st_size)}, paid once per "
           "folder." if asset.is_file() else "no plotly.js asset (none was written).")
        + " Bytes are deterministic for given inputs: measured once, not timed.",
        f"Naive export: the decision's notebook with each chart cell rewritten as a user "
        f"would write it (`charts.X(ev).show()` for {', '.join(replaced)}) after "
        '`pio.renderers.default = "notebook"`, run by the papermill CLI with the same '
        "parameters and exported with `jupyter nbconvert --to html --no-input`. The executed "
        f"notebook itself weighs {fmt_bytes(naive_ipynb)}, plotly.js inside.",
    ]
    return section
