"""The Dask executor against a real LocalCluster this module starts (2 worker processes, one
thread each), used as an existing scheduler (``--scheduler ADDRESS``): results identical to
the local executors, a worker killed mid-batch retried on another, a job whose worker is lost
on every try reported as failed while the rest finish."""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import distributed  # the dev extra installs it: these run in CI
import pandas as pd
import pytest

from archlib import fleet
from archlib._executors import DaskExecutor, Failure, InProcess, LocalProcesses, make_executor
from archlib._inventory import generate_inventory


def kill_worker_once(marker: str, value: int) -> int:
    """A job that kills its own worker process the first time it runs (the marker file
    says it already did), then returns ``value``."""
    if not os.path.exists(marker):
        Path(marker).write_text("killed")
        os.kill(os.getpid(), signal.SIGKILL)
    return value


def kill_worker_always(value: int) -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return value


def square(value: int) -> int:
    return value * value


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    import cloudpickle
    import dask

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests
    with dask.config.set({"distributed.scheduler.allowed-failures": 2}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=50)
        try:
            yield cluster.scheduler_address
        finally:
            cluster.close()


def test_fleet_partitions_on_dask_equal_the_local_executors(
        scheduler: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    inventory = generate_inventory(rows=30, seed=8)
    monkeypatch.setattr(fleet, "PARTITION_ROWS", 7)  # 5 partitions over 2 workers
    here = fleet.evaluate_frame(inventory, executor=InProcess())
    local = fleet.evaluate_frame(inventory, executor=LocalProcesses(2))
    with DaskExecutor(scheduler) as runner:
        on_dask = fleet.evaluate_frame(inventory, executor=runner)
    pd.testing.assert_frame_equal(here, on_dask)
    pd.testing.assert_frame_equal(local, on_dask)
    assert here.to_csv().encode() == on_dask.to_csv().encode()


def test_a_worker_killed_mid_batch_is_retried_on_another(scheduler: str,
                                                         tmp_path: Path) -> None:
    marker = str(tmp_path / "killed-once")
    jobs = [(marker, n) if n == 3 else (str(tmp_path / "never"), n) for n in range(8)]
    # job 3 kills its worker the first time; the marker of the others is never written
    for n in range(8):
        if n != 3:
            Path(jobs[n][0]).write_text("not a killer")
    with DaskExecutor(scheduler) as runner:
        got = dict(runner.run(kill_worker_once, jobs))
    assert Path(marker).read_text() == "killed"  # the worker really died once
    assert got == {n: n for n in range(8)}


def test_a_job_whose_worker_always_dies_fails_alone(scheduler: str) -> None:
    with DaskExecutor(scheduler, retries=2) as runner:
        got = dict(runner.run(square, [(n,) for n in range(4)]))
        lost = dict(runner.run(kill_worker_always, [(7,)]))
        after = dict(runner.run(square, [(5,)]))  # the cluster recovered its workers
    assert got == {0: 0, 1: 1, 2: 4, 3: 9}
    assert isinstance(lost[0], Failure)
    assert "its Dask worker was lost on every try" in lost[0].reason
    assert after == {0: 25}


def test_a_lost_local_worker_is_retried_then_fails(tmp_path: Path) -> None:
    marker = str(tmp_path / "killed-once")
    retried = dict(LocalProcesses(1, retries=1).run(kill_worker_once, [(marker, 4), (marker, 5)]))
    assert retried == {0: 4, 1: 5}
    failed = dict(LocalProcesses(1).run(kill_worker_always, [(1,)]))
    assert isinstance(failed[0], Failure)
    assert failed[0].reason == "worker process died (killed by SIGKILL)"


def test_scheduler_that_cannot_be_reached_is_an_input_error() -> None:
    from archlib import InputError

    executor = DaskExecutor("tcp://127.0.0.1:9", connect_timeout_s=2)
    with pytest.raises(InputError, match=re.escape("--scheduler: tcp://127.0.0.1:9: cannot")):
        executor.__enter__()
    assert executor.client is None


def test_make_executor_names() -> None:
    from archlib import InputError

    with make_executor("local", workers=2) as local:
        assert isinstance(local, LocalProcesses) and local.workers == 2
    assert isinstance(make_executor("dask", scheduler="tcp://x:1"), DaskExecutor)
    with pytest.raises(InputError, match="--executor: must be one of local, dask"):
        make_executor("cloud")

