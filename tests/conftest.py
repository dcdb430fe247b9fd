"""Hypothesis profiles for the property tests (tests/test_properties.py), chosen by the
HYPOTHESIS_PROFILE environment variable (README, "Tests"):

- ``ci`` (default): 200 examples per property per decision;
- ``thorough``: 10,000 examples per property per decision (minutes, not for CI).

No deadline: a wall clock never decides a test; the example database stays off, so runs
repeat from the seed alone.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "database": None, "derandomize": True,
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much]}
settings.register_profile("ci", max_examples=200, **_COMMON)
settings.register_profile("thorough", max_examples=10_000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
