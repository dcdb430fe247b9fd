"""Hypothesis profiles for the property tests (tests/test_properties.py), chosen by the
HYPOTHESIS_PROFILE environment variable (README, "Tests"):

- ``ci`` (default): 200 examples per property per decision;
- ``thorough``: 10,000 examples per property per decision (minutes, not for CI).

No deadline: a wall clock never decides a test; the example database stays off, so runs
repeat from the seed alone.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "database": None, "derandomize": True,
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much]}
settings.register_profile("ci", max_examples=200, **_COMMON)
settings.register_profile("thorough", max_examples=10_000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# Modules that drive whole outside programs (Chromium, JupyterLab, a Dask cluster, pip into a
# fresh venv, every benchmark once): marked `integration`. CI runs them on the oldest Python
# and leaves them out on the newest, where what they test does not depend on the interpreter
# (.ci/run).
INTEGRATION_MODULES = frozenset({
    "test_report_browser", "test_lab_browser", "test_fleet_browser", "test_pdf", "test_dask",
    "test_wheel", "test_benchmarks",
})


def pytest_collection_modifyitems(config: object, items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and module.__name__.rsplit(".", 1)[-1] in INTEGRATION_MODULES:
            item.add_marker(pytest.mark.integration)
