"""Bundled folders and ``archlib init`` (the installed-wheel path is tests/test_wheel.py)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archlib import report
from archlib.cli import app
from archlib.workbook import RESOURCE_FOLDERS, init_workbook, resource_dir

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")) + sorted(
    p.name for p in (ROOT / "scenarios").glob("*.yaml"))


def test_a_checkout_reads_its_own_folders() -> None:
    assert resource_dir("notebooks") == ROOT / "notebooks"
    assert resource_dir("scenarios") == ROOT / "scenarios"
    assert resource_dir("templates") == ROOT / "templates"
    assert (report.NOTEBOOK_DIR, report.TEMPLATE_DIR) == (ROOT / "notebooks", ROOT / "templates")
    with pytest.raises(KeyError):
        resource_dir("archlib")


def test_setup_py_bundles_the_same_folders() -> None:
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    (assign,) = [n for n in tree.body if isinstance(n, ast.Assign)
                 and getattr(n.targets[0], "id", "") == "RESOURCE_FOLDERS"]
    assert ast.literal_eval(assign.value) == RESOURCE_FOLDERS


def test_init_copies_notebooks_and_scenarios(tmp_path: Path) -> None:
    copy = init_workbook(tmp_path / "wb")
    names = sorted(p.name for p in copy.written if p.suffix in (".ipynb", ".yaml"))
    assert names == sorted(BUNDLED)
    assert (tmp_path / "wb" / "notebooks" / "s3_endpoints.py").read_bytes() == (
        ROOT / "notebooks" / "s3_endpoints.py").read_bytes()
    assert copy.replaced == ()


def test_init_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "wb"
    (target / "scenarios").mkdir(parents=True)
    mine = target / "scenarios" / "hybrid-file-gateway.yaml"
    mine.write_text("mine", encoding="utf-8")
    refused = runner.invoke(app, ["init", str(target)])
    assert refused.exit_code == 2
    assert refused.output.startswith(f"archlib: init: {target}: would overwrite 1 file(s) (")
    assert refused.output.count("\n") == 1
    assert mine.read_text(encoding="utf-8") == "mine"  # nothing written
    assert not (target / "notebooks").exists()
    forced = runner.invoke(app, ["init", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "1 replaced" in forced.output
    assert mine.read_bytes() == (ROOT / "scenarios" / "hybrid-file-gateway.yaml").read_bytes()


def test_init_into_a_file_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["init", str(target)])
    assert (result.exit_code, result.output) == (
        2, f"archlib: init: {target}: exists and is not a folder\n")


def test_version_and_python_m() -> None:
    import archlib

    result = CliRunner().invoke(app, ["--version"])
    assert (result.exit_code, result.output) == (0, f"archlib {archlib.__version__}\n")
    module = subprocess.run([sys.executable, "-m", "archlib", "--version"], capture_output=True,
                            text=True, timeout=60, check=False)
    assert (module.returncode, module.stdout) == (0, result.output)
