"""Hermetic test runs: Jupyter and IPython write into a temporary directory, never $HOME."""

from __future__ import annotations

import os
import tempfile

import pytest

_HOME = tempfile.mkdtemp(prefix="archlib-test-home-")


def pytest_configure(config: pytest.Config) -> None:
    for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                      ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
        path = os.path.join(_HOME, sub)
        os.makedirs(path, exist_ok=True)
        os.environ[name] = path
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
