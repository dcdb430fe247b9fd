"""Kernels: started ahead of their notebook (forked from a warm kernel parent, see
:mod:`.kernelpool`, or launched and warmed up), over IPC, and the papermill engine that runs
a notebook on such a kernel."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .jobs import NotebookFailure
from .kernelpool import KERNEL_OPTIONS, KernelParent, fork_kernel_manager, ready_client

__all__ = [
    "CELL_TIMEOUT_S",
    "KERNEL_NAME",
    "KERNEL_WARM_UP",
    "START_TIMEOUT_S",
    "Kernel",
    "ipc_config",
    "private_price_cache",
    "register_engine",
    "warm_kernel",
]


KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 120  # per cell; a report notebook's slowest cell takes well under a second
START_TIMEOUT_S = 60  # kernel start-up, until it answers kernel_info


#: Run by each batch kernel as it starts, before the notebook it will run is known (a
#: trailing ";" so it displays nothing and binds no name in the notebook's namespace).
KERNEL_WARM_UP = "__import__('archlib.report').report.warm_kernel();"


def warm_kernel() -> None:
    """Pay in advance, in a kernel waiting for its notebook, the first-use costs every
    report notebook pays: archlib's notebook modules, plotly's figure validation and JSON
    encoding, the diagrams library. Nothing here depends on the notebook."""
    import importlib

    import plotly.graph_objects as go

    for module in ("archlib.notebook", "archlib.charts", "archlib.drawing", "archlib.views",
                   "diagrams", "diagrams.aws.network", "diagrams.aws.storage",
                   "diagrams.aws.compute", "diagrams.aws.database", "diagrams.aws.analytics",
                   "diagrams.onprem.network", "graphviz"):
        with contextlib.suppress(ImportError):  # the notebook will say if it needs it
            importlib.import_module(module)
    from ..drawing import drawing_package_versions, graphviz_version

    # Part of every diagram's cache key, read once here rather than in every kernel (the
    # batch's fork server warms up before its workers set the cache folder).
    with contextlib.suppress(Exception):  # no Graphviz: the notebook will say so
        graphviz_version()
        drawing_package_versions()
    go.Figure({
        "data": [{"type": "bar", "x": [1], "y": [1], "orientation": "h"},
                 {"type": "scatter", "x": [1], "y": [1], "mode": "lines"}],
        "layout": {"title": {"text": "t"}, "annotations": [{"text": "a"}],
                   "shapes": [{"type": "line"}], "legend": {"orientation": "h"},
                   "xaxis": {"title": {"text": "x"}}, "yaxis": {"title": {"text": "y"}}},
    }).to_json()


def ipc_config(run_dir: str) -> Any:
    """Kernel over IPC: it opens no TCP ports (and does not warn about plain-text TCP); its
    socket files live in the run's temporary directory."""
    from traitlets.config import Config

    return Config({"KernelManager": {"transport": "ipc",
                                     "ip": str(Path(run_dir) / "kernel-ipc")}})


