"""The ``archlib`` command's entry point (archlib/_launch.py, archlib/_prestart.py): batch
reports on local workers start their fork server before the command imports archlib and
the CLI (issue 23); nothing else does, and nothing is left running."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archlib._prestart import report_executor

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("argv", "expected"), [
    (["report"], "local"),
    (["report", "a.yaml", "--out", "x"], "local"),
    (["report", "a.yaml", "--executor", "local"], "local"),
    (["report", "a.yaml", "--executor=local"], "local"),
    (["report", "a.yaml", "--executor", "dask"], "dask"),  # a LocalCluster's workers
    (["report", "a.yaml", "--executor=dask"], "dask"),
    (["report", "a.yaml", "--executor", "dask", "--scheduler", "tcp://h:8786"], None),
    (["report", "a.yaml", "--scheduler=tcp://h:8786", "--executor=dask"], None),
    (["report", "a.yaml", "--executor", "spark"], None),  # the CLI says it is unknown
    (["report", "a.yaml", "--executor"], None),  # the CLI says what is missing
    (["report", "--help"], None),
    (["report", "a.yaml", "-h"], None),
    ([], None),
    (["evaluate", "s3-endpoints"], None),
    (["fleet", "inventory.csv"], None),
    (["adr", "report"], None),
])
def test_which_commands_start_the_workers_first(argv: list[str], expected: str | None) -> None:
    assert report_executor(argv) == expected


#: Runs the entry point as the ``archlib`` script does, recording what was imported when the
#: fork server was started, and what runs once the command has ended.
_ENTRY = """
import json, sys
import archlib._launch as launch
import archlib._prestart as prestart
from multiprocessing import forkserver

seen = []
def prestart_workers(executor):
    seen.append(sorted(m for m in ("archlib.cli", "archlib.decisions", "archlib.report",
                                   "pydantic") if m in sys.modules))
    started = prestart.prestart_workers(executor)
    seen.append(forkserver._forkserver._forkserver_pid is not None)
    return started
launch.prestart_workers = prestart_workers
sys.argv = ["archlib", *sys.argv[1:]]
code = launch.run()
print(json.dumps({"seen": seen, "code": code,
                  "server_left": forkserver._forkserver._forkserver_pid is not None}))
"""


def _entry(*argv: str, cwd: Path) -> dict[str, object]:
    import json

    done = subprocess.run([sys.executable, "-c", _ENTRY, *argv], capture_output=True,
                          text=True, timeout=300, check=False, cwd=cwd)
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_local_batch_starts_its_fork_server_before_importing_archlib(
        tmp_path: Path) -> None:
    """A batch whose only input is missing: the server was started with none of archlib's
    heavy modules (nor pydantic) imported yet, the command failed its row (exit 1), and
    no server is left."""
    result = _entry("report", str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "out"),
                    cwd=tmp_path)
    assert result["seen"] == [[], True], result
    assert result["code"] == 1
    assert result["server_left"] is False


def test_other_commands_start_no_fork_server(tmp_path: Path) -> None:
    result = _entry("list", cwd=tmp_path)
    assert result["seen"] == []
    assert result["code"] in (0, None)
    assert result["server_left"] is False


#: Ends through _exit_now after leaving work for the interpreter's own exit steps: buffered
#: output, an atexit function, a thread that is not a daemon, still writing.
_EXIT = """
import atexit, sys, threading, time
from archlib import _launch
sys.stdout.write("x" * 200_000)  # buffered: a pipe
atexit.register(lambda: print("|atexit ran"))
def late():
    time.sleep(0.3)
    with open(sys.argv[2], "w") as f:
        f.write("written")
threading.Thread(target=late).start()
status = sys.argv[1]
_launch._exit_now(int(status) if status.isdigit() else status)
"""


@pytest.mark.parametrize(("status", "code"), [("0", 0), ("1", 1), ("2", 2),
                                              ("a message", 1)])
def test_the_command_ends_as_the_interpreter_would(status: str, code: int,
                                                   tmp_path: Path) -> None:
    """The entry point skips only the interpreter's teardown of every module: the exit
    status, all output, atexit functions and threads still running are as after a normal
    exit (``sys.exit(status)``)."""
    late = tmp_path / "late.txt"
    done = subprocess.run([sys.executable, "-c", _EXIT, status, str(late)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == code, done.stderr
    assert done.stdout == "x" * 200_000 + "|atexit ran\n"
    assert late.read_text() == "written"
    assert done.stderr == ("a message\n" if status == "a message" else "")


def test_importing_archlib_imports_nothing_heavy_until_used() -> None:
    """``import archlib`` loads none of its decisions (their names come on first use), and
    the public names are there when asked for."""
    code = ("import sys, archlib\n"
            "print('archlib.decisions' in sys.modules, 'pydantic' in sys.modules)\n"
            "print(archlib.evaluate('s3-endpoints', {'vpc_count': 1}).recommended)\n"
            "print(archlib.evaluate.__module__, set(archlib.__all__) <= set(dir(archlib)))\n"
            "from archlib import Scenario, load_scenario\n"
            "print(Scenario is archlib.Scenario, load_scenario.__name__)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "False", "gateway", "archlib", "True", "True",
                                   "load_scenario"]
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        import archlib

        archlib.nonexistent  # noqa: B018
