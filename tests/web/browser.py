"""Debian's Chromium driven by Playwright (never ``playwright install``: the browser is the
system's, found at ``/usr/bin/chromium``). Without it the browser tests skip with the reason,
or fail when ``CI`` is set. ``make install`` installs it (as root, with apt-get)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path(os.environ.get("SOCIALCREDIT_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _require_browser() -> None:
    if CHROMIUM.is_file() or shutil.which(str(CHROMIUM)):
        return
    reason = f"no Chromium at {CHROMIUM} (apt-get install chromium; make install does it)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set: the browser tests must run")
    pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[Browser]:
    """One headless Chromium (for a whole test module)."""
    _require_browser()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()
