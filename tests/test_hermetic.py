"""Test runs write nothing under the user's home: Jupyter's and IPython's directories point
into a temporary directory (set in conftest.py before any kernel starts)."""

from __future__ import annotations

import os
import tempfile

from jupyter_core import paths


def test_jupyter_directories_are_temporary() -> None:
    tmp = os.path.realpath(tempfile.gettempdir())
    for found in (paths.jupyter_config_dir(), paths.jupyter_data_dir(),
                  paths.jupyter_runtime_dir(), os.environ["IPYTHONDIR"]):
        assert os.path.realpath(found).startswith(tmp + os.sep), found
    home = os.path.realpath(os.path.expanduser("~"))
    assert not os.path.realpath(paths.jupyter_runtime_dir()).startswith(home + os.sep)
