"""Where the figures were measured: machine, cores, memory, versions, date."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

__all__ = ["PACKAGES", "load_average", "machine_facts"]

PACKAGES = ("archlib", "pydantic", "plotly", "diagrams", "ipywidgets", "ipykernel",
            "papermill", "nbclient", "nbconvert", "nbformat", "numpy")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / (1024 * 1024):.1f} GiB"
    except (OSError, ValueError):
        pass
    return "unknown"


def _output(argv: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False,
                              timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout or done.stderr).strip() if done.returncode == 0 else ""


def _commit(root: Path) -> str:
    commit = _output(["git", "rev-parse", "--short", "HEAD"], root)
    if not commit:
        return "unknown"
    dirty = _output(["git", "status", "--porcelain", "--untracked-files=no"], root)
    return commit + (" (with uncommitted changes)" if dirty else "")


def load_average() -> str:
    """The 1-minute load average (other work on the machine slows every figure)."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def machine_facts(root: Path, load_at_start: str = "") -> list[tuple[str, str]]:
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    dot = shutil.which("dot")
    graphviz = _output([dot, "-V"], root) if dot else ""
    return [
        ("date", dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("machine", f"{platform.system()} {platform.release()} {platform.machine()}"),
        ("CPU", _cpu_model()),
        ("cores", f"{os.cpu_count()} (usable: {len(os.sched_getaffinity(0))})"
         if hasattr(os, "sched_getaffinity") else str(os.cpu_count())),
        ("memory", _memory()),
        ("load average (1 min)", f"{load_at_start or '?'} at start, {load_average()} at end "
         f"(on {os.cpu_count()} cores; above that, other work competed with the benchmarks)"),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("packages", ", ".join(versions)),
        ("Graphviz", graphviz.replace("dot - ", "") or "not found"),
        ("commit", _commit(root)),
    ]
