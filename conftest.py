"""Hermetic test runs: Jupyter, IPython and hypothesis write into a temporary directory, never
$HOME or the checkout."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

_HOME = tempfile.mkdtemp(prefix="archlib-test-home-")


def pytest_configure(config: pytest.Config) -> None:
    for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                      ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
        path = os.path.join(_HOME, sub)
        os.makedirs(path, exist_ok=True)
        os.environ[name] = path
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
    # The price cache (issue 19): an empty folder of the run's own, so a user's refreshed
    # prices never reach a test; no age warning, so results do not depend on today's date.
    os.environ["ARCHLIB_PRICE_CACHE"] = os.path.join(_HOME, "price-cache")
    os.environ["ARCHLIB_PRICE_MAX_AGE_DAYS"] = "0"
    # hypothesis keeps caches in ./.hypothesis unless told otherwise: keep the checkout clean
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(os.path.join(_HOME, "hypothesis"))
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


# --- browser tests ------------------------------------------------------------------------
# Debian's chromium driven by the playwright package (never `playwright install`). The flags
# keep a closed network quiet: no background fetches, no first-run, fresh profile.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (playwright ``Browser``), shared by the session. CI
    installs /usr/bin/chromium (.ci/run); its absence is a failure there, not a skip."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    os.environ["HOME"] = os.path.join(_HOME, "browser-home")  # chromium writes ~/.config
    os.makedirs(os.environ["HOME"], exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
