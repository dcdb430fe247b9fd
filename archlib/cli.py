"""The ``archlib`` command: thin wrappers over the Python API.

Input errors, usage errors included, print one line on stderr and exit 2; nothing prints a
traceback for bad input. SIGTERM and SIGHUP end a command like Ctrl-C does (a batch stops its
workers and their kernels); the exit code is then 128 + the signal's number.
Heavy libraries (plotly, diagrams, papermill, nbconvert) load only in the commands that use
them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__, decisions
from ._engine import Evaluation
from ._errors import InputError, printable
from ._inputs import evaluate_scenario, parse_sets
from ._scenario import load_scenario

__all__ = ["app", "main", "parse_sets"]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _base(cls: type[Exception], name: str) -> type[Exception]:
    """A Click exception class by name: typer may use Click or its own copy of it, whose
    classes it does not export (BadParameter is public; its bases are these)."""
    return next(c for c in cls.__mro__ if c.__name__ == name)


_USAGE_ERROR = _base(typer.BadParameter, "UsageError")
_CLICK_ERROR = _base(typer.BadParameter, "ClickException")


class _OneLineErrors(TyperGroup):
    """Click's usage errors (an unknown option, ``--workers abc``) as one line and exit 2,
    like every other input error, instead of a usage block and a framed box."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        run = (args, prog_name, complete_var)
        if not standalone_mode:
            return super().main(*run, False, windows_expand_args, **extra)
        try:
            code = super().main(*run, False, windows_expand_args, **extra)
        except _CLICK_ERROR as error:
            ctx = getattr(error, "ctx", None)
            if type(error).__name__ == "NoArgsIsHelpError" and ctx is not None:
                typer.echo(ctx.get_help(), err=True)  # `archlib` alone: the help
                sys.exit(2)
            command = ctx.command_path if ctx is not None else "archlib"
            usage = isinstance(error, _USAGE_ERROR)
            hint = f" (see {command} --help)" if usage else ""
            line = InputError(f"{error.format_message()}{hint}",  # type: ignore[attr-defined]
                              where=command.removeprefix("archlib").strip()).line()
            typer.echo(f"archlib: {line}", err=True)
            sys.exit(2 if usage else error.exit_code)  # type: ignore[attr-defined]
        except typer.Abort:
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)

app = typer.Typer(
    name="archlib",
    help="The architecture decision workbook: sourced rules, costed options, scored and drawn "
    "AWS design decisions.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=_OneLineErrors,
)


def _add_prices() -> None:
    from .cli_prices import prices_app

    app.add_typer(prices_app, name="prices")


_add_prices()


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"archlib {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option(
        "--version", help="Print archlib's version and exit.", is_eager=True,
        callback=_print_version)] = False,
    decisions_module: Annotated[list[str] | None, typer.Option(
        "--decisions-module", envvar=decisions.MODULES_ENV, metavar="MODULE",
        help="A module of decisions of your own to import first (it registers them); "
        f"repeatable. {decisions.MODULES_ENV} lists them too (comma- or space-separated).",
        show_default=False)] = None,
) -> None:
    """The architecture decision workbook: sourced rules, costed options, scored and drawn
    AWS design decisions."""
    # Click's ParameterSource, by name (typer may carry its own copy of Click).
    source = getattr(ctx.get_parameter_source("decisions_module"), "name", "")
    where = decisions.MODULES_ENV if source == "ENVIRONMENT" else "--decisions-module"
    try:
        decisions.import_modules(decisions_module or (), where=where)
    except InputError as error:
        _fail(error)


def _valid_date(text: str) -> bool:
    """YYYY-MM-DD in ASCII digits, and a day the calendar has."""
    try:
        return bool(_DATE.fullmatch(text)) and dt.date.fromisoformat(text) is not None
    except ValueError:
        return False


def _fail(error: InputError) -> None:
    typer.echo(f"archlib: {error.line()}", err=True)
    raise typer.Exit(2)


@app.command("list")
def list_decisions() -> None:
    """List the decisions: id, title and option ids."""
    for decision in decisions.all_decisions():
        typer.echo(f"{decision.id}\t{decision.title}\t{', '.join(decision.option_ids)}")


