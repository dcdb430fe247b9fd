"""The wheel works for a pip user: built from the package's files alone, installed into a fresh
virtual environment outside the repository, used from an empty folder. Slow (about a minute:
pip installs the dependencies, from its cache where it can); CI runs it with the rest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

import archlib
from archlib.workbook import RESOURCE_FOLDERS

ROOT = Path(__file__).resolve().parents[1]
#: What a build reads (pyproject.toml, setup.py and MANIFEST.in name the rest).
SOURCES = ("archlib", "notebooks", "templates", "scenarios", "pyproject.toml", "setup.py",
           "MANIFEST.in", "README.md", "LICENSE")

pytestmark = pytest.mark.wheel


def _run(args: list[str], cwd: Path, env: dict[str, str],
         timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(the wheel, the fresh venv's bin folder, the environment to run it with)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        else:
            shutil.copy2(path, source / name)
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PIP_REQUIRE_VIRTUALENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                  str(base / "dist"), str(source)], base, env)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (base / "dist").glob("archlib-*.whl")

    venv.create(base / "venv", with_pip=True)
    bin_dir = base / "venv" / "bin"
    done = _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], base, env,
                timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return wheel, bin_dir, env


def test_the_wheel_carries_the_notebooks_template_scenarios_and_licence(
        installed: tuple[Path, Path, dict[str, str]]) -> None:
    wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"archlib/_resources/{folder}/{p.name}"
                for folder, patterns in RESOURCE_FOLDERS.items()
                for pattern in patterns for p in (ROOT / folder).glob(pattern)}
    assert {n for n in names if n.startswith("archlib/_resources/")} == expected
    assert "archlib/_resources/templates/archlib/index.html.j2" in expected
    assert "archlib/_resources/notebooks/s3_endpoints.ipynb" in expected
    assert {"archlib/__main__.py", "archlib/data/report.css",
            "archlib/data/prices/us-east-1.yaml"} <= names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = next(zipfile.ZipFile(wheel).read(n).decode() for n in names
                    if n.endswith(".dist-info/METADATA"))
    for line in ("License-Expression: Apache-2.0", "Requires-Python: >=3.11",
                 "Classifier: Programming Language :: Python :: 3.11",
                 "Classifier: Programming Language :: Python :: 3.13"):
        assert line in metadata.splitlines()


def test_a_pip_user_runs_every_command_from_an_empty_folder(
        installed: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    _, bin_dir, env = installed
    work = tmp_path / "empty"
    work.mkdir()
    archlib_cmd = str(bin_dir / "archlib")

    version = _run([archlib_cmd, "--version"], work, env)
    assert (version.returncode, version.stdout) == (0, f"archlib {archlib.__version__}\n")

    listed = _run([str(bin_dir / "python"), "-m", "archlib", "list"], work, env)
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == [
        d.id for d in archlib.decisions.all_decisions()]

    where = _run([str(bin_dir / "python"), "-c", "from archlib.workbook import resource_dir; "
                  "print(resource_dir('notebooks'))"], work, env)
    assert Path(where.stdout.strip()).is_relative_to(bin_dir.parent), where.stdout

    made = _run([archlib_cmd, "init", "workbook"], work, env)
    assert made.returncode == 0, made.stderr
    notebooks = sorted(p.name for p in (work / "workbook" / "notebooks").iterdir())
    assert notebooks == sorted(p.name for p in (ROOT / "notebooks").iterdir()
                               if p.suffix in (".ipynb", ".py"))
    assert (work / "workbook" / "scenarios" / "hybrid-file-gateway.yaml").read_bytes() == (
        ROOT / "scenarios" / "hybrid-file-gateway.yaml").read_bytes()
    again = _run([archlib_cmd, "init", "workbook"], work, env)
    assert again.returncode == 2 and "Traceback" not in again.stderr
    # every bundled scenario and notebook file (the count grows with every decision)
    bundled = len(notebooks) + len([p for p in (ROOT / "scenarios").iterdir()
                                    if p.suffix in (".yaml", ".csv")])
    assert again.stderr.startswith(
        f"archlib: init: workbook: would overwrite {bundled} file(s)")
    assert again.stderr.count("\n") == 1

    report = _run([archlib_cmd, "report", "workbook/scenarios/hybrid-file-gateway.yaml",
                   "--out", "out", "--workers", "1", "--quiet"], work, env)
    assert report.returncode == 0, report.stdout + report.stderr
    assert "1 report(s) written, 0 failed" in report.stdout
    page = (work / "out" / "hybrid-file-gateway" / "s3-endpoints.html").read_text("utf-8")
    # the scenario's answer (README: on-premises callers -> gateway plus interface), drawn
    assert "Recommended: Gateway plus interface endpoint <small" in page
    assert page.count("<svg") >= 6 and "assets/plotly.min.js" in page
    assert f"<dd>{archlib.__version__}</dd>" in page or archlib.__version__ in page
    index = (work / "out" / "index.html").read_text("utf-8")
    assert 'class="ok"' in index and "failed:" not in index
    assert str(ROOT) not in page and str(bin_dir.parent) not in page  # no absolute paths

    # The copied notebook runs on the installed kernel from the workbook (`jupyter lab` there
    # uses the same kernel spec).
    executed = _run([str(bin_dir / "python"), "-m", "papermill", "--no-progress-bar",
                     "s3_endpoints.ipynb", str(tmp_path / "run.ipynb"), "-p", "on_prem_access",
                     "True"], work / "workbook" / "notebooks", env)
    assert executed.returncode == 0, executed.stderr[-3000:]
    assert "Recommended: Gateway plus interface endpoint <small" in (
        tmp_path / "run.ipynb").read_text("utf-8")
