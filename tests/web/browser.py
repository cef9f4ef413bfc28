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
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import ROOT

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
SHOTS = ROOT / "docs" / "screenshots"
AXE = Axe()
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


def accessible(page: Page, where: str, language: str) -> None:
    """The page shown answers in ``language``, passes axe (no serious or critical violation)
    and fits the phone's width."""
    assert page.get_attribute("html", "lang") == {"zh": "zh-Hans", "en": "en"}[language], where
    results = AXE.run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{where} [{language}]: {bad}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{where} [{language}] is {width}px wide on a phone"


def shoot(page: Page, name: str, language: str, size: str) -> None:
    """With ``SOCIALCREDIT_SCREENSHOTS`` set, the page into ``docs/screenshots/``."""
    if os.environ.get("SOCIALCREDIT_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}-{language}-{size}.png"
        page.screenshot(path=str(path))
        with Image.open(path) as shot:  # a palette of 128 colours: a third of the bytes
            small = shot.convert("RGB").quantize(colors=128)
        small.save(path, optimize=True)
