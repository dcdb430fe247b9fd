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
from report_batch import s3_notebooks_with

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
    # As DaskExecutor configures its own LocalCluster: one task per one-thread worker.
    with dask.config.set({"distributed.scheduler.allowed-failures": 2,
                          "distributed.scheduler.worker-saturation": 1.0}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address="127.0.0.1:0", silence_logs=50)
        try:
            yield cluster.scheduler_address
        finally:
            cluster.close()


def test_fleet_partitions_on_dask_equal_the_local_executors(
        scheduler: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    inventory = generate_inventory(rows=30, seed=8)
    monkeypatch.setattr(fleet, "PARTITION_ROWS", 7)  # 7 partitions over 2 workers
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



# --- reports as Dask tasks ----------------------------------------------------------------------

S3 = "s3-endpoints"
#: Kills the kernel's parent, the worker process, when it runs for the "killer" scenario:
#: once when its description is a marker file's path (written as it kills), every time when
#: the description is "always".
KILL_ONCE_CELL = """\
import os, signal
if scenario_name == "killer" and (scenario_description == "always"
                                  or not os.path.exists(scenario_description)):
    if scenario_description != "always":
        open(scenario_description, "w").close()
    os.kill(os.getppid(), signal.SIGKILL)
"""


def _files_of(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def _scenarios(folder: Path, marker: Path | str) -> list[Path]:
    folder.mkdir()
    paths = []
    for name in ("first", "killer", "after"):
        path = folder / f"{name}.yaml"
        description = str(marker) if name == "killer" else "calm"
        path.write_text(f"name: {name}\ndescription: {description}\n"
                        f"decisions:\n  {S3}: {{vpc_count: 2}}\n")
        paths.append(path)
    return paths


@pytest.mark.parametrize("cluster", ["existing", "its own"])
def test_reports_on_dask_are_byte_identical_and_survive_a_killed_worker(
        cluster: str, scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On an existing cluster (``--scheduler``) and on the LocalCluster a run starts (its
    workers forked warm, each with its kernel parent: see the test below)."""
    from archlib import report

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    notebooks = s3_notebooks_with(tmp_path, KILL_ONCE_CELL)
    marker = tmp_path / "killed-once"
    paths = _scenarios(tmp_path / "in", marker)
    marker.write_text("")  # the local run: no kill
    local = report.build_reports(paths, tmp_path / "local", workers=2, notebook_dir=notebooks)
    assert local.ok, local.summary_lines()
    marker.unlink()  # the Dask run: the killer's first try kills its worker
    if cluster == "existing":
        with DaskExecutor(scheduler) as runner:
            on_dask = report.build_reports(paths, tmp_path / "dask", notebook_dir=notebooks,
                                           executor=runner)
    else:
        on_dask = report.build_reports(paths, tmp_path / "dask", notebook_dir=notebooks,
                                       executor="dask", workers=2)
    assert marker.exists(), "the worker was not killed"
    assert on_dask.ok, on_dask.summary_lines()  # retried on another worker
    assert _files_of(tmp_path / "dask") == _files_of(tmp_path / "local")
    assert not [p for p in (tmp_path / "dask").rglob("*") if p.name.endswith(".tmp")]


def _worker_pid() -> int:
    return os.getpid()


def test_a_clusters_own_workers_are_forked_warm_each_with_its_kernel_parent() -> None:
    """The LocalCluster a batch starts: its workers are the fork server's children (warmed
    once, archlib.report.daskwarmup), and each holds one kernel parent, forked as the
    worker started (one thread then), that has forked nothing itself (the fork hook acts in
    the server's children only). Once the executor closes, none of them is left."""
    import cloudpickle
    import dask
    import psutil

    from archlib._prestart import dask_worker_preload, fork_server_pid
    from archlib.report.kernelpool import PARENT_PROCESS_NAME

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    method = dask.config.get("distributed.worker.multiprocessing-method")
    assert method != "forkserver"
    before = _quiet_settings()
    assert before != QUIET_CLUSTER
    with DaskExecutor(workers=2, preload=dask_worker_preload()) as runner:
        # (set only while the cluster started: no other cluster here forks from it)
        assert dask.config.get("distributed.worker.multiprocessing-method") == method
        # its workers and scheduler do not wake for what only a dashboard needs
        assert list(runner.client.run(_quiet_settings).values()) == [QUIET_CLUSTER] * 2
        assert "stealing" not in runner.cluster.scheduler.extensions
        assert runner.cluster.scheduler._tick_interval == 1.0
        server = fork_server_pid()
        assert server is not None
        workers = runner.client.run(_worker_pid)
        assert len(workers) == 2
        seen = [psutil.Process(server)]
        for pid in workers.values():
            worker = psutil.Process(pid)
            assert worker.ppid() == server
            parents = [p for p in worker.children() if p.name() == PARENT_PROCESS_NAME]
            assert len(parents) == 1, worker.children()
            assert parents[0].children() == []
            seen += [worker, *parents]
        everywhere = [p for p in psutil.Process(server).children(recursive=True)
                      if p.name() == PARENT_PROCESS_NAME]
        assert len(everywhere) == 2
    assert fork_server_pid() is None
    _, alive = psutil.wait_procs(seen, timeout=10)
    assert alive == []
    # and the process's Dask settings are its own again
    assert dask.config.get("distributed.worker.multiprocessing-method") == method
    assert _quiet_settings() == before


#: What archlib's own LocalCluster runs with (the defaults wake every 20 to 500 ms).
QUIET_CLUSTER = {"distributed.admin.tick.interval": "1s",
                 "distributed.admin.system-monitor.interval": "5s",
                 "distributed.scheduler.work-stealing": False,
                 "distributed.scheduler.active-memory-manager.start": False,
                 "distributed.worker.memory.monitor-interval": "500ms"}


def _quiet_settings() -> dict[str, object]:
    import dask

    return {key: dask.config.get(key) for key in QUIET_CLUSTER}


def test_a_report_whose_worker_always_dies_is_a_failed_row(scheduler: str,
                                                          tmp_path: Path) -> None:
    from archlib import report

    notebooks = s3_notebooks_with(tmp_path, KILL_ONCE_CELL)
    paths = _scenarios(tmp_path / "in", "always")
    with DaskExecutor(scheduler) as runner:
        outcome = report.build_reports(paths, tmp_path / "out", notebook_dir=notebooks,
                                       executor=runner)
    reasons = {r.scenario_name: r.reason for r in outcome.rows}
    assert reasons["first"] == reasons["after"] == ""
    assert reasons["killer"].startswith("its Dask worker was lost on every try")
    assert not (tmp_path / "out" / "killer" / f"{S3}.html").exists()
    assert (tmp_path / "out" / "after" / f"{S3}.html").exists()


def test_archlib_fleet_on_dask_writes_the_same_bytes(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """On a cluster of its own: the module's shared one has just had its workers killed
    (above), and in CI its nannies had not brought any back within 2 minutes (twice; not
    seen on the development machine)."""
    from test_fleet_cli import write_inventory

    from archlib.fleet_review import review_inventory

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(fleet, "PARTITION_ROWS", 2)  # the three rows in three partitions
    inventory = write_inventory(tmp_path / "inventory.csv")
    local = review_inventory(inventory, tmp_path / "local", workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address="127.0.0.1:0", silence_logs=50) as cluster:
        on_dask = review_inventory(inventory, tmp_path / "dask", executor="dask",
                                   scheduler=cluster.scheduler_address)
    # the same rows fail (the inventory has an invalid one), for the same reasons
    assert (on_dask.results["error"].fillna("").tolist()
            == local.results["error"].fillna("").tolist())
    assert local.reports is not None and on_dask.reports is not None
    assert [r.ok for r in on_dask.reports.rows] == [True]  # the one flagged row
    assert _files_of(tmp_path / "dask") == _files_of(tmp_path / "local")


def test_a_cluster_left_without_workers_fails_the_rows_instead_of_waiting() -> None:
    # A scheduler with no worker at all (as when every nanny failed to restart its worker):
    # the run ends with a failed row per job after the timeout, it does not hang.
    empty = distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0",
                                     silence_logs=50)
    with empty, DaskExecutor(empty.scheduler_address, no_worker_timeout_s=1.0) as runner:
        got = dict(runner.run(square, [(2,), (3,)]))
    assert sorted(got) == [0, 1]
    assert all(isinstance(v, Failure) for v in got.values())
    assert all(v.reason.startswith("no Dask worker was left to run it for 1 s")
               for v in got.values())
