"""Where archlib's notebooks, report template and example scenarios live, and ``archlib init``.

The repository keeps them once, in its top-level ``notebooks/``, ``templates/`` and
``scenarios/``. A wheel carries copies under ``archlib/_resources/`` (``setup.py`` copies them
at build time); a checkout or an editable install has no such folder and uses the
repository's own. Either way they are found through :mod:`importlib.resources`, never beside
the caller's working directory.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ._errors import InputError

__all__ = ["RESOURCE_FOLDERS", "WORKBOOK_FOLDERS", "WorkbookCopy", "init_workbook", "resource_dir"]

#: Each bundled folder: its path in the repository (and under ``archlib/_resources/`` in a
#: wheel) and the files of it that ship. ``setup.py`` (which cannot import archlib while it
#: builds) repeats it; the wheel test checks the wheel holds exactly these files.
RESOURCE_FOLDERS: dict[str, tuple[str, ...]] = {
    "notebooks": ("*.ipynb", "*.py"),
    "templates/archlib": ("*.j2", "*.json"),
    "scenarios": ("*.yaml", "*.csv"),
}
#: What ``archlib init`` copies into a workbook (the template stays with the package).
WORKBOOK_FOLDERS = ("notebooks", "scenarios")


def resource_dir(name: str) -> Path:
    """The folder of bundled files ``name`` (a key of :data:`RESOURCE_FOLDERS`, or
    ``"templates"``): inside the installed package, else the checkout's top-level folder."""
    top = name.split("/")[0]
    if not any(key.split("/")[0] == top for key in RESOURCE_FOLDERS):
        raise KeyError(f"no bundled folder {name!r}")
    package = resources.files("archlib")
    bundled = package / "_resources" / name
    # Papermill and nbconvert need real files: archlib is not usable from a zip archive.
    if isinstance(bundled, Path) and bundled.is_dir():
        return bundled.resolve()
    if isinstance(package, Path):
        checkout = package.resolve().parent  # only a checkout has archlib's pyproject.toml
        if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
            return checkout / name
    raise FileNotFoundError(
        f"archlib's bundled {name}/ folder is missing (looked in {bundled}): reinstall "
        "archlib from its wheel or a checkout")


@dataclass(frozen=True)
class WorkbookCopy:
    """What :func:`init_workbook` did: the files written and the ones it replaced."""

    folder: Path
    written: tuple[Path, ...]
    replaced: tuple[Path, ...]


def _bundled_files() -> list[tuple[Path, Path]]:
    """(source, path relative to a workbook) for every file ``archlib init`` copies."""
    pairs: list[tuple[Path, Path]] = []
    for folder in WORKBOOK_FOLDERS:
        source_dir = resource_dir(folder)
        for pattern in RESOURCE_FOLDERS[folder]:
            pairs += [(p, Path(folder) / p.name) for p in sorted(source_dir.glob(pattern))]
    return pairs


def init_workbook(folder: Path | str, *, force: bool = False) -> WorkbookCopy:
    """Copy the decision notebooks and the example scenarios into ``folder``
    (``notebooks/``, ``scenarios/``), creating it if needed. Refuses, before writing
    anything, when a file to be written exists, unless ``force``."""
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise InputError("exists and is not a folder", where="init", field=str(target))
    pairs = _bundled_files()
    existing = [target / rel for _, rel in pairs if (target / rel).exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing[:3]) + (" ..." if len(existing) > 3 else "")
        raise InputError(f"would overwrite {len(existing)} file(s) ({names}); use --force to "
                         "replace them", where="init", field=str(target))
    written = []
    try:
        for source, rel in pairs:
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            written.append(dest)
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror or error}", where="init",
                         field=str(target)) from None
    return WorkbookCopy(target, tuple(written), tuple(existing))
