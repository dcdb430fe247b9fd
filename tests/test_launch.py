"""The ``archlib`` command's entry point (archlib/_launch.py, archlib/_prestart.py): batch
reports on local workers start their fork server before the command imports archlib and
the CLI (issue 23); nothing else does, and nothing is left running."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archlib._prestart import is_local_report

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("argv", "expected"), [
    (["report"], True),
    (["report", "a.yaml", "--out", "x"], True),
    (["report", "a.yaml", "--executor", "local"], True),
    (["report", "a.yaml", "--executor=local"], True),
    (["report", "a.yaml", "--executor", "dask"], False),
    (["report", "a.yaml", "--executor=dask"], False),
    (["report", "a.yaml", "--executor"], False),  # the CLI says what is missing
    (["report", "--help"], False),
    (["report", "a.yaml", "-h"], False),
    ([], False),
    (["evaluate", "s3-endpoints"], False),
    (["fleet", "inventory.csv"], False),
    (["adr", "report"], False),
])
def test_which_commands_start_the_workers_first(argv: list[str], expected: bool) -> None:
    assert is_local_report(argv) is expected


#: Runs the entry point as the ``archlib`` script does, recording what was imported when the
#: fork server was started, and what runs once the command has ended.
_ENTRY = """
import json, sys
import archlib._launch as launch
import archlib._prestart as prestart
from multiprocessing import forkserver

seen = []
def prestart_workers():
    seen.append(sorted(m for m in ("archlib.cli", "archlib.decisions", "archlib.report",
                                   "pydantic") if m in sys.modules))
    started = prestart.prestart_workers()
    seen.append(forkserver._forkserver._forkserver_pid is not None)
    return started
launch.prestart_workers = prestart_workers
sys.argv = ["archlib", *sys.argv[1:]]
try:
    launch.main()
except SystemExit as done:
    code = done.code
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
