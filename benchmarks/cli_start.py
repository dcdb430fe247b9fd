"""5. CLI start: ``archlib evaluate s3-endpoints --format json`` as a whole process against
``python -c pass``, and which heavy libraries that command imports (it needs none)."""

from __future__ import annotations

import json

from ._core import MET, NOT_MET, Context, Section
from ._core import Row as _Row
from ._timing import BenchmarkError, fmt_ms, fmt_ratio, run_process, time_process

__all__ = ["HEAVY", "run"]

TITLE = "CLI start"
DECISION = "s3-endpoints"
COMMAND = ("evaluate", DECISION, "--format", "json")
#: Issue 9: load plotly, diagrams, papermill and nbconvert only when used.
HEAVY = ("plotly", "diagrams", "papermill", "nbconvert")
#: Also reported (not a target): other large libraries a JSON evaluation does not need.
OTHERS = ("nbformat", "nbclient", "ipywidgets", "IPython", "ipykernel", "jupytext", "pandas",
          "numpy", "jinja2", "zmq", "graphviz")
PROCESS_RUNS = 10

# Runs the console script's entry point with the command's argv and, at exit, writes the
# top-level packages that were imported.
_PROBE = """
import atexit, json, sys
out, names = sys.argv[1], sys.argv[2].split(",")
def _dump():
    loaded = sorted({m.split(".")[0] for m in sys.modules} & set(names))
    with open(out, "w") as f:
        json.dump(loaded, f)
atexit.register(_dump)
sys.argv = ["archlib", *sys.argv[3:]]
from archlib._launch import main
main()
"""


def run(ctx: Context) -> Section:
    section = Section(5, TITLE)
    runs = ctx.runs if ctx.quick else max(ctx.runs, PROCESS_RUNS)
    archlib = ctx.tool("archlib")
    _, done = run_process([archlib, *COMMAND], env=ctx.env, cwd=ctx.tmp)  # warm-up + check
    if json.loads(done.stdout).get("decision") != DECISION:
        raise BenchmarkError("`archlib evaluate --format json` printed no evaluation")

    ctx.log(f"  5. CLI start, {runs} runs each")
    floor = time_process([ctx.python, "-c", "pass"], runs, env=ctx.env, cwd=ctx.tmp, warmup=1)
    command = time_process([archlib, *COMMAND], runs, env=ctx.env, cwd=ctx.tmp)
    import_only = time_process([ctx.python, "-c", "import archlib"], runs, env=ctx.env,
                               cwd=ctx.tmp, warmup=1)

    probe = ctx.tmp / "cli-imports.json"
    run_process([ctx.python, "-c", _PROBE, probe, ",".join(HEAVY + OTHERS), *COMMAND],
                env=ctx.env, cwd=ctx.tmp)
    loaded = json.loads(probe.read_text())
    heavy = [m for m in loaded if m in HEAVY]
    others = [m for m in loaded if m not in HEAVY]

    shown = " ".join(f"`archlib {' '.join(COMMAND)}`".split())
    section.rows += [
        _Row(f"5. {shown}, whole process", command.millis(),
             f"`python -c pass` {fmt_ms(floor.median)}",
             f"{fmt_ratio(command.median / floor.median)} the floor "
             f"(+{fmt_ms(command.median - floor.median)})", "- (none in the issues)"),
        _Row(f"5. Heavy modules imported by {shown}",
             ", ".join(f"`{m}`" for m in heavy) or "none",
             "-", "-", "none of " + ", ".join(f"`{m}`" for m in HEAVY) + " (issue 9)",
             NOT_MET if heavy else MET),
        _Row("5. `python -c pass` (interpreter start, the floor)", floor.millis(),
             "(the baseline)", "1x", "-", "baseline"),
    ]
    section.notes += [
        f"Whole processes from the console script `{archlib.name}` in this venv, stdout "
        f"captured, {runs} runs each (after one untimed); `python -c \"import archlib\"` "
        f"takes {import_only.millis()} of that.",
        "Imports: the command's entry point (`archlib._launch:main`) is run with the same argv in "
        "a fresh interpreter that records, at exit, which of these top-level packages were "
        "loaded. Also loaded (no target): "
        + (", ".join(f"`{m}`" for m in others) or "none")
        + " (of " + ", ".join(f"`{m}`" for m in OTHERS) + ").",
    ]
    return section
