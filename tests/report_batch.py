"""The batch of reports that tests/test_report.py and tests/test_report_browser.py share, built
once per test session: every bundled scenario (whatever ``scenarios/*.yaml`` holds) plus the
fixtures in ``tests/report_scenarios/`` (a good one, a hostile one, a broken one)."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest

from archlib import report

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "report_scenarios"
#: SOURCE_DATE_EPOCH for the shared batch: 2025-11-27T00:00:00Z.
EPOCH, STAMP = "1764201600", "2025-11-27T00:00:00Z"


def bundled_scenarios() -> list[Path]:
    return sorted((ROOT / "scenarios").glob("*.yaml"))


def batch_inputs() -> list[Path]:
    return [*bundled_scenarios(), FIXTURES / "hybrid.yaml", FIXTURES / "hostile.yaml",
            FIXTURES / "broken.yaml"]


@dataclass
class Recorder:
    """A ReportProgress that keeps what it was told."""

    totals: list[int] = field(default_factory=list)
    rows: list[report.ReportRow] = field(default_factory=list)

    def started(self, total: int) -> None:
        self.totals.append(total)

    def finished(self, row: report.ReportRow) -> None:
        self.rows.append(row)


@dataclass(frozen=True)
class Batch:
    outcome: report.ReportOutcome
    out: Path
    progress: Recorder


def build(out: Path, **options: object) -> report.ReportOutcome:
    """``build_reports(batch_inputs(), out)`` at the shared batch's SOURCE_DATE_EPOCH."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        return report.build_reports(batch_inputs(), out, **options)  # type: ignore[arg-type]
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


_BUILT: dict[str, Batch] = {}


def shared_batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    if "batch" not in _BUILT:
        out = tmp_path_factory.mktemp("shared-batch") / "out"
        progress = Recorder()
        _BUILT["batch"] = Batch(build(out, progress=progress), out, progress)
    return _BUILT["batch"]


FAULT_CELL = """\
import os, time
if scenario_name == "boom":
    raise RuntimeError("boom")
if scenario_name == "slow":
    time.sleep(120)
if scenario_name == "crash":
    os._exit(1)
"""


def fault_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[report.ReportOutcome, Path]:
    """A copy of the s3-endpoints notebook with a cell that fails on cue, four scenarios
    (one calm, three failing), a stale report from an earlier run, self-contained output,
    a 3 s cell timeout."""
    if "faults" not in _FAULTS:
        root = tmp_path_factory.mktemp("faults")
        notebooks = root / "notebooks"
        notebooks.mkdir()
        nb = nbformat.read(report.NOTEBOOK_DIR / "s3_endpoints.ipynb", as_version=4)
        at = next(i for i, c in enumerate(nb.cells)
                  if "parameters" in c.metadata.get("tags", []))
        nb.cells.insert(at + 1, nbformat.v4.new_code_cell(FAULT_CELL))
        nbformat.write(nb, notebooks / "s3_endpoints.ipynb")
        paths = []
        for name in ("calm", "boom", "slow", "crash"):
            paths.append(root / f"{name}.yaml")
            paths[-1].write_text(f"name: {name}\ndecisions:\n  s3-endpoints: {{}}\n")
        out = root / "out"
        stale = out / "boom" / "s3-endpoints.html"
        stale.parent.mkdir(parents=True)
        stale.write_text("an older run's report")
        outcome = report.build_reports(paths, out, self_contained=True, cell_timeout=3,
                                       notebook_dir=notebooks, workers=2)
        _FAULTS["faults"] = (outcome, out)
    return _FAULTS["faults"]


_FAULTS: dict[str, tuple[report.ReportOutcome, Path]] = {}


def s3_notebooks_with(folder: Path, cell_source: str) -> Path:
    """``folder/notebooks``: the bundled s3-endpoints notebook with one code cell added right
    after its parameters cell (a batch's ``notebook_dir``)."""
    notebooks = folder / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(report.NOTEBOOK_DIR / "s3_endpoints.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(cell_source))
    nbformat.write(nb, notebooks / "s3_endpoints.ipynb")
    return notebooks


def kernel_story(kernel: Any, parent_log: Path) -> str:
    """A kernel that failed to start: its exit code (-1: it was not this process's child
    to reap), whether its process is still there and whose child it is, this process's
    subreaper flag, SIGCHLD handler and threads, and the ends of the kernel's output and of
    its parent's log."""
    import ctypes
    import signal
    import threading

    from archlib.report import kernelpool

    provisioner = kernel.km.provisioner
    process = getattr(provisioner, "process", None)
    pid = getattr(provisioner, "pid", None)
    code = None if process is None else process.poll()
    state = None if pid is None else kernelpool._proc_state(pid)
    there = "gone" if state is None else f"state {state[0]}, ppid {state[1]}"
    flag = ctypes.c_int(-1)
    with contextlib.suppress(Exception):  # PR_GET_CHILD_SUBREAPER
        ctypes.CDLL(None, use_errno=True).prctl(37, ctypes.byref(flag), 0, 0, 0)
    said: dict[str, str] = {}
    for name, path in (("kernel", Path(kernel.dir) / "stderr.txt"),
                       ("parent", parent_log)):
        said[name] = path.read_text("utf-8", "replace")[-1500:] if path.exists() else "-"
    return (f"exit code {code}; kernel {pid}: {there}; this process {os.getpid()}: "
            f"subreaper {flag.value}, SIGCHLD {signal.getsignal(signal.SIGCHLD)!r}, threads "
            f"{[t.name for t in threading.enumerate()]}; kernel wrote: {said['kernel']!r}; "
            f"parent: {said['parent']!r}")
