"""``python -m benchmarks`` (``make bench``): measure what users wait for against the baselines
they would otherwise use, and print a Markdown results table (or write it where told).

    python -m benchmarks --write-results   # full run (a few minutes): benchmarks/RESULTS.md
    python -m benchmarks --quick           # one run each, tiny inputs (a smoke test): printed
    python -m benchmarks --only 3,5 --out /tmp/results.md

The committed ``benchmarks/RESULTS.md`` is rewritten only with ``--write-results``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ._core import FAILED, NOT_MET, ROOT, Context, Row, Section
from ._machine import load_average, machine_facts
from ._timing import fmt_s

__all__ = ["BENCHMARKS", "main", "render"]

DEFAULT_OUT = ROOT / "benchmarks" / "RESULTS.md"
DEFAULT_RUNS = 5


def _benchmarks() -> list[tuple[int, str, Callable[[Context], Section]]]:
    from . import batch_reports, cli_start, fleet, interactive, report_weight, robustness, scale

    return [(1, batch_reports.TITLE, batch_reports.run),
            (2, report_weight.TITLE, report_weight.run),
            (3, interactive.TITLE, interactive.run),
            (4, robustness.TITLE, robustness.run),
            (5, cli_start.TITLE, cli_start.run),
            (6, scale.TITLE, scale.run),
            (7, fleet.TITLE, fleet.run)]


BENCHMARKS = (1, 2, 3, 4, 5, 6, 7)


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def render(sections: Sequence[Section], facts: Sequence[tuple[str, str]], *, quick: bool,
           runs: int, seconds: float) -> str:
    """RESULTS.md: where and how, one table of every figure, the targets not met, then each
    benchmark's method notes."""
    lines = [
        "# Benchmarks",
        "",
        "Written by `python -m benchmarks` (`make bench`); do not edit by hand. Each figure "
        "sits next to a baseline measured in the same invocation, and timings are the median "
        f"of {runs} run(s) or more with (min-max, n = runs). Targets come from the issues; "
        "a target not reached says **not met**.",
        "",
    ]
    if quick:
        lines += ["> Quick mode (`--quick`): one run each on tiny inputs, a smoke test of the "
                  "benchmarks. These are not figures to quote.", ""]
    lines += ["## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {_cell(value)} |" for key, value in facts]
    lines += [f"| mode | {'quick' if quick else 'full'}, {runs} run(s) per timed figure "
              "(more where a p95 needs them) |",
              f"| duration | {fmt_s(seconds)} for the whole invocation |", ""]
    lines += ["## Results", "",
              "| figure | measured: median (min-max, n) | baseline (same run) | ratio "
              "| target | status |",
              "|---|---|---|---|---|---|"]
    for section in sections:
        lines += [f"| {_cell(r.figure)} | {_cell(r.measured)} | {_cell(r.baseline)} | "
                  f"{_cell(r.ratio)} | {_cell(r.target)} | {_cell(r.status)} |"
                  for r in section.rows]
    missed = [r for s in sections for r in s.rows if r.status in (NOT_MET, FAILED)]
    lines += ["", "## Targets not met", ""]
    lines += ([f"- {r.figure}: {r.measured} against {r.target}"
               + (f" ({r.ratio})" if r.ratio != "-" else "") for r in missed]
              or ["None: every stated target is met."])
    for section in sections:
        lines += ["", f"## {section.number}. {section.title}", ""]
        lines += [f"- {note}" for note in section.notes] or ["- (no notes)"]
    return "\n".join(lines) + "\n"


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure archlib against the baselines a user would otherwise use; "
                    "write a Markdown results table.")
    parser.add_argument("--quick", action="store_true",
                        help="one run each on tiny inputs (a smoke test; figures not "
                             "meaningful)")
    parser.add_argument("--runs", type=int, default=None,
                        help=f"timed runs per figure (default {DEFAULT_RUNS}; 1 with "
                             "--quick)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, default=None,
                       help="write the results to this file (default: print them)")
    where.add_argument("--write-results", action="store_true",
                       help=f"write the results to {DEFAULT_OUT.relative_to(ROOT)}, the "
                            "committed figures")
    parser.add_argument("--only", default="",
                        help="comma-separated benchmark numbers to run (default: all)")
    args = parser.parse_args(argv)
    if args.runs is None:
        args.runs = 1 if args.quick else DEFAULT_RUNS
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        args.only = ({int(n) for n in args.only.split(",") if n.strip()}
                     or set(BENCHMARKS))
    except ValueError:
        parser.error("--only takes benchmark numbers, e.g. 1,3")
    if not args.only <= set(BENCHMARKS):
        parser.error(f"--only: benchmarks are numbered {BENCHMARKS[0]}-{BENCHMARKS[-1]}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    load_at_start = load_average()
    start = time.perf_counter()
    sections: list[Section] = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="archlib-bench-") as tmp:
        ctx = Context(quick=args.quick, runs=args.runs, tmp=Path(tmp))
        for number, title, bench in _benchmarks():
            if number not in args.only:
                continue
            ctx.log(f"[{number}/{len(BENCHMARKS)}] {title}")
            try:
                sections.append(bench(ctx))
            except Exception as error:  # one broken benchmark must not hide the others
                failed = True
                message = " ".join(f"{type(error).__name__}: {error}".split())[:400]
                ctx.log(f"  FAILED: {message}")
                sections.append(Section(number, title, [Row(f"{number}. {title}",
                                                             f"failed: {message}",
                                                             status=FAILED)]))
    seconds = time.perf_counter() - start
    failed = failed or any(r.status == FAILED for s in sections for r in s.rows)
    text = render(sections, machine_facts(ROOT, load_at_start), quick=args.quick,
                  runs=args.runs, seconds=seconds)
    out: Path | None = DEFAULT_OUT if args.write_results else args.out
    if out is None:
        sys.stdout.write(text)
        where = "printed results"
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.tmp")
        partial.write_text(text, encoding="utf-8")
        partial.replace(out)
        where = f"wrote {out}"
    print(f"{where} in {fmt_s(seconds)}" + (" (some benchmarks FAILED)" if failed else ""),
          file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
