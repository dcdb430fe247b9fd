"""The main process's part of a local batch (archlib/report/execution.py, issue 23): the
diagrams it draws ahead into the batch's cache, and the workers' warm-up imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from archlib import decisions, drawing, load_scenario, report
from archlib._engine import Evaluation, evaluate
from archlib.report.execution import DiagramPredraw

ROOT = Path(__file__).resolve().parent.parent
#: Two bundled scenarios of one decision: different volumes, some diagrams alike.
SCENARIOS = [ROOT / "scenarios" / "hybrid-file-gateway.yaml",
             ROOT / "scenarios" / "single-vpc-analytics.yaml"]


def _evaluations() -> list[Evaluation]:
    evs = []
    for path in SCENARIOS:
        scenario = load_scenario(path)
        for decision_id, params in scenario.decisions.items():
            evs.append(evaluate(decisions.get(decision_id), params, prices=scenario.prices,
                                where=str(path)))
    return evs


def _entries(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("*.svg")}


def test_predrawn_diagrams_are_the_ones_the_kernels_look_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawn ahead alone, the diagrams leave a set of cache entries; a batch whose kernels
    draw into a cache of their own (the batch predraws there too) leaves the same set: had a
    kernel asked for another key than the main process drew, it would have added its own."""
    ahead, batch = tmp_path / "ahead", tmp_path / "batch"
    monkeypatch.setenv(drawing.DIAGRAM_CACHE_ENV, str(ahead))
    evs = _evaluations()
    with DiagramPredraw(evs, str(tmp_path)) as predraw:
        assert predraw.wait(600)
    options = sum(len(ev.decision.options) for ev in evs)
    assert 1 <= len(_entries(ahead)) <= options + len(evs)  # one per diagram (or two)
    monkeypatch.setenv(drawing.DIAGRAM_CACHE_ENV, str(batch))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    outcome = report.build_reports(SCENARIOS, tmp_path / "out", workers=1)
    assert outcome.ok
    assert _entries(batch) == _entries(ahead)


def test_predraw_sets_the_cache_folder_only_while_it_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset, the cache variable names the batch's folder (the one the workers would pick)
    inside the block and is unset again after it."""
    monkeypatch.delenv(drawing.DIAGRAM_CACHE_ENV, raising=False)
    with DiagramPredraw([], str(tmp_path)) as predraw:
        assert os.environ[drawing.DIAGRAM_CACHE_ENV] == str(tmp_path / "diagrams")
        assert predraw.wait(60)
    assert drawing.DIAGRAM_CACHE_ENV not in os.environ


def test_predraw_draws_nothing_when_the_cache_is_off(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(drawing.DIAGRAM_CACHE_ENV, "")  # empty: every diagram drawn by its kernel
    with DiagramPredraw(_evaluations(), str(tmp_path)) as predraw:
        assert predraw.wait(60)
    assert os.environ[drawing.DIAGRAM_CACHE_ENV] == ""
    assert list(tmp_path.iterdir()) == []


def test_the_workers_import_papermill_without_pyarrow_and_can_import_it_after() -> None:
    """papermill imports pyarrow only for hdfs:// paths: blocked for that import (in a fresh
    interpreter, as a fork server is), lifted afterwards so a notebook may still use it."""
    code = ("import sys\n"
            "from archlib.report import rendering\n"
            "rendering.export_machinery()\n"
            "print('pyarrow' in sys.modules)\n"
            "import pyarrow.fs\n"
            "print(sys.modules['pyarrow'] is not None)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "True"]
