"""The files a batch writes and reads: where the bundled notebooks and template are, the
one timestamp, atomic writes into the output folder, folder names, the shared plotly asset."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from .. import _files
from .._errors import InputError
from ..workbook import resource_dir

__all__ = [
    "NOTEBOOK_DIR",
    "PLOTLY_ASSET",
    "RESERVED_SLUGS",
    "TEMPLATE_DIR",
    "generated_at",
    "plotly_js",
    "report_css",
    "unique_slug",
    "writable",
    "write_atomic",
    "write_plotly_asset",
]


# The package's notebooks and template (bundled in a wheel; the checkout's in a checkout).
NOTEBOOK_DIR = resource_dir("notebooks")
TEMPLATE_DIR = resource_dir("templates")
#: The plotly.js every report of a batch shares (unless self-contained).
PLOTLY_ASSET = "assets/plotly.min.js"
#: The last second a four-digit year can show (9999-12-31T23:59:59Z).
_LAST_EPOCH = 253_402_300_799
#: Names in the output folder that are not scenario folders.
RESERVED_SLUGS = frozenset({"index.html", PLOTLY_ASSET.split("/", 1)[0]})


def _source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (reproducible builds): None when unset or empty, else whole
    ASCII seconds from 0 to 9999-12-31; anything else is an input error (the spec asks
    tools to refuse a malformed value rather than guess)."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 12
            and int(text) <= _LAST_EPOCH):
        raise InputError(f"must be whole seconds since 1970-01-01 UTC, from 0 to "
                         f"{_LAST_EPOCH} (got {text[:40]!r})", where="SOURCE_DATE_EPOCH")
    return int(text)


def generated_at() -> str:
    """The one timestamp in a report: ``SOURCE_DATE_EPOCH`` when set (reproducible builds),
    else now, in UTC. A malformed ``SOURCE_DATE_EPOCH`` is an :class:`InputError`."""
    epoch = _source_date_epoch()
    moment = (dt.datetime.now(tz=dt.UTC) if epoch is None
              else dt.datetime.fromtimestamp(epoch, tz=dt.UTC))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to a file the user named (see :func:`archlib._files.write_file`):
    through a temporary file in the same folder and a rename; FIFOs and character devices
    are written straight through, never replaced."""
    _files.write_file(Path(path), data)


def report_css() -> str:
    """The stylesheet of every report and the index."""
    return resources.files("archlib").joinpath("data", "report.css").read_text("utf-8")


def plotly_js() -> str:
    from ..charts import plotly_js_source  # imports plotly: only when a batch runs

    return plotly_js_source()


def unique_slug(slug: str, used: set[str]) -> str:
    """Two files with the same stem (a/x.yaml, b/x.yaml) get distinct folders; none is
    named like the index or the assets folder."""
    candidate, n = slug, 1
    while candidate in used or candidate.casefold() in RESERVED_SLUGS:
        n += 1
        candidate = f"{slug}-{n}"
    used.add(candidate)
    return candidate


def writable(out: Path, write: Callable[..., None], *args: Any) -> None:
    """``write(*args)``, its OSError as one line about ``--out``."""
    try:
        write(*args)
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror or error}", where="--out",
                         field=str(out)) from None


def write_plotly_asset(out: Path) -> None:
    _files.write_into(out, PLOTLY_ASSET, plotly_js(), skip_if_same=True)
