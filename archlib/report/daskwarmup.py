"""What the fork server of a ``LocalCluster`` that archlib starts for batch reports imports
(:class:`archlib._executors.DaskExecutor` with ``preload``): the report workers' warm-up
(:mod:`.warmup`), ``distributed`` itself, and a fork hook that gives each Dask worker forked
from it a kernel parent at once (:func:`.kernelpool.prefork_parent`), while the new worker
still runs one thread: by the time a worker plugin runs, Dask has started threads of its
own, and the worker would have to start a fresh interpreter and warm it up (2-3 CPU-s per
worker) instead.

The hook acts only in the server's direct children (the Dask workers): not in the kernel
parents and kernels forked further down, which inherit it. It is set only in a fork server
(:func:`archlib._prestart.preloading_fork_server`): in any other process importing this module
(a test, a notebook) a child it forks is no Dask worker, and a kernel parent it forks must
not become a subreaper of its own (its kernels would be re-parented to it, not to the
process that asked for them).
"""

from __future__ import annotations

import contextlib
import gc
import os

from .._prestart import preloading_fork_server
from . import kernelpool, warmup  # noqa: F401  # (importing warmup is the warm-up)

__all__: list[str] = []

_SERVER_PID = os.getpid()


def _in_new_worker() -> None:
    if os.getppid() == _SERVER_PID:
        kernelpool.prefork_parent()


with contextlib.suppress(Exception):  # a Dask worker then imports it itself
    import distributed.nanny
    import distributed.worker  # noqa: F401  (what a worker runs; imported, it is warm)

if kernelpool.FORKABLE and preloading_fork_server():
    os.register_at_fork(after_in_child=_in_new_worker)
    gc.collect()
    gc.freeze()
