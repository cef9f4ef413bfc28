"""Public pages in both languages: the lookup, lists with masked members, policies, statistics;
each answers in the chosen language, and lookups are audited as the API's."""

from __future__ import annotations

import pytest

from tests.api.helpers import audit
from tests.web.conftest import Portal
from tests.web.seed import O1, ORG_NAME, P1, P2

PUBLIC_PAGES = (
    "/",
    "/lookup",
    f"/lookup?q={ORG_NAME[:6]}",
    f"/organisations/{O1}",
    "/lists",
    "/lists/dishonest-judgment-defaulters",
    "/policies",
    "/policies/judgment-defaulters",
    "/policies/enterprise",
    "/base-catalogue",
    "/base-catalogue/BC-JUDGMENT-DEFAULTER",
    "/base-measures",
    "/base-measures/BM-HIGH-CONSUMPTION",
    "/statistics",
    "/sign-in",
)
HEADINGS = {
    "zh": ("信用信息公示服务平台", 'lang="zh-Hans"'),
    "en": ("Credit registry portal", 'lang="en"'),
}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_public_page_in_both_languages(portal: Portal, language: str) -> None:
    for path in PUBLIC_PAGES:
        joiner = "&" if "?" in path else "?"
        response = portal.client.get(f"{path}{joiner}lang={language}")
        assert response.status_code == 200, (path, response.text[:500])
        brand, lang = HEADINGS[language]
        assert brand in response.text and lang in response.text, path
        assert response.headers["cache-control"] == "no-store"


def test_the_language_follows_the_switch_then_the_cookie_then_the_browser(portal: Portal) -> None:
    client = portal.client
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "en-GB,en"}).text
    assert 'lang="zh-Hans"' in client.get("/", headers={"Accept-Language": "zh-CN"}).text
    assert 'lang="en"' in client.get("/?lang=en").text  # sets the cookie
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "zh-CN"}).text


def test_a_code_opens_the_organisation_with_its_public_records(portal: Portal) -> None:
    found = portal.client.get(f"/lookup?q={O1.lower()}&lang=en")
    assert found.url.path == f"/organisations/{O1}"
    page = found.text
    assert ORG_NAME in page and "Long-standing tax arrears evading recovery" in page
    assert "Tax Collection and Administration Law" in page  # the legal basis
    lookups = [e for e in audit(portal.seeded.registry, O1) if e.action == "read.public.lookup"]
    assert len(lookups) == 1


def test_names_are_searched_and_persons_are_not_looked_up(portal: Portal) -> None:
    page = portal.client.get("/lookup?q=example+trading&lang=en").text
    assert f"/organisations/{O1}" in page and "1 organisation found" in page
    person = portal.client.get(f"/organisations/{P1}?lang=zh")
    assert person.status_code == 404 and "未找到" in person.text
    assert "请至少输入两个字符" in portal.client.get("/lookup?q=x&lang=zh").text


def test_public_lists_mask_persons(portal: Portal) -> None:
    page = portal.client.get("/lists/dishonest-judgment-defaulters?lang=en").text
    assert f"{P1[:6]}********{P1[-4:]}" in page and P1 not in page and P2 not in page
    assert portal.client.get("/lists/no-such-list").status_code == 404


def test_statistics_draw_accessible_charts_with_their_numbers_in_tables(portal: Portal) -> None:
    page = portal.client.get("/statistics?lang=en").text
    assert page.count('role="img"') == 3 and page.count("<table>") == 3
    assert '<title id="sizes-t">Members of each public list today</title>' in page
    assert "List of dishonest judgment defaulters: 2" in page  # the chart's description


def test_policies_give_each_item_and_measure_its_legal_basis(portal: Portal) -> None:
    page = portal.client.get("/policies/judgment-defaulters?lang=en").text
    assert page.count("Legal basis") >= 3
    assert "Civil Aviation Administration of China" in page
    assert portal.client.get("/policies/none").status_code == 404


def test_a_persons_number_is_not_looked_up(portal: Portal) -> None:
    page = portal.client.get(f"/lookup?q={P1}&lang=en")
    assert page.status_code == 200 and "Natural persons are not looked up publicly" in page.text
    assert not [e for e in audit(portal.seeded.registry, P1) if e.action.startswith("read.")]


def test_the_base_catalogue_shows_each_entry_with_its_instruments_and_widest_terms(
    portal: Portal,
) -> None:
    listing = portal.client.get("/base-catalogue?lang=zh").text
    assert "基础目录" in listing and "失信被执行人" in listing
    assert 'href="/base-catalogue/BC-JUDGMENT-DEFAULTER"' in listing
    en = portal.client.get("/base-catalogue/BC-JUDGMENT-DEFAULTER?lang=en").text
    assert "Dishonest judgment defaulter" in en and "Fa Shi [2013] No. 17" in en
    assert "Judicial interpretation" in en and "Courts and enforcement of judgments" in en
    assert "People&#39;s court" in en and "black list" in en and "60 months" in en
    assert 'href="/base-measures/BM-HIGH-CONSUMPTION"' in en
    zh = portal.client.get("/base-catalogue/BC-JUDGMENT-DEFAULTER?lang=zh").text
    assert "司法解释" in zh and "司法执行" in zh and "人民法院" in zh and "最宽的期限和范围" in zh
    missing = portal.client.get("/base-catalogue/BC-NONE?lang=zh")
    assert missing.status_code == 404 and "未找到" in missing.text


def test_the_base_measures_show_effect_services_targets_triggers_and_agencies(
    portal: Portal,
) -> None:
    listing = portal.client.get("/base-measures?lang=en").text
    assert "Restriction of high consumption" in listing and "Base measures" in listing
    en = portal.client.get("/base-measures/BM-HIGH-CONSUMPTION?lang=en").text
    assert "denied" in en and "Legal representative" in en and "the subject itself" in en
    assert 'href="/base-catalogue/BC-JUDGMENT-DEFAULTER"' in en
    assert "Civil aviation administration and airlines" in en and "Fa Shi [2010] No. 8" in en
    zh = portal.client.get("/base-measures/BM-EXIT-RESTRICTION?lang=zh").text
    assert "限制出境" in zh and "出入境管理机关" in zh and "信用主体本人、法定代表人" in zh
    assert "法律" in zh
    assert portal.client.get("/base-measures/BM-NONE?lang=en").status_code == 404


def test_policy_pages_link_each_item_and_measure_to_its_base(portal: Portal) -> None:
    en = portal.client.get("/policies/judgment-defaulters?lang=en").text
    assert '<a href="/base-catalogue/BC-JUDGMENT-DEFAULTER">Dishonest judgment defaulter</a>' in en
    assert '<a href="/base-measures/BM-HIGH-CONSUMPTION">Restriction of high consumption</a>' in en
    zh = portal.client.get("/policies/judgment-defaulters?lang=zh").text
    assert '<a href="/base-catalogue/BC-JUDGMENT-DEFAULTER">失信被执行人</a>' in zh
    home = portal.client.get("/?lang=zh").text
    assert '<a href="/base-catalogue">基础目录</a>' in home
    assert '<a href="/base-measures">基础措施清单</a>' in home
