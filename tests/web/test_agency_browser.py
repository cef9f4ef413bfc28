"""The agency's desk in a real headless Chromium, in both languages: an export previewed through
its mapping, confirmed (the same files chosen again), its refused line corrected and resubmitted
from the quarantine. Every page passes axe-core with no serious or critical violation and fits a
375-pixel phone. With ``SOCIALCREDIT_SCREENSHOTS=1`` the preview and the quarantine are
photographed at phone and desktop width into ``docs/screenshots/``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from socialcredit.api.app import ApiSettings
from socialcredit.web.app import create_portal_app
from tests.api.server import serving
from tests.registry.helpers import spc
from tests.web.browser import DESKTOP, PHONE, accessible, chromium, shoot
from tests.web.conftest import settings
from tests.web.mail import smtp_server
from tests.web.seed import MAPPING, P2, Seeded, court_export, seed

WORDS = {
    "zh": {"report": "已隔离 1", "resolved": "已处理", "warning": "备注"},
    "en": {"report": "quarantined 1", "resolved": "is resolved", "warning": "备注"},
}


@dataclass(frozen=True)
class Site:
    url: str
    browser: Browser
    seeded: Seeded
    folder: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("agency")
    with chromium() as browser, smtp_server() as (_, port):
        seeded = seed(f"sqlite:///{folder / 'registry.db'}")
        app = create_portal_app(ApiSettings(registry=seeded.registry.settings), settings(port))
        try:
            with serving(app, "localhost") as url:
                yield Site(url, browser, seeded, folder)
        finally:
            seeded.registry.close()


def _signed_in(site: Site, language: str, viewport: dict[str, int]) -> Page:
    page = site.browser.new_context(viewport=viewport, base_url=site.url).new_page()
    page.goto(f"/?lang={language}")
    page.goto("/sign-in")
    page.fill("#key", site.seeded.keys["court"])
    page.click("#key ~ button")
    page.wait_for_load_state()
    return page


def _preview(page: Page, export: Path) -> None:
    page.goto("/agency")
    page.set_input_files("#file", str(export))
    page.set_input_files("#mapping", str(MAPPING))
    page.locator("form[action='/agency/preview'] button").click()
    page.wait_for_url("**/agency/preview")


def _confirm(page: Page, export: Path) -> None:
    page.set_input_files("#file", str(export))
    page.set_input_files("#mapping", str(MAPPING))
    page.locator("form[action='/agency/upload'] button").click()
    page.wait_for_url("**/agency/upload")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_preview_confirm_and_resubmit(site: Site, language: str) -> None:
    words = WORDS[language]
    folder = site.folder / language
    folder.mkdir()
    export = court_export(folder, prefix=f"{language.upper()}-")
    page = _signed_in(site, language, PHONE)
    accessible(page, "/agency", language)
    _preview(page, export)
    assert f"{language.upper()}-1" in page.content() and words["warning"] in page.content()
    accessible(page, "/agency/preview", language)
    shoot(page, "agency-preview", language, "phone")
    _confirm(page, export)
    assert words["report"] in page.content()
    accessible(page, "/agency/upload", language)
    page.locator("main a[href='/agency/quarantine']").click()
    page.wait_for_url("**/agency/quarantine")
    accessible(page, "/agency/quarantine", language)
    shoot(page, "agency-quarantine", language, "phone")
    corrected = spc(f"{language.upper()}-2", subject=P2)
    line = page.locator("section.qline").filter(has_text=f"{language.upper()}-2")
    line.locator("textarea").fill(json.dumps(corrected, ensure_ascii=False))
    line.locator("button").click()
    page.wait_for_url("**/resubmit")
    assert words["resolved"] in page.content()
    accessible(page, "/agency/quarantine/resubmit", language)
    page.context.close()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_agency_pages_at_desktop_width(site: Site, language: str) -> None:
    folder = site.folder / f"desktop-{language}"
    folder.mkdir()
    page = _signed_in(site, language, DESKTOP)
    export = court_export(folder, prefix=f"D{language.upper()}-")
    _preview(page, export)
    assert page.locator("h1").count() == 1
    shoot(page, "agency-preview", language, "desktop")
    _confirm(page, export)
    page.goto("/agency/quarantine")
    assert page.locator("h1").count() == 1
    shoot(page, "agency-quarantine", language, "desktop")
    page.context.close()
