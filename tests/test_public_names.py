"""Every archlib module declares ``__all__``, and no module imports a name another module does
not export: private names (``_x``) and names missing from the other module's ``__all__``
are that module's business (DS6). An AST scan, so lazy imports inside functions count too."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import archlib

ARCHLIB = Path(archlib.__file__).parent
MODULES = sorted(ARCHLIB.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(ARCHLIB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _target(path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports() -> list[tuple[str, str, str]]:
    found = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                target = _target(path, node)
                if target.split(".")[0] == "archlib":
                    found += [(_module_name(path), target, a.name) for a in node.names]
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p))
def test_every_module_declares_all_and_has_each_name(path: Path) -> None:
    module = importlib.import_module(_module_name(path))
    assert isinstance(getattr(module, "__all__", None), list), _module_name(path)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, (_module_name(path), missing)


def test_no_module_imports_another_modules_private_name() -> None:
    wrong = []
    for importer, target, name in _imports():
        module = importlib.import_module(target)
        if isinstance(getattr(module, name, None), type(archlib)):
            continue  # a module (``from . import _sources``): its own names are checked
        dunder = name.startswith("__") and name.endswith("__")  # __version__ is public
        if (name.startswith("_") and not dunder) or name not in module.__all__:
            wrong.append(f"{importer} imports {target}.{name}")
    assert not wrong, "\n".join(wrong)


def test_the_scan_sees_imports() -> None:
    """The scan is not vacuous: it finds the engine importing the decision type."""
    assert ("archlib._engine", "archlib._decision", "Decision") in _imports()
