"""Build step only (the metadata is in pyproject.toml): a wheel carries the repository's
top-level notebooks, report template and example scenarios under ``archlib/_resources/``,
copied from their one source at build time. An editable install skips the copy; archlib then
reads the checkout's folders (``archlib/workbook.py``)."""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

#: The same folders and patterns as archlib.workbook.RESOURCE_FOLDERS (checked by a test).
RESOURCE_FOLDERS = {
    "notebooks": ("*.ipynb", "*.py"),
    "templates/archlib": ("*.j2", "*.json"),
    "scenarios": ("*.yaml", "*.csv"),
}


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        root = Path(__file__).resolve().parent
        for folder, patterns in RESOURCE_FOLDERS.items():
            sources = sorted({p for pattern in patterns for p in (root / folder).glob(pattern)})
            if not sources:
                raise SystemExit(f"setup.py: no {patterns} in {folder}/: nothing to bundle")
            target = Path(self.build_lib, "archlib", "_resources", folder)
            self.mkpath(str(target))
            for source in sources:
                self.copy_file(str(source), str(target / source.name))


setup(cmdclass={"build_py": BuildWithResources})
