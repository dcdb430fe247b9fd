"""What every benchmark shares: the run context (paths, tools, a hermetic environment, the
bundled scenarios) and the result types the entry point turns into RESULTS.md."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from archlib import Scenario, load_scenario

from ._timing import BenchmarkError

__all__ = ["FAILED", "MET", "NOT_MET", "NO_TARGET", "UNAVAILABLE", "Context", "Pair", "Row",
           "Section"]

ROOT = Path(__file__).resolve().parents[1]

MET = "met"
NOT_MET = "**not met**"
NO_TARGET = "no target"
UNAVAILABLE = "not available yet"
FAILED = "failed"


@dataclass(frozen=True)
class Row:
    """One line of the results table: a measured figure next to its same-run baseline."""

    figure: str
    measured: str
    baseline: str = "-"
    ratio: str = "-"
    target: str = "-"
    status: str = NO_TARGET


@dataclass
class Section:
    number: int
    title: str
    rows: list[Row] = field(default_factory=list)
    #: Markdown paragraphs or bullet lines: how it was measured, what a figure means.
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Pair:
    """One report: a scenario file and one decision it names."""

    path: Path
    scenario: Scenario
    decision_id: str

    @property
    def label(self) -> str:
        return f"{self.path.name} x {self.decision_id}"


@dataclass
class Context:
    quick: bool
    runs: int
    tmp: Path
    root: Path = ROOT
    log: Callable[[str], None] = lambda message: print(message, file=sys.stderr, flush=True)
    #: Results one benchmark leaves for another (e.g. the report folder of the batch run).
    shared: dict[str, Any] = field(default_factory=dict)

    # -- tools and environment --

    @property
    def python(self) -> Path:
        return Path(sys.executable)  # not resolved: a venv's python is a symlink

    @property
    def bin_dir(self) -> Path:
        return self.python.parent

    def tool(self, name: str) -> Path:
        """A console script of this environment (``archlib``, ``papermill``, ``jupyter``)."""
        local = self.bin_dir / name
        if local.exists():
            return local
        found = shutil.which(name)
        if found is None:
            raise BenchmarkError(f"{name} is not installed next to {self.python} nor on PATH")
        return Path(found)

    @cached_property
    def env(self) -> dict[str, str]:
        """The environment of every child process: this venv's tools first on PATH, and
        Jupyter's and IPython's directories in the run's temporary folder (nothing is written
        under $HOME)."""
        env = dict(os.environ)
        home = self.tmp / "jupyter-home"
        for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                          ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
            path = home / sub
            path.mkdir(parents=True, exist_ok=True)
            env[name] = str(path)
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        env["PATH"] = os.pathsep.join([str(self.bin_dir), env.get("PATH", "")])
        env["COLUMNS"] = "200"  # rich help text unwrapped, so option names are found whole
        env.pop("SOURCE_DATE_EPOCH", None)
        return env

    def apply_env(self) -> None:
        """Use the same hermetic Jupyter directories in this process (in-process widgets)."""
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                     "IPYTHONDIR", "JUPYTER_PLATFORM_DIRS"):
            os.environ[name] = self.env[name]

    def fresh_dir(self, prefix: str) -> Path:
        """A new empty folder under the run's temporary folder."""
        count = self.shared.setdefault("_dirs", {})
        count[prefix] = count.get(prefix, 0) + 1
        path = self.tmp / f"{prefix}-{count[prefix]}"
        path.mkdir(parents=True)
        return path

    @cached_property
    def report_help(self) -> str:
        """``archlib report --help``: which options this archlib's report command has."""
        done = subprocess.run([str(self.tool("archlib")), "report", "--help"], env=self.env,
                              cwd=self.root, capture_output=True, text=True, check=False)
        return done.stdout + done.stderr

    def report_supports(self, option: str) -> bool:
        return option in self.report_help

    # -- inputs --

    @cached_property
    def scenario_paths(self) -> list[Path]:
        paths = sorted((self.root / "scenarios").glob("*.yaml"))
        if not paths:
            raise BenchmarkError(f"no scenario files in {self.root / 'scenarios'}")
        return paths

    @cached_property
    def pairs(self) -> list[Pair]:
        """Every scenario x decision report of the bundled scenarios, in report order."""
        return [Pair(path, scenario, decision_id)
                for path in self.scenario_paths
                for scenario in [load_scenario(path)]
                for decision_id in scenario.decisions]

    @cached_property
    def one_pair_scenario(self) -> Path:
        """A scenario file holding only the first bundled report (the first scenario's first
        decision), named like its source so reports land in the same place."""
        first = self.pairs[0]
        data = {
            "name": first.scenario.name,
            "description": first.scenario.description,
            "decisions": {first.decision_id: _plain(first.scenario.decisions[first.decision_id])},
        }
        if first.scenario.prices:
            data["prices"] = dict(first.scenario.prices)
        folder = self.tmp / "one-pair"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / first.path.name
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    def batch_inputs(self) -> tuple[list[Path], list[Pair]]:
        """The scenario files a batch run covers and its reports: all bundled ones, or in
        quick mode just the first report."""
        if self.quick:
            return [self.one_pair_scenario], self.pairs[:1]
        return list(self.scenario_paths), list(self.pairs)


def _plain(value: Any) -> Any:
    """Mappings and sequences as plain dicts and lists (for YAML dumping)."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
