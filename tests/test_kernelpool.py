"""Kernels forked from a warm parent (issue 23): the same bytes as kernels launched from
scratch, and no report sees what another report's notebook left behind."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from archlib import drawing, report
from archlib.report import kernelpool, kernels

S3 = "s3-endpoints"
ROOT = Path(__file__).resolve().parents[1]
EPOCH = "1764201600"  # 2025-11-27T00:00:00Z
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="kernels are forked on Linux only")

#: Inserted after the parameters of the s3-endpoints notebook: a scenario named "mutator"
#: changes every kind of state the issue lists; every report then shows what it can see of
#: that state (so a leak changes the report's bytes) and goes on to evaluate and draw.
MUTATE_CELL = """\
import builtins, dataclasses, os, sys
import archlib.notebook as _nbm
from archlib import _prices, decisions
if scenario_name == "mutator":
    _nbm.recommendation = lambda ev: _nbm.Html("<p>LEAKED module</p>")  # a module
    builtins.leaked_builtin = "LEAKED builtin"  # a global every namespace sees
    leaked_global = "LEAKED global"  # a global of this notebook
    os.environ["ARCHLIB_LEAKED"] = "LEAKED environment"  # an environment variable
    os.chdir(os.path.dirname(os.getcwd()))  # the cwd
    sys.path.insert(0, "/leaked")
    _d = decisions._REGISTRY["s3-endpoints"]  # a registry entry
    decisions._REGISTRY["s3-endpoints"] = dataclasses.replace(_d, title="LEAKED registry")
    _table = _prices.read_shipped("us-east-1")  # the price file, as read and cached
    for _k, _p in list(_table.items.items()):
        _table.items[_k] = dataclasses.replace(_p, value=_p.value * 7 + 1)
print(sorted(k for k in globals() if k.startswith("leaked")),
      getattr(builtins, "leaked_builtin", "-"), os.environ.get("ARCHLIB_LEAKED", "-"),
      os.path.basename(os.getcwd())[:7], "/leaked" in sys.path,
      decisions.get("s3-endpoints").title[:6])
"""

#: Appended to the s3-endpoints notebook (so it runs after the notebook's own diagrams were
#: drawn and cached): a scenario named "corrupter" garbles every entry of the batch's diagram
#: cache and writes a damaged price file into the price cache folder it sees and into the
#: batch's own (PRICE_FOLDER), then says how many entries it garbled.
CORRUPT_CELL = """\
import os, pathlib
from archlib import _pricecache, drawing
if scenario_name == "corrupter":
    _entries = sorted(pathlib.Path(os.environ[drawing.DIAGRAM_CACHE_ENV]).glob("*.svg"))
    for _entry in _entries:
        _entry.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><text>CORRUPTED</text></svg>')
    for _folder in {os.environ[_pricecache.CACHE_ENV], PRICE_FOLDER}:
        os.makedirs(_folder, exist_ok=True)
        pathlib.Path(_folder, "us-east-1.yaml").write_text("region: us-east-1\\nitems: [")
    print("garbled", len(_entries), "diagram cache entries")
"""

#: A notebook that fails in each way the issue names, by scenario name.
FAULT_CELL = """\
import os, signal, sys, time
if scenario_name == "raises":
    raise RuntimeError("raised")
if scenario_name == "hangs":
    time.sleep(600)
if scenario_name == "exits":
    os._exit(3)
if scenario_name == "sys-exit":
    sys.exit(4)
