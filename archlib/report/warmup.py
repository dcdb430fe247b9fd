"""What a batch's report workers have in common, imported once per batch by the fork server
they are forked from (:class:`archlib._executors.LocalProcesses` with ``preload``): papermill
and nbconvert with archlib's exporter and template compiled, and everything a kernel imports
and warms up (:func:`archlib.report.kernelpool.warm`), and marks the process as one its kernel
parents may be forked from (:data:`archlib.report.kernelpool.FORKABLE`). Importing this
module does that work: the fork server's only way to run code is to import. Nothing here
depends on the batch, and nothing in it runs notebook code. The mark is set only in a fork
server (:func:`archlib._prestart.preloading_fork_server`): a test or a notebook importing
this module holds state of its own, so its kernel parents stay fresh interpreters.

A failure here costs only time: each worker then does the same work itself and says why if
it cannot.
"""

from __future__ import annotations

import contextlib
import gc
import sys

__all__: list[str] = []

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # as workers do
with contextlib.suppress(Exception):
    from .._prestart import preloading_fork_server
    from . import kernelpool, rendering

    rendering.export_machinery()
    kernelpool.warm()
    if preloading_fork_server():
        kernelpool.FORKABLE.append(True)  # its workers fork their kernel parents from themselves
    # What is imported now lives as long as each worker: the collector leaves it alone
    # (0.03 CPU-s of collections per report in a worker, and the kernel parents' first).
    gc.collect()
    gc.freeze()
