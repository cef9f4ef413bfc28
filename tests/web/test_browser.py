"""The portal in a real headless Chromium: every page in both languages passes axe-core with no
serious or critical violation and fits a 375-pixel phone; the public lookup by keyboard; a
subject signs in with a code read from the local SMTP server, objects to a record and sees it
suspended once the deadline has passed undecided; a reviewer decides.

With ``SOCIALCREDIT_SCREENSHOTS=1`` the main pages are also photographed, at phone and desktop
width in both languages, into ``docs/screenshots/`` (the README shows them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from playwright.sync_api import Browser, Page

from socialcredit.api.app import ApiSettings
from socialcredit.registry import Actor
from socialcredit.registry.workflows.objections import file_objection
from socialcredit.registry.writes.tick import tick
from socialcredit.web.app import create_portal_app
from tests.api.server import serving
from tests.web.browser import DESKTOP, PHONE, accessible, chromium, shoot
from tests.web.conftest import settings
from tests.web.mail import Inbox, smtp_server
from tests.web.seed import O1, P1, P2, Seeded, seed

PUBLIC = (
    "/",
    "/lookup?q=Fuzhou",
    f"/organisations/{O1}",
    "/lists",
    "/lists/dishonest-judgment-defaulters",
    "/policies",
    "/policies/judgment-defaulters",
    "/base-catalogue",
    "/base-catalogue/BC-JUDGMENT-DEFAULTER",
    "/base-measures",
    "/base-measures/BM-HIGH-CONSUMPTION",
    "/statistics",
    "/sign-in",
    f"/organisations/{P1}",  # an error page: persons are not looked up
)
SUBJECT = (
    f"/subjects/{P1}",
    f"/subjects/{P1}/accesses",
    f"/subjects/{P1}/notices",
    f"/subjects/{P2}",
)
REVIEWER = ("/review", "/review/objections/1")
AGENCY = ("/agency", "/agency/quarantine")
MAIN = {"home": "/", "organisation": f"/organisations/{O1}", "statistics": "/statistics"}


@dataclass(frozen=True)
class Site:
    url: str
    browser: Browser
    seeded: Seeded
    inbox: Inbox


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("portal")
    with chromium() as browser, smtp_server() as (inbox, port):
        seeded = seed(f"sqlite:///{folder / 'registry.db'}")
        file_objection(
            seeded.registry, P2, "r2", "This is not my debt.", Actor("t", "subject", "t")
        )
        app = create_portal_app(ApiSettings(registry=seeded.registry.settings), settings(port))
        try:
            with serving(app, "localhost") as url:
                yield Site(url, browser, seeded, inbox)
        finally:
            seeded.registry.close()


def _page(site: Site, language: str, viewport: dict[str, int] = PHONE) -> Page:
    context = site.browser.new_context(viewport=viewport, base_url=site.url)
    page = context.new_page()
    page.goto(f"/?lang={language}")
    return page


def _sign_in_by_key(page: Page, key: str) -> None:
    page.goto("/sign-in")
    page.fill("#key", key)
    page.click("#key ~ button")
    page.wait_for_load_state()


def _check(page: Page, path: str, language: str) -> None:
    """The page answers in ``language``, passes axe and fits the phone's width."""
    page.goto(path)
    accessible(page, path, language)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_page_passes_axe_and_fits_a_phone(site: Site, language: str) -> None:
    page = _page(site, language)
    for path in PUBLIC:
        _check(page, path, language)
    for role, paths in (("subject", SUBJECT), ("reviewer", REVIEWER), ("court", AGENCY)):
        _sign_in_by_key(page, site.seeded.keys[role])
        for path in paths:
            _check(page, path, language)
        page.context.clear_cookies()
        page.goto(f"/?lang={language}")
    page.context.close()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_main_pages_at_phone_and_desktop_width(site: Site, language: str) -> None:
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = _page(site, language, viewport)
        for name, path in MAIN.items():
            page.goto(path)
            shoot(page, name, language, size)
        _sign_in_by_key(page, site.seeded.keys["subject"])
        shoot(page, "my-file", language, size)
        page.context.clear_cookies()
        page.goto(f"/?lang={language}")
        _sign_in_by_key(page, site.seeded.keys["reviewer"])
        page.goto("/review/objections/1")
        shoot(page, "review-case", language, size)
        assert page.locator("h1").count() == 1
        page.context.close()


def test_the_public_lookup_by_keyboard(site: Site) -> None:
    page = _page(site, "en")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.focus("#q")
    page.keyboard.type("Fuzhou Example")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.keyboard.press("Tab")  # the skip link, then the results by keyboard
    link = page.get_by_role("link", name="Fuzhou Example Trading Co., Ltd.")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/organisations/{O1}")
    assert "Long-standing tax arrears evading recovery" in page.content()
    page.context.close()


def test_a_subject_signs_in_with_a_code_objects_and_sees_the_record_suspended(site: Site) -> None:
    page = _page(site, "zh")
    page.goto("/sign-in")
    page.fill("#subject", P1)
    page.get_by_role("button", name="发送验证码").click()
    page.wait_for_selector("#code")
    page.fill("#code", site.inbox.last_code(f"{P1}@notices.invalid"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/subjects/{P1}")
    summary = page.locator("#r1 summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens the objection form
    page.fill("#grounds-r1", "判决已经全部履行。")
    page.locator("#r1 form button").click()
    page.wait_for_url("**?done=objection")
    assert "您的异议已提交" in page.content()
    assert page.locator("#r1").get_by_text("有异议").count() >= 1
    tick(site.seeded.registry, date(2025, 2, 3), Actor("t", "operator", "the deadline passes"))
    page.reload()
    assert page.locator("#r1").get_by_text("暂停适用").count() >= 1
    page.context.close()


def test_a_reviewer_decides(site: Site) -> None:
    page = _page(site, "en")
    _sign_in_by_key(page, site.seeded.keys["reviewer"])
    page.goto("/review")
    page.get_by_role("link", name="Objection 1").click()
    assert "This is not my debt." in page.content()
    page.select_option("#outcome", "revoked")
    page.fill("#reason", "The judgment was set aside on appeal.")
    page.get_by_role("button", name="Decide").click()
    page.wait_for_url("**/review?done=objection")
    assert "Your decision has been recorded" in page.content()
    page.goto("/review/objections/1")
    assert "The judgment was set aside on appeal." in page.content()
    page.context.close()
