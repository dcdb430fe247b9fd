"""The README's "Adding a decision" tutorial, followed literally: its files (the module and the
scenario) are written into a temporary folder, then its Python steps are executed as written
and its shell step is run with bash, in that folder."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

import archlib
from archlib import decisions

README = Path(__file__).parents[1] / "README.md"
#: The folder of the archlib command that runs these tests.
BIN = Path(sys.executable).parent


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Adding a decision\n")
    return text[start:text.index("\n## ", start + 1)]


def _blocks(marker: str) -> list[tuple[str, str]]:
    pattern = rf"<!-- {marker}:? ?(\S*) -->\n```(?:python|yaml|sh)\n(.*?)```"
    return re.findall(pattern, _section(), flags=re.S)


def _run(marker: str) -> None:
    ((_, source),) = _blocks(marker)
    exec(compile(source, f"README {marker}", "exec"), {})


@pytest.fixture
def tutorial_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name, source in _blocks("tutorial-file"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix == ".py":
            (target.parent / "__init__.py").write_text("", encoding="utf-8")
        target.write_text(source, encoding="utf-8")
    # step 2: in the folder, on the path of this process and of the kernels it starts
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    yield tmp_path
    decisions._REGISTRY.pop("s3-path", None)
    for module in [m for m in sys.modules if m.split(".")[0] == "my_decisions"]:
        del sys.modules[module]


def test_the_tutorial_writes_a_module_and_a_scenario() -> None:
    assert [name for name, _ in _blocks("tutorial-file")] == ["my_decisions/s3_path.py",
                                                              "s3-path.yaml"]


def test_the_tutorial_runs_as_written(tutorial_folder: Path) -> None:
    _run("tutorial-run")
    ev = archlib.evaluate("s3-path")
    # interface: 2 AZ x 730 h x $0.01 + 1,000 GB x $0.01 = $14.60 + $10.00 = $24.60
    assert ev.option("interface").monthly_cost_usd == pytest.approx(24.60)
    # gateway: 100 x (0.8 x 1 + 0.2 x (2 - 1) / 4) = 85.0; interface: 100 x (0.8 x 10 /
    # (10 + 24.60) + 0.2 x 1) = 43.12 (CostScale M / (M + c), judgement (x - 1) / 4)
    assert ev.option("gateway").score == pytest.approx(85.0)
    assert ev.option("interface").score == pytest.approx(100 * (0.8 * 10 / 34.6 + 0.2))
    assert ev.decision.notebook == "s3_path.ipynb"
    assert pickle.loads(pickle.dumps(ev)).to_dict() == ev.to_dict()


def test_the_tutorial_decision_writes_a_decision_record(tutorial_folder: Path) -> None:
    import my_decisions.s3_path  # noqa: F401 - registers the decision

    from archlib.adr import adr_markdown

    text = adr_markdown(archlib.evaluate("s3-path"))
    assert text.startswith("---\n") and "Gateway or interface endpoint for S3" in text


def test_the_tutorial_generates_the_notebook_and_reports_from_the_command_line(
        tutorial_folder: Path) -> None:
    _run("tutorial-notebook")
    notebook = tutorial_folder / "my_notebooks" / "s3_path.ipynb"
    assert (tutorial_folder / "my_notebooks" / "s3_path.py").is_file()
    code = [c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    assert "from my_decisions.s3_path import DECISION" in code[1].source  # the kernel's import
    assert not [o for c in code for o in c.outputs if o["output_type"] == "error"]
    recommendation = next(c for c in code if c.source == "nb.recommendation(ev)")
    # the defaults: nothing on-premises, so the free gateway endpoint
    assert "Recommended: Gateway endpoint <small" in recommendation.outputs[0].data["text/html"]

    ((_, shell),) = _blocks("tutorial-shell")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the block sets it
    env["PATH"] = f"{BIN}{os.pathsep}{env['PATH']}"
    done = subprocess.run(["bash", "-e", "-c", shell], cwd=tutorial_folder, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "s3-path\tGateway or interface endpoint for S3\tgateway, interface\n" in done.stdout
    page = (tutorial_folder / "my_reports" / "s3-path" / "s3-path.html").read_text("utf-8")
    # on-premises callers rule the gateway out; the interface endpoint at 500 GB/month:
    # 2 AZ x 730 h x $0.01 + 500 GB x $0.01 = $14.60 + $5.00 = $19.60
    assert "Recommended: Interface endpoint <small" in page and "$19.60" in page
    assert 'href="s3-path/s3-path.html"' in (tutorial_folder / "my_reports" /
                                             "index.html").read_text("utf-8")


def test_an_unknown_module_is_one_line_naming_the_variable(tutorial_folder: Path) -> None:
    """The README quotes this message (a typo in the module name)."""
    env = {**os.environ, "ARCHLIB_DECISIONS": "my_decisons.s3_path"}
    done = subprocess.run([str(BIN / "archlib"), "list"], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 2 and done.stdout == ""
    line = ("archlib: ARCHLIB_DECISIONS: no decision module 'my_decisons.s3_path' (install it, "
            "or put the folder holding it on PYTHONPATH)")
    assert done.stderr == line + "\n"
    assert " ".join(line.split()) in " ".join(_section().split())
