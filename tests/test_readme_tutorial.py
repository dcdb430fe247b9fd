"""The README's "Adding a decision" tutorial, followed literally: its module is written into a
temporary package, then its "run" block is executed as written."""

from __future__ import annotations

import pickle
import re
import sys
from pathlib import Path

import pytest

import archlib
from archlib import decisions

README = Path(__file__).parents[1] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Adding a decision\n")
    return text[start:text.index("\n## ", start + 1)]


def _blocks(marker: str) -> list[tuple[str, str]]:
    pattern = rf"<!-- {marker}:? ?(\S*) -->\n```python\n(.*?)```"
    return re.findall(pattern, _section(), flags=re.S)


@pytest.fixture
def tutorial_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ((name, source),) = _blocks("tutorial-file")
    target = tmp_path / name
    target.parent.mkdir(parents=True)
    (target.parent / "__init__.py").write_text("", encoding="utf-8")
    target.write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    decisions._REGISTRY.pop("s3-path", None)
    for module in [m for m in sys.modules if m.split(".")[0] == "my_decisions"]:
        del sys.modules[module]


def test_the_tutorial_runs_as_written(tutorial_package: Path) -> None:
    ((_, run),) = _blocks("tutorial-run")
    exec(compile(run, "README tutorial", "exec"), {})
    ev = archlib.evaluate("s3-path")
    # interface: 2 AZ x 730 h x $0.01 + 1,000 GB x $0.01 = $14.60 + $10.00 = $24.60
    assert ev.option("interface").monthly_cost_usd == pytest.approx(24.60)
    # gateway: 100 x (0.8 x 1 + 0.2 x (2 - 1) / 4) = 85.0; interface: 100 x (0.8 x 10 /
    # (10 + 24.60) + 0.2 x 1) = 43.12 (CostScale M / (M + c), judgement (x - 1) / 4)
    assert ev.option("gateway").score == pytest.approx(85.0)
    assert ev.option("interface").score == pytest.approx(100 * (0.8 * 10 / 34.6 + 0.2))
    assert ev.decision.notebook == "s3_path.ipynb"
    assert pickle.loads(pickle.dumps(ev)).to_dict() == ev.to_dict()


def test_the_tutorial_decision_writes_a_decision_record(tutorial_package: Path) -> None:
    import my_decisions.s3_path  # noqa: F401 - registers the decision

    from archlib.adr import adr_markdown

    text = adr_markdown(archlib.evaluate("s3-path"))
    assert text.startswith("---\n") and "Gateway or interface endpoint for S3" in text
