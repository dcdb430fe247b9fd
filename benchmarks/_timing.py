"""Shared timing helpers: repeated runs summarised as median, min, max (and p95), and the
formatting every benchmark uses, so figures read the same across the results table."""

from __future__ import annotations

import math
import os
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "BenchmarkError",
    "Timing",
    "children_cpu_s",
    "fmt_bytes",
    "fmt_ms",
    "fmt_ratio",
    "fmt_s",
    "measure",
    "run_process",
    "time_process",
]


class BenchmarkError(RuntimeError):
    """A benchmark could not measure what it should (a command failed, output is missing)."""


@dataclass(frozen=True)
class Timing:
    """Wall-clock samples of one measured thing, in seconds, in the order they were taken."""

    samples: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.samples:
            raise ValueError("a Timing needs at least one sample")

    @property
    def runs(self) -> int:
        return len(self.samples)

    @property
    def median(self) -> float:
        ordered = sorted(self.samples)
        mid = len(ordered) // 2
        if len(ordered) % 2:
            return ordered[mid]
        return (ordered[mid - 1] + ordered[mid]) / 2

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)

    @property
    def p95(self) -> float:
        """Nearest-rank 95th percentile: the smallest sample with at least 95% of the samples
        at or below it (with fewer than 20 samples that is the maximum)."""
        ordered = sorted(self.samples)
        rank = math.ceil(0.95 * len(ordered))
        return ordered[rank - 1]

    def scaled(self, factor: float) -> Timing:
        """The same samples multiplied by ``factor`` (e.g. batch seconds -> per report)."""
        return Timing(tuple(s * factor for s in self.samples))

    def seconds(self) -> str:
        """``median s (min-max, n runs)``."""
        return (f"{fmt_s(self.median)} ({fmt_s(self.min, unit=False)}-"
                f"{fmt_s(self.max, unit=False)}, n={self.runs})")

    def millis(self, p95: bool = False) -> str:
        """``median ms (min-max, n runs)``, optionally with the p95."""
        text = fmt_ms(self.median)
        if p95:
            text += f", p95 {fmt_ms(self.p95)}"
        return (f"{text} ({fmt_ms(self.min, unit=False)}-{fmt_ms(self.max, unit=False)}, "
                f"n={self.runs})")


def measure(fn: Callable[[], Any], runs: int, *, warmup: int = 0) -> Timing:
    """Call ``fn`` ``warmup`` times untimed, then ``runs`` times timed (perf_counter)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return Timing(tuple(samples))


def run_process(
    argv: Sequence[str | os.PathLike[str]],
    *,
    env: Mapping[str, str],
    cwd: Path,
    timeout_s: float = 900.0,
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run one command to completion; (wall seconds, completed process). A non-zero exit is a
    :class:`BenchmarkError` carrying the tail of its stderr."""
    command = [str(a) for a in argv]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, env=dict(env), cwd=cwd, capture_output=True, text=True,
                              timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        raise BenchmarkError(f"{' '.join(command)} timed out after {timeout_s:g} s") from None
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise BenchmarkError(f"{' '.join(command)} exited {done.returncode}: {tail}")
    return elapsed, done


def children_cpu_s() -> float:
    """User + system CPU seconds of every child process waited for so far (and of their
    waited-for descendants): the difference around :func:`run_process` is that command's."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_process(
    argv: Sequence[str | os.PathLike[str]], runs: int, *, env: Mapping[str, str], cwd: Path,
    warmup: int = 0,
) -> Timing:
    """Wall time of a whole process, ``runs`` times (after ``warmup`` untimed runs)."""
    for _ in range(warmup):
        run_process(argv, env=env, cwd=cwd)
    return Timing(tuple(run_process(argv, env=env, cwd=cwd)[0] for _ in range(runs)))


# --- formatting ------------------------------------------------------------------------------


def fmt_s(seconds: float, *, unit: bool = True) -> str:
    text = f"{seconds:.2f}" if seconds < 100 else f"{seconds:.0f}"
    return f"{text} s" if unit else text


def fmt_ms(seconds: float, *, unit: bool = True) -> str:
    ms = seconds * 1000.0
    text = f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"
    return f"{text} ms" if unit else text


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x"


def fmt_bytes(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB ({size:,} B)"
    return f"{size / (1024 * 1024):.2f} MB ({size:,} B)"