@app.command("evaluate")
def evaluate_command(
    decision: Annotated[str, typer.Argument(help="Decision id (see `archlib list`).")],
    scenario: Annotated[Path | None, typer.Option(
        "--scenario", help="A scenario YAML file; its section for DECISION is used.")] = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="name=value (YAML value); repeatable; weights.<criterion>=N sets a "
        "weight; prices.<item>=USD overrides a price.")] = None,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", metavar="OPTION", help="Exclude an option by policy (repeatable): not "
        "scored or ranked, shown as excluded by you.")] = None,
    output_format: Annotated[str, typer.Option(
        "--format", help="table, json or markdown.")] = "table",
) -> None:
    """Evaluate one decision and print the ranked options."""
    try:
        if output_format not in ("table", "json", "markdown"):
            raise InputError("must be table, json or markdown", where="--format",
                             field=output_format)
        loaded = None if scenario is None else load_scenario(scenario)
        ev = evaluate_scenario(decision, loaded, list(set_ or []), list(exclude or []))
        data = ev.to_dict() if output_format == "json" else {}
        if loaded is not None and output_format == "json" and loaded.variants.get(decision):
            from .variants import evaluate_variants

            data["variants"] = [v.to_dict() for v in evaluate_variants(
                loaded, decision, ev, tuple(set_ or ()), tuple(exclude or ()))]
    except InputError as error:
        _fail(error)
        return
    if output_format == "json":
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))
    elif output_format == "markdown":
        from .views import evaluation_markdown

        typer.echo(evaluation_markdown(ev), nl=False)
    else:
        _print_table(ev)


def _print_table(ev: Evaluation) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=ev.decision.title, show_lines=False)
    for name, justify in (("rank", "right"), ("option", "left"), ("score", "right"),
                          ("USD/month", "right"), ("why not", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    from .views import recommendation_heading, robustness_sentence, verdict_sentence

    rank = {o: i + 1 for i, o in enumerate(ev.ranking)}
    for r in sorted(ev.options, key=lambda o: (rank.get(o.id, 99), o.id)):
        why = [f"{v.message} [{v.source}]" for v in r.violations]
        if r.excluded:
            why.insert(0, "excluded by you")
        if r.dominated_by:
            why.append(f"dominated by {', '.join(r.dominated_by)}")
        table.add_row(
            str(rank.get(r.id, "-")), r.id, "-" if r.score is None else f"{r.score:.1f}",
            "unknown" if r.monthly_cost_usd is None else f"{r.monthly_cost_usd:,.2f}",
            "; ".join(why),
        )
    console = Console()
    console.print(table, markup=False)
    heading = (recommendation_heading(ev) if ev.recommended is not None
               else "Recommended: none (no option is feasible and not excluded)")
    console.print(f"{heading}   prices as of {ev.prices_as_of}", markup=False)
    style = {"clear": "bold green", "leaning": "bold yellow",
             "too-close-to-call": "bold red"}.get(ev.verdict.level if ev.verdict else "", "")
    console.print(f"How firm: {verdict_sentence(ev)}", style=style or None, markup=False)
    if ev.recommended is not None:
        console.print(f"Robustness: {robustness_sentence(ev)}", markup=False)


@app.command("init")
def init_command(
    folder: Annotated[Path, typer.Argument(help="The workbook folder (created if needed).")],
    force: Annotated[bool, typer.Option(
        "--force", help="Replace files the workbook already has.")] = False,
) -> None:
    """Copy the decision notebooks and example scenarios into a workbook folder."""
    from .workbook import init_workbook

    try:
        copy = init_workbook(folder, force=force)
    except InputError as error:
        _fail(error)
        return
    replaced = f", {len(copy.replaced)} replaced" if copy.replaced else ""
    typer.echo(f"wrote {len(copy.written)} files to {folder}{replaced}: notebooks/ and "
               f"scenarios/. Next: cd {folder} && jupyter lab (or: archlib report)")


@app.command("adr")
def adr_command(
    decision: Annotated[str, typer.Argument(help="Decision id (see `archlib list`).")],
    scenario: Annotated[Path | None, typer.Option(
        "--scenario", help="A scenario YAML file; its section for DECISION is used.")] = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="name=value (YAML value); repeatable; as for `archlib evaluate`.")] = None,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", metavar="OPTION", help="Exclude an option by policy (repeatable), as for "
        "`archlib evaluate`.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write the record to this file (default, or -: print it). A FIFO or "
        "device such as /dev/null is written to, never replaced.")] = None,
    date: Annotated[str | None, typer.Option(
        "--date", help="YYYY-MM-DD for the record's front matter (default: none).")] = None,
) -> None:
    """Write a decision record (Markdown, MADR 4 format, status "proposed")."""
    from .adr import adr_markdown

    try:
        if date is not None and not _valid_date(date):
            raise InputError("must be a date as YYYY-MM-DD", where="--date", field=date)
        loaded = None if scenario is None else load_scenario(scenario)
        ev = evaluate_scenario(decision, loaded, list(set_ or []), list(exclude or []))
        text = adr_markdown(ev, scenario_name=loaded.name if loaded else "",
                            scenario_description=loaded.description if loaded else "",
                            date=date)
        if out is None or str(out) == "-":
            typer.echo(text, nl=False)
            return
        if out.is_dir():
            raise InputError("is a folder; give a file name", where="--out", field=str(out))
        from ._files import write_file

        try:
            write_file(out, text)
        except OSError as error:
            raise InputError(f"cannot write: {error.strerror or error}", where="--out",
                             field=str(out)) from None
    except InputError as error:
        _fail(error)
        return
    typer.echo(f"wrote {printable(str(out))}", err=True)