class Kernel:
    """One notebook's kernel, started ahead of it: its own temporary directory (its cwd and
    IPC sockets), stderr kept for errors. Forked by ``parent`` when given, else launched by
    jupyter_client with ``warm_up`` run at start-up. Either way the client does not wait
    for IOPub silence and :meth:`close` kills it at once."""

    def __init__(self, kernel_name: str, parent: KernelParent | None = None,
                 warm_up: str = KERNEL_WARM_UP,
                 price_cache: Sequence[tuple[str, bytes, int]] | None = None) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        self.forked = parent is not None
        self._warm_up = warm_up
        self.dir = tempfile.mkdtemp(prefix="kernel-")  # short: IPC socket paths are limited
        self._env: dict[str, str] = {}
        if price_cache is not None:
            from .._pricecache import CACHE_ENV

            self._env[CACHE_ENV] = private_price_cache(self.dir, price_cache)
        traits = {"transport": "ipc", "ip": os.path.join(self.dir, "ipc")}
        if parent is not None:
            self.km = fork_kernel_manager(parent, kernel_name, **traits)
        else:
            self.km = AsyncKernelManager(kernel_name=kernel_name, **traits)
            self.km.client_factory = ready_client()
        self._stderr = open(os.path.join(self.dir, "stderr.txt"), "wb")  # noqa: SIM115

    @classmethod
    def start(cls, kernel_name: str, parent: KernelParent | None = None,
              warm_up: str = KERNEL_WARM_UP) -> Kernel:
        kernel = cls(kernel_name, parent, warm_up)
        kernel._run_sync(kernel.start_async)()
        return kernel

    async def start_async(self) -> None:
        """Launch (or fork) the kernel process: it boots in the background."""
        extra = list(KERNEL_OPTIONS)
        if not self.forked and self._warm_up:
            extra.append(f"--IPKernelApp.exec_lines={self._warm_up}")
        try:
            await self.km.start_kernel(cwd=self.dir, stdout=self._stderr, stderr=self._stderr,
                                       extra_arguments=extra, env={**os.environ, **self._env})
        except BaseException:
            self.close()
            raise

    def alive(self) -> bool:
        return bool(self._run_sync(self.km.is_alive)())

    def stderr_tail(self) -> str:
        self._stderr.flush()
        lines = Path(self._stderr.name).read_text("utf-8", "replace").strip().splitlines()
        return lines[-1].strip() if lines else ""

    def close(self) -> None:
        """Kill the kernel's process group (its notebook is done: nothing to save) and reap
        it, then remove its files."""
        try:
            provisioner = self.km.provisioner
            process = getattr(provisioner, "process", None)
            if process is not None:
                with contextlib.suppress(OSError):
                    os.killpg(provisioner.pgid or process.pid, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    process.kill()
                with contextlib.suppress(Exception):
                    process.wait()
                provisioner.process = None
            with contextlib.suppress(Exception):
                self._run_sync(self.km.cleanup_resources)()
        finally:
            self._stderr.close()
            shutil.rmtree(self.dir, ignore_errors=True)


def private_price_cache(kernel_dir: str, files: Sequence[tuple[str, bytes, int]]) -> str:
    """A kernel's own copy of the batch's price cache (name, bytes, mtime in ns per file:
    the same files, read the same way), in the kernel's folder; its path."""
    folder = os.path.join(kernel_dir, "prices")
    os.mkdir(folder)
    for name, data, mtime_ns in files:
        path = os.path.join(folder, os.path.basename(name))
        with open(path, "wb") as copy:
            copy.write(data)
        os.utime(path, ns=(mtime_ns, mtime_ns))
    return folder


def register_engine() -> str:
    """A papermill engine that runs on a kernel started ahead (``km=``) and closes its
    client afterwards; papermill's own engine expects to start and own the kernel."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    def running_cell(nb: Any) -> str:
        """The last cell papermill started (it marks it completed even when it raised)."""
        started = [i for i, cell in enumerate(nb.cells)
                   if cell.get("metadata", {}).get("papermill", {}).get("start_time")]
        return f"notebook cell {started[-1] + 1}" if started else "a notebook cell"

    class PrestartedKernelEngine(NBClientEngine):  # type: ignore[misc]
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, *,
                                     km: Any, log_output: bool = False,
                                     start_timeout: int = START_TIMEOUT_S,
                                     execution_timeout: int = CELL_TIMEOUT_S,
                                     **kwargs: Any) -> Any:
            kwargs.pop("input_path", None)
            client = PapermillNotebookClient(
                nb_man, km=km, kernel_name=kernel_name, timeout=execution_timeout,
                startup_timeout=start_timeout, log=logger, log_output=log_output,
                store_widget_state=False, **kwargs)
            try:
                return client.execute()
            except CellTimeoutError:
                raise NotebookFailure(f"{running_cell(nb_man.nb)} timed out after "
                                      f"{execution_timeout} s (--cell-timeout)") from None
            except DeadKernelError:
                raise NotebookFailure(
                    f"the kernel died while running {running_cell(nb_man.nb)}") from None
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register("archlib-prestarted", PrestartedKernelEngine)
    return "archlib-prestarted"
