"""Batch reports under attack: a dying worker, signals to the main process, hostile file
names and planted links in the output folder (issue 21: D1, D4, D5, D6, D7, D8)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from report_batch import s3_notebooks_with

from archlib import report
from archlib.report import kernelpool

S3 = "s3-endpoints"
ROOT = Path(__file__).resolve().parents[1]
ARCHLIB = str(Path(sys.executable).parent / "archlib")
GOOD = f"name: {{name}}\ndecisions:\n  {S3}: {{{{}}}}\n"

KILL_WORKER_CELL = """\
import os, signal
if scenario_name == "killer":
    os.kill(os.getppid(), signal.SIGKILL)  # the kernel's parent: the worker process
"""


def _scenario(folder: Path, stem: str, name: str | None = None) -> Path:
    path = folder / f"{stem}.yaml"
    path.write_text(GOOD.format(name=name or stem))
    return path


# --- D7: one dying worker fails only its own job ------------------------------------------

def test_a_dying_worker_fails_only_its_own_job(tmp_path: Path) -> None:
    notebooks = s3_notebooks_with(tmp_path, KILL_WORKER_CELL)
    paths = [_scenario(tmp_path, name) for name in ("first", "killer", "after")]
    out = tmp_path / "out"
    # One worker: the job after the killer can only run if a new worker takes it.
    outcome = report.build_reports(paths, out, workers=1, notebook_dir=notebooks,
                                   self_contained=True)
    reasons = {r.scenario_name: r.reason for r in outcome.rows}
    assert reasons == {"first": "", "killer": "worker process died (killed by SIGKILL)",
                       "after": ""}
    assert (out / "after" / f"{S3}.html").exists()
    assert not (out / "killer").exists() or not list((out / "killer").iterdir())
    assert not list(out.rglob("*.tmp"))


# --- D1, D4, D6, D8: one batch with hostile inputs, through the command ----------------------

def test_hostile_batch_fails_only_the_hostile_rows(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    deep = inputs / "deep.yaml"  # D1: breaks PyYAML's recursion without the loader's bound
    deep.write_text(f"name: deep\ndecisions:\n  {S3}:\n    weights: " + "[" * 1000
                    + "]" * 1000 + "\n")
    big = inputs / "bigint.yaml"
    big.write_text(f"name: big\ndecisions:\n  {S3}:\n    vpc_count: {'9' * 5000}\n")
    index_like = _scenario(inputs, "index.html", "named like the index")  # D8
    assets_like = _scenario(inputs, "assets", "named like the assets")
    redirect = _scenario(inputs, "redirect")  # D4: its folder is a planted link
    deleted = inputs / "deleted.yaml"  # fails evaluation: its stale files are "cleaned up"
    deleted.write_text(f"name: deleted\ndecisions:\n  {S3}:\n    weights: {{monthly_cost: 0, "
                       "operational_complexity: 0, private_path_control: 0, "
                       "throughput_headroom: 0}\n")
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    (elsewhere / "A").mkdir(parents=True)
    (elsewhere / "B").mkdir()
    (elsewhere / "B" / f"{S3}.html").write_text("not archlib's")
    (out / "redirect").symlink_to(elsewhere / "A")
    (out / "deleted").symlink_to(elsewhere / "B")
    env = {**os.environ, "SOURCE_DATE_EPOCH": ""}  # D6: empty must not reach the kernels
    done = subprocess.run(
        [ARCHLIB, "report", *map(str, (deep, big, index_like, assets_like, redirect, deleted)),
         "--out", str(out), "--quiet", "--workers", "2"],
        capture_output=True, text=True, env=env, timeout=600, check=False)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[-1] == f"2 report(s) written, 4 failed; index: {out / 'index.html'}"
    failed = sorted(line.split(": ", 1)[0] for line in lines[:-1])
    assert failed == sorted([f"FAILED  {deep}", f"FAILED  {big}", f"FAILED  {redirect} {S3}",
                             f"FAILED  {deleted} {S3}"])
    assert any("redirect: is a symbolic link" in line for line in lines)
    # D8: neither the index nor the assets folder was taken by a scenario
    assert (out / "index.html").is_file()
    assert (out / "index.html-2" / f"{S3}.html").is_file()
    assert (out / "assets-2" / f"{S3}.html").is_file()
    assert sorted(p.name for p in (out / "assets").iterdir()) == ["plotly.min.js"]
    # D4: nothing written or deleted outside the output folder
    assert list((elsewhere / "A").iterdir()) == []
    assert (elsewhere / "B" / f"{S3}.html").read_text() == "not archlib's"
    index = (out / "index.html").read_text()
    assert "nested more than 32 levels deep" in index


# --- D5: SIGTERM and SIGKILL of `archlib report` mid-batch ------------------------------

def _tree(pid: int) -> list[psutil.Process]:
    try:
        return [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    alive = []
    for proc in procs:
        try:
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(proc)
        except psutil.NoSuchProcess:
            pass
    return alive


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_killing_report_mid_batch_leaves_no_process_and_no_half_file(
    signum: int, tmp_path: Path,
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    for folder in (inputs, out):
        folder.mkdir()
    # Its own TMPDIR, short: kernels' IPC socket paths must fit in 108 bytes.
    temp = Path(tempfile.mkdtemp(prefix="t", dir="/tmp"))
    paths = [_scenario(inputs, f"s{i}") for i in range(6)]
    env = {**os.environ, "TMPDIR": str(temp), "SOURCE_DATE_EPOCH": "1700000000"}
    stderr = tmp_path / "stderr.txt"
    with stderr.open("wb") as errors:
        main = subprocess.Popen([ARCHLIB, "report", *map(str, paths), "--out", str(out),
                                 "--quiet", "--workers", "2"], env=env,
                                stdout=subprocess.DEVNULL, stderr=errors)
    seen: dict[int, psutil.Process] = {}
    deadline = time.monotonic() + 300
    try:
        # Wait until kernels run (the batch is under way), remembering every process seen.
        while time.monotonic() < deadline and main.poll() is None:
            for proc in _tree(main.pid):
                seen.setdefault(proc.pid, proc)
            kernels = [p for p in seen.values() if p.pid != main.pid and _is_kernel(p)]
            if len(kernels) >= 2:
                break
            time.sleep(0.2)
        assert main.poll() is None, "the batch ended before it could be killed"
        for proc in _tree(main.pid):
            seen.setdefault(proc.pid, proc)
        main.send_signal(signum)
        main.wait(120)
        # Every process of the tree ends by itself (within a generous bound, polled).
        gone_by = time.monotonic() + 60
        while _alive(list(seen.values())) and time.monotonic() < gone_by:
            time.sleep(0.5)
        survivors = _alive(list(seen.values()))
    finally:
        for proc in _alive(list(seen.values())):
            proc.kill()
        if main.poll() is None:
            main.kill()
        leftovers = sorted(p.name for p in temp.iterdir())
        shutil.rmtree(temp)
    assert not survivors, [(_cmdline(p), p.pid) for p in survivors]
    assert len(seen) >= 4  # main, two workers, kernels (and the resource tracker)
    if signum == signal.SIGTERM:
        assert main.returncode == 128 + signal.SIGTERM
        assert "Traceback" not in stderr.read_text()
    # No temporary or half-written file in the output folder; every file there is whole.
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    for page in out.rglob("*.html"):
        assert page.read_text().rstrip().endswith("</html>")
    for notebook in out.rglob("*.ipynb"):
        json.loads(notebook.read_text())
    # Nothing left in the temporary folder: kernel folders, connection files, the batch's.
    assert leftovers == []


def _is_kernel(proc: psutil.Process) -> bool:
    """Launched by jupyter_client, or forked from a kernel parent (named so: its command
    line is its parent's)."""
    try:
        return ("ipykernel_launcher" in " ".join(proc.cmdline())
                or proc.name() == kernelpool.KERNEL_PROCESS_NAME)
    except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
        return False


def _cmdline(proc: psutil.Process) -> list[str]:
    try:
        return proc.cmdline()
    except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
        return []


# --- a batch that plans no job does not wait for the fork server's warm-up ----------------

@pytest.mark.timeout(120)
def test_a_batch_without_jobs_kills_a_fork_server_still_warming_up(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's preload never finishes importing: stopping it as a batch without jobs
    does must still return (waiting for the warm-up would hang until the timeout), and leave
    no server process behind."""
    from archlib._prestart import fork_server_pid, start_fork_server, stop_fork_server

    # the server is a fresh interpreter: it finds the preload through its environment
    preloads = str(ROOT / "tests" / "preloads")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [preloads, *filter(None, [os.environ.get("PYTHONPATH")])]))
    assert start_fork_server(["never_ready"])
    pid = fork_server_pid()
    assert pid is not None
    time.sleep(1)  # (not a timing assertion: the server is well into its endless import)
    assert psutil.Process(pid).is_running()
    stop_fork_server()
    assert fork_server_pid() is None
    assert not psutil.pid_exists(pid)


def test_a_fork_server_asked_for_another_preload_is_started_again() -> None:
    """One fork server per process (the standard library's): asked for another preload
    (local workers after a Dask cluster's, say), it is replaced, not reused with the wrong
    modules; asked again for the same one, it is kept."""
    from archlib._prestart import fork_server_pid, start_fork_server, stop_fork_server

    try:
        assert start_fork_server(["json"])
        first = fork_server_pid()
        assert start_fork_server(["json"])
        assert fork_server_pid() == first
        assert start_fork_server(["csv"])
        second = fork_server_pid()
        assert second is not None and second != first
        assert first is not None and not psutil.pid_exists(first)
    finally:
        stop_fork_server()
    assert fork_server_pid() is None