class _ProgressBar:
    """A rich progress bar on stderr (done, failed, remaining) with a line per report."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("reports"), BarColumn(),
            TextColumn("{task.fields[done]} done, {task.fields[failed]} failed, "
                       "{task.fields[remaining]} remaining"),
            TimeElapsedColumn(), console=Console(stderr=True))
        self.task = self.progress.add_task("reports", total=None, done=0, failed=0,
                                           remaining="?")
        self.done = self.failed = self.total = 0

    def __enter__(self) -> _ProgressBar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def started(self, total: int) -> None:
        self.total = total
        self.progress.update(self.task, total=total, remaining=total)

    def finished(self, row: Any) -> None:
        from .report import row_line

        if row.ok:
            self.done += 1
        else:
            self.failed += 1
        self.progress.console.print(row_line(row), markup=False, highlight=False,
                                    soft_wrap=True)
        self.progress.update(self.task, advance=1, done=self.done, failed=self.failed,
                             remaining=self.total - self.done - self.failed)


@app.command("report")
def report_command(
    scenarios: Annotated[list[Path] | None, typer.Argument(
        help="Scenario files (default: scenarios/*.yaml).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("output"),
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Notebooks run at once, each in its own process and kernel "
        "(default: the number of CPU cores; at most 4 per core).", show_default=False)] = None,
    cell_timeout: Annotated[int, typer.Option(
        "--cell-timeout", help="Seconds one notebook cell may run before its report fails."
    )] = 120,
    start_timeout: Annotated[int, typer.Option(
        "--start-timeout", help="Seconds a kernel may take to start.")] = 60,
    self_contained: Annotated[bool, typer.Option(
        "--self-contained", help="Inline plotly.js into every report (single files for "
        "e-mail) instead of sharing assets/plotly.min.js.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", help="No progress bar; print only failures and the summary (CI logs)."
    )] = False,
    executor: Annotated[str, typer.Option(
        "--executor", help="local (this machine's worker processes) or dask.")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", metavar="ADDRESS", help="A dask.distributed scheduler (with --executor "
        "dask; default: a LocalCluster of --workers processes).", show_default=False)] = None,
    pdf: Annotated[bool, typer.Option(
        "--pdf", help="Also print each report to a PDF beside its HTML, through headless "
        "Chromium (/usr/bin/chromium, or ARCHLIB_CHROMIUM).")] = False,
    paper: Annotated[str, typer.Option(
        "--paper", help="Paper size of the PDFs: A4 or Letter.")] = "A4",
    notebooks: Annotated[Path | None, typer.Option(
        "--notebooks", help="The folder of decision notebooks (default: archlib's own); "
        "for a decision of your own, where generate_notebook wrote its notebook.",
        show_default=False)] = None,
    compare_to: Annotated[Path | None, typer.Option(
        "--compare-to", metavar="OLD_OUTPUT_DIR", help="An earlier run's output folder: the "
        "index and each report mark what changed since (recommendation, monthly cost, "
        "verdict; new and gone reports), from its results.json.", show_default=False)] = None,
) -> None:
    """Execute each scenario's decision notebooks and render HTML reports with an index.
    Exits 1 when any report failed (after writing all the others)."""
    # issue 23: the workers' fork server warms up (2-3 CPU-s) while this process imports
    # and plans (the `archlib` command started it before importing the CLI, see
    # archlib._launch); the batch stops it, or the `finally` below when there is no batch.
    from ._prestart import prestart_workers, stop_workers

    prestarted = prestart_workers(executor, scheduler)
    from .pdf import PAPER_SIZES
    from .report import NOTEBOOK_DIR, build_reports

    paths = list(scenarios or sorted(Path("scenarios").glob("*.yaml")))
    try:
        if not paths:
            raise InputError("no scenario files given and none in scenarios/ (`archlib init "
                             "DIR` makes a workbook with examples)", where="report")
        for name, value in (("--workers", workers), ("--cell-timeout", cell_timeout),
                            ("--start-timeout", start_timeout)):
            if value is not None and value < 1:
                raise InputError(f"must be at least 1 (got {value})", where=name)
        if paper not in PAPER_SIZES:
            raise InputError(f"unknown paper size {paper!r} (known: "
                             f"{', '.join(PAPER_SIZES)})", where="--paper")
        if notebooks is not None and not notebooks.is_dir():
            raise InputError(f"no folder {str(notebooks)!r}", where="--notebooks")
        options: dict[str, Any] = {"self_contained": self_contained, "workers": workers,
                                   "cell_timeout": cell_timeout,
                                   "start_timeout": start_timeout, "executor": executor,
                                   "scheduler": scheduler,
                                   "notebook_dir": notebooks or NOTEBOOK_DIR,
                                   "compare_to": compare_to}
        if quiet:
            outcome = build_reports(paths, out, **options)
        else:
            with _ProgressBar() as bar:
                outcome = build_reports(paths, out, progress=bar, **options)
    except InputError as error:
        _fail(error)
        return
    finally:
        if prestarted:
            stop_workers()  # (a no-op when the batch has stopped it)
    if pdf:
        _print_pdfs(outcome, paper)
    lines = outcome.summary_lines(failures_only=True)
    if outcome.comparison is not None:
        typer.echo(printable(f"since {outcome.comparison.previous.folder}: "
                             f"{outcome.comparison.summary()}"))
    if quiet:  # the progress bar printed each row as it finished
        for line in lines[:-1]:
            typer.echo(line, err=True)
    typer.echo(lines[-1], err=not outcome.ok)
    if not outcome.ok:
        raise typer.Exit(1)


class _FleetBar:
    """A rich progress bar on stderr for a fleet review's rows."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(TextColumn("workloads"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=Console(stderr=True))
        self.task = self.progress.add_task("workloads", total=None)

    def __enter__(self) -> _FleetBar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def started(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def advanced(self, rows: int) -> None:
        self.progress.update(self.task, advance=rows)


@app.command("fleet")
def fleet_command(
    inventory: Annotated[Path, typer.Argument(
        help="The inventory: .csv, .xlsx, .parquet or .yaml; one row per workload with a "
        "decision column, parameter columns, optional weights.*, prices.*, exclude and "
        "current_option, and your own columns.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("output/fleet"),
    reports: Annotated[str, typer.Option(
        "--reports", help="flagged (the rows a reviewer should see: the current option "
        "differs or is ruled out, or too close to call), all or none.")] = "flagged",
    group_by: Annotated[str | None, typer.Option(
        "--group-by", metavar="COLUMN", help="Your column to total savings by (default: the "
        "inventory's first own column).", show_default=False)] = None,
    executor: Annotated[str, typer.Option(
        "--executor", help="local (this machine's processes) or dask.")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", metavar="ADDRESS", help="A dask.distributed scheduler (with --executor "
        "dask; default: a LocalCluster for the run).", show_default=False)] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Processes at once (default: the CPU cores).",
        show_default=False)] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", help="No progress bar; print only the summary line.")] = False,
) -> None:
    """Review a fleet: evaluate every workload of an inventory, write results.csv,
    results.parquet, an HTML summary (index.html) and reports for the flagged rows.
    Exits 1 when a row is invalid or a report failed (after writing everything else)."""
    from .fleet_review import REPORT_MODES, review_inventory

    try:
        if reports not in REPORT_MODES:
            raise InputError(f"must be one of {', '.join(REPORT_MODES)}", where="--reports",
                             field=reports)
        if workers is not None and workers < 1:
            raise InputError(f"must be at least 1 (got {workers})", where="--workers")
        options: dict[str, Any] = {"reports": reports, "group_by": group_by,
                                   "executor": executor, "scheduler": scheduler,
                                   "workers": workers}
        if quiet:
            outcome = review_inventory(inventory, out, **options)
        else:
            with _FleetBar() as bar:
                outcome = review_inventory(inventory, out, progress=bar, **options)
    except InputError as error:
        _fail(error)
        return
    for line in outcome.results["error"].dropna().tolist()[:20]:
        typer.echo(f"invalid  {line}", err=True)
    if outcome.reports is not None:
        for line in outcome.reports.summary_lines(failures_only=True)[:-1]:
            typer.echo(line, err=True)
    typer.echo(outcome.summary_line(), err=not outcome.ok)
    if not outcome.ok:
        raise typer.Exit(1)
def _print_pdfs(outcome: Any, paper: str) -> None:
    """A PDF beside each HTML report the batch wrote; a browser that is missing or fails is
    one line and exit code 2."""
    from .pdf import PdfError, write_pdfs

    htmls = [outcome.out_dir / r.html_path for r in outcome.rows if r.ok and r.html_path]
    try:
        written = write_pdfs(htmls, paper=paper)  # type: ignore[arg-type]
    except PdfError as error:
        _fail(InputError(str(error), where="--pdf"))
        return
    typer.echo(f"{len(written)} PDF(s) written ({paper})", err=True)


def _exit_on_signal(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds like Ctrl-C: batches stop their workers


def main() -> None:
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit_on_signal)
    try:
        app()
    except InputError as error:  # an API error that escaped a command: still one line
        typer.echo(f"archlib: {error.line()}", err=True)
        sys.exit(2)