if scenario_name == "kills":
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _notebooks(folder: Path, cell: str, *, last: bool = False) -> Path:
    """The s3-endpoints notebook with ``cell`` after its parameters (or ``last``)."""
    folder.mkdir()
    nb = nbformat.read(report.NOTEBOOK_DIR / "s3_endpoints.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(len(nb.cells) if last else at + 1, nbformat.v4.new_code_cell(cell))
    nbformat.write(nb, folder / "s3_endpoints.ipynb")
    return folder


def _scenarios(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for name in names:
        path = folder / f"{name}.yaml"
        path.write_text(f"name: {name}\ndecisions:\n  {S3}:\n    vpc_count: 3\n")
        paths.append(path)
    return paths


def _build(monkeypatch: pytest.MonkeyPatch, paths: list[Path], out: Path, *,
           kernels: str = "fork", diagram_cache: bool = True,
           **options: Any) -> report.ReportOutcome:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv(report.KERNELS_ENV, kernels)
    if diagram_cache:
        monkeypatch.delenv(drawing.DIAGRAM_CACHE_ENV, raising=False)
    else:
        monkeypatch.setenv(drawing.DIAGRAM_CACHE_ENV, "")  # empty: no cache
    return report.build_reports(paths, out, **options)


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


# --- the same bytes ----------------------------------------------------------------------------

def test_forked_kernels_write_the_same_bytes_as_kernels_started_from_scratch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every bundled report, its notebook and HTML, and the index: forked kernels with the
    diagram cache against kernels launched by jupyter_client without it (the path before
    issue 23). Two workers, so both share the batch's diagram cache."""
    inputs = sorted((ROOT / "scenarios").glob("*.yaml"))
    fresh = _build(monkeypatch, inputs, tmp_path / "fresh", kernels="fresh",
                   diagram_cache=False, workers=2)
    forked = _build(monkeypatch, inputs, tmp_path / "forked", workers=2)
    assert fresh.ok and forked.ok, [r.reason for r in (*fresh.rows, *forked.rows)]
    before, after = _files(tmp_path / "fresh"), _files(tmp_path / "forked")
    assert sum(name.endswith(".html") for name in before) == len(fresh.rows) + 1  # + index
    assert before.keys() == after.keys()
    assert [n for n in before if before[n] != after[n]] == []


# --- isolation -------------------------------------------------------------------------------

def test_no_report_sees_state_another_notebook_left(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """One worker runs the mutator and then two reports (so they run on kernels forked by
    the parent that forked the mutator's); each must be byte-identical to the same report run
    alone, in a batch of its own."""
    notebooks = _notebooks(tmp_path / "notebooks", MUTATE_CELL)
    paths = _scenarios(tmp_path / "in", ["mutator", "after-1", "after-2"])
    batch = _build(monkeypatch, paths, tmp_path / "batch", workers=1, notebook_dir=notebooks)
    assert batch.ok, [r.reason for r in batch.rows]
    mutated = (tmp_path / "batch" / "mutator" / f"{S3}.html").read_text()
    assert "LEAKED module" in mutated  # the mutations happened
    for name, path in (("after-1", paths[1]), ("after-2", paths[2])):
        alone = _build(monkeypatch, [path], tmp_path / f"alone-{name}", workers=1,
                       notebook_dir=notebooks)
        assert alone.ok
        for suffix in (".html", ".ipynb"):
            seen = (tmp_path / "batch" / name / f"{S3}{suffix}").read_bytes()
            assert seen == (tmp_path / f"alone-{name}" / name / f"{S3}{suffix}").read_bytes()
        page = (tmp_path / "batch" / name / f"{S3}.html").read_text()
        assert "LEAKED" not in page
        assert "[] - - kernel- False Privat" in page  # what the probe saw: nothing changed


def test_no_report_sees_what_another_notebook_wrote_on_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A notebook garbles the batch's diagram cache (after it has drawn its own diagrams)
    and writes a damaged price file into the price cache folder (the one it is shown and
    the batch's own): the two reports after it on the same worker, drawing the same
    diagrams, are byte-identical to the same reports run alone before the batch."""
    prices = tmp_path / "price-cache"  # empty: the shipped prices
    monkeypatch.setenv("ARCHLIB_PRICE_CACHE", str(prices))
    notebooks = _notebooks(tmp_path / "notebooks",
                           CORRUPT_CELL.replace("PRICE_FOLDER", repr(str(prices))), last=True)
    paths = _scenarios(tmp_path / "in", ["first", "corrupter", "after-1", "after-2"])
    for name, path in (("after-1", paths[2]), ("after-2", paths[3])):
        assert _build(monkeypatch, [path], tmp_path / f"alone-{name}", workers=1,
                      notebook_dir=notebooks).ok
    batch = _build(monkeypatch, paths, tmp_path / "batch", workers=1, notebook_dir=notebooks)
    assert [(r.scenario_name, r.reason) for r in batch.rows] == [
        ("first", ""), ("corrupter", ""), ("after-1", ""), ("after-2", "")]
    said = (tmp_path / "batch" / "corrupter" / f"{S3}.ipynb").read_text()
    garbled = int(said.split("garbled ")[1].split()[0])
    assert garbled >= 2  # the damage was done: the diagrams "first" drew, and the price file
    assert (prices / "us-east-1.yaml").read_text().startswith("region: us-east-1")
    for name in ("after-1", "after-2"):
        for suffix in (".html", ".ipynb"):
            seen = (tmp_path / "batch" / name / f"{S3}{suffix}").read_bytes()
            assert seen == (tmp_path / f"alone-{name}" / name / f"{S3}{suffix}").read_bytes()
        assert "CORRUPTED" not in (tmp_path / "batch" / name / f"{S3}.html").read_text()


def test_each_fault_fails_only_its_own_row(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Raise, hang, exit (two ways) and kill, on one worker, between good reports: each
    fails its own row with its own reason; the good ones are written and identical to the
    first good one but for their names."""
    notebooks = _notebooks(tmp_path / "notebooks", FAULT_CELL)
    names = ["good-1", "raises", "good-2", "hangs", "good-3", "exits", "good-4", "sys-exit",
             "good-5", "kills", "good-6"]
    paths = _scenarios(tmp_path / "in", names)
    outcome = _build(monkeypatch, paths, tmp_path / "out", workers=1, notebook_dir=notebooks,
                     cell_timeout=3)
    reasons = {r.scenario_name: r.reason for r in outcome.rows}
    # cell 4: the title markdown, the parameters, the injected parameters, then the fault
    assert reasons == {
        **{f"good-{n}": "" for n in range(1, 7)},
        "raises": "notebook cell 4 raised RuntimeError: raised",
        "hangs": "notebook cell 4 timed out after 3 s (--cell-timeout)",
        "exits": "the kernel died while running notebook cell 4",
        "sys-exit": "notebook cell 4 raised SystemExit: 4",
        "kills": "the kernel died while running notebook cell 4",
    }
    for n in range(1, 7):
        assert (tmp_path / "out" / f"good-{n}" / f"{S3}.html").exists()
    for name in ("raises", "hangs", "exits", "sys-exit", "kills"):
        assert not (tmp_path / "out" / name / f"{S3}.html").exists()
    first = (tmp_path / "out" / "good-1" / f"{S3}.html").read_text()
    for n in range(2, 7):
        page = (tmp_path / "out" / f"good-{n}" / f"{S3}.html").read_text()
        assert page.replace(f"good-{n}", "good-1") == first


#: Kills the worker's kernel parent (not the kernel: the notebook itself goes on), found by
#: its process name (its command line is its worker's when forked from it), and says so.
KILL_PARENT_CELL = """\
import os, psutil
if scenario_name == "parent-killer":
    _parents = [_p for _p in psutil.Process(os.getppid()).children()
                if _p.name() == "archlib-kparent"]
    for _p in _parents:
        _p.kill()  # (not waited for: a zombie until the worker reaps it)
    print("killed", len(_parents), "kernel parent(s)")
"""


def test_a_dead_kernel_parent_costs_no_report(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's kernel parent killed by a notebook: that report and every later one on
    the worker are still written (the kernel already forked runs the next notebook, then the
    worker launches kernels), the same bytes as each run alone."""
    notebooks = _notebooks(tmp_path / "notebooks", KILL_PARENT_CELL)
    paths = _scenarios(tmp_path / "in", ["before", "parent-killer", "next", "later"])
    outcome = _build(monkeypatch, paths, tmp_path / "out", workers=1, notebook_dir=notebooks)
    assert [(r.scenario_name, r.reason) for r in outcome.rows] == [
        ("before", ""), ("parent-killer", ""), ("next", ""), ("later", "")]
    said = (tmp_path / "out" / "parent-killer" / f"{S3}.ipynb").read_text()
    assert "killed 1 kernel parent(s)" in said  # it found the parent: the test tests
    alone = _build(monkeypatch, [paths[3]], tmp_path / "alone", workers=1,
                   notebook_dir=notebooks)
    assert alone.ok
    assert ((tmp_path / "out" / "later" / f"{S3}.html").read_bytes()
            == (tmp_path / "alone" / "later" / f"{S3}.html").read_bytes())


# --- the kernel parent -----------------------------------------------------------------------

def test_forked_kernel_is_a_child_of_its_worker_in_its_own_session(tmp_path: Path) -> None:
    """As jupyter_client would launch it: the caller's child (re-parented through the
    subreaper), a new session, its own cwd, ipykernel's argv, no debugger, and the parent's
    warm-up already imported."""
    from jupyter_core.utils import run_sync

    parent = kernelpool.KernelParent(sys.executable, log_path=str(tmp_path / "parent.txt"))
    kernel = kernels.Kernel(report.KERNEL_NAME, parent)
    try:
        run_sync(kernel.start_async)()

        async def ask() -> dict[str, Any]:
            client = kernel.km.client()
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=60)
                expressions = {
                    "ppid": "__import__('os').getppid()",
                    "session": "__import__('os').getsid(0) == __import__('os').getpid()",
                    "cwd": "__import__('os').getcwd()",
                    "argv0": "__import__('os').path.basename(__import__('sys').argv[0])",
                    "warm": "'archlib.notebook' in __import__('sys').modules",
                    "parent_env": "__import__('os').environ['JPY_PARENT_PID']",
                }
                reply = await client.execute_interactive("pass", user_expressions=expressions,
                                                         timeout=60)
                info = await client.kernel_info(reply=True, timeout=60)
                return {"values": reply["content"]["user_expressions"],
                        "features": info["content"].get("supported_features")}
            finally:
                client.stop_channels()

        try:
            answer = run_sync(ask)()
        except RuntimeError as error:  # e.g. the kernel died: what it and its parent said
            from report_batch import kernel_story

            raise AssertionError(f"{error}; {kernel_story(kernel, tmp_path / 'parent.txt')}"
                                 ) from error
        pid = kernel.km.provisioner.pid
    finally:
        kernel.close()
        parent.close()
    shown = {k: v["data"]["text/plain"] for k, v in answer["values"].items()}
    assert shown == {"ppid": str(os.getpid()), "session": "True",
                     "cwd": repr(os.path.realpath(kernel.dir)),
                     "argv0": "'ipykernel_launcher.py'", "warm": "True",
                     "parent_env": repr(str(os.getpid()))}
    assert "debugger" not in answer["features"]
    with pytest.raises(ChildProcessError):  # reaped by close()
        os.waitpid(pid, os.WNOHANG)
    assert not Path(kernel.dir).exists()


#: Shows whether this report's kernel parent is a fork of its worker (the same command
#: line) rather than a fresh interpreter (``python -c ...serve(...)``).
PARENT_CELL = """\
import os, psutil
_worker = psutil.Process(os.getppid())
print("forked from the worker:", [_p.cmdline() == _worker.cmdline() for _p in _worker.children()
                                  if _p.name() == "archlib-kparent"])
"""


def test_a_batchs_kernel_parents_are_forked_from_its_warm_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers' fork server marks itself as one to fork kernel parents from (its
    warm-up knows it runs there), so each worker's kernel parent costs a fork."""
    notebooks = _notebooks(tmp_path / "notebooks", PARENT_CELL)
    paths = _scenarios(tmp_path / "in", ["one"])
    outcome = _build(monkeypatch, paths, tmp_path / "out", workers=1, notebook_dir=notebooks)
    assert outcome.ok
    said = (tmp_path / "out" / "one" / f"{S3}.ipynb").read_text()
    assert "forked from the worker: [True]" in said


#: A process that imports the fork servers' warm-ups as a test, a notebook or a
#: documentation tool would, then asks a kernel parent for a kernel. Prints whether it was
#: marked to fork kernel parents from itself, whether its kernel parent is a fresh
#: interpreter, and whether the kernel became its child.
IMPORTING_PROCESS = """\
import os, signal, sys, time
import archlib.report.daskwarmup  # (and so archlib.report.warmup)
from archlib.report import kernelpool
here = sys.argv[1]
parent = kernelpool.KernelParent(sys.executable, log_path=os.path.join(here, "parent.txt"))
pid = parent.fork(["-f", os.path.join(here, "kernel.json")], cwd=here, env=dict(os.environ),
                  stdout=os.path.join(here, "kernel.txt"))
def ppid():
    return (kernelpool._proc_state(pid) or ("", 0))[1]
deadline = time.monotonic() + 30
while ppid() != os.getpid() and time.monotonic() < deadline:
    time.sleep(0.01)
with open(f"/proc/{parent.process.pid}/cmdline", "rb") as theirs, \
        open("/proc/self/cmdline", "rb") as ours:
    fresh = theirs.read() != ours.read()  # forked from this process, it would be the same
print(kernelpool.FORKABLE, fresh, ppid() == os.getpid())
os.kill(pid, signal.SIGKILL)
parent.close()
"""


def test_a_process_importing_the_warm_ups_is_no_fork_server(tmp_path: Path) -> None:
    """Importing the fork servers' warm-up modules elsewhere marks nothing: the process's
    kernel parents are fresh interpreters, not copies of it (it holds state of its own),
    and its forks are not hooked as Dask workers, so its kernels are its own children.
    Seen in CI: the public-names test imported both modules; a kernel parent later forked
    from that test process ran the Dask workers' fork hook, became a subreaper and took
    its kernels, which gave up waiting to be the test process's children."""
    import subprocess

    done = subprocess.run([sys.executable, "-c", IMPORTING_PROCESS, str(tmp_path)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["[]", "True", "True"]


@pytest.mark.parametrize(("argv", "forkable"), [
    (["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"], True),
    ([sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"], True),
    (["/no/such/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"], False),
    (["python", "-m", "ipykernel_launcher", "-f", "{connection_file}", "--debug"], False),
    (["python", "-m", "other_kernel", "-f", "{connection_file}"], False),
    (["R", "--slave", "-e", "IRkernel::main()", "--args", "{connection_file}"], False),
])
def test_only_this_machines_ipykernel_is_forked(argv: list[str], forkable: bool) -> None:
    assert (kernelpool.kernel_python(argv) is not None) is forkable


def test_a_process_that_is_not_this_ones_child_is_alive_while_it_runs() -> None:
    """poll() of a kernel that is (not yet) this process's child: running, it is alive; a
    waited-for one that ended is not; wait() does not block on what it cannot reap."""
    import subprocess

    init = kernelpool._ForkedProcess(1)  # always running, never this process's child
    assert init.poll() is None
    assert init.wait() == -1
    ended = subprocess.Popen(["true"])
    ended.wait()
    assert kernelpool._ForkedProcess(ended.pid).poll() == -1
