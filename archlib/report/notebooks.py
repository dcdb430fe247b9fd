"""The committed notebooks: re-created from their paired ``.py`` files and executed in place,
with stable ids, so an unchanged notebook rewrites the same bytes."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .files import NOTEBOOK_DIR
from .kernels import CELL_TIMEOUT_S, KERNEL_NAME, START_TIMEOUT_S, ipc_config

__all__ = ["refresh_notebooks"]


def _stable_widget_ids(nb: Any) -> None:
    """A widget view's model id is random per run, and the model is not stored (no widget
    state), so the id refers to nothing: replace it with one derived from the cell, so that
    re-executing an unchanged notebook leaves the file unchanged."""
    import hashlib

    for cell in nb.cells:
        for n, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if isinstance(view, dict) and "model_id" in view:
                view["model_id"] = hashlib.sha256(f"{cell['id']}/{n}".encode()).hexdigest()[:32]


def refresh_notebooks(names: Sequence[str] = (), folder: Path | str | None = None) -> list[Path]:
    """Re-create each committed ``notebooks/<name>.ipynb`` from its paired percent-format
    ``.py`` and execute it in place (kernel ``python3``), so committed outputs match the code
    (``folder``: another folder of notebook pairs). Cell ids, widget view ids and execution
    metadata are made stable, widget state is not stored: re-running an unchanged notebook
    rewrites the same bytes (on the same Python)."""
    import jupytext
    from nbclient import NotebookClient

    sources = sorted(Path(folder or NOTEBOOK_DIR).glob("*.py"))
    if names:
        sources = [p for p in sources if p.stem in names]
    written = []
    for source in sources:
        nb = jupytext.read(source)
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{source.stem}-{i}"
        with tempfile.TemporaryDirectory(prefix="archlib-nb-") as cwd:
            NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=CELL_TIMEOUT_S,
                           startup_timeout=START_TIMEOUT_S, store_widget_state=False,
                           record_timing=False,  # no per-cell timestamps in git
                           resources={"metadata": {"path": cwd}},
                           config=ipc_config(cwd)).execute()
        target = source.with_suffix(".ipynb")
        nb.metadata.pop("widgets", None)
        nb.metadata.get("language_info", {}).pop("version", None)  # the same on every Python
        _stable_widget_ids(nb)
        jupytext.write(nb, target, fmt="ipynb")
        written.append(target)
    return written
