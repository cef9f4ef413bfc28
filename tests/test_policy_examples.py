"""The example policies load, together and alone, and say exactly what the sources say."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcredit.policy import PolicySet, check_files, load_policies
from socialcredit.policy.base import base_catalogue
from socialcredit.policy.durations import Duration
from socialcredit.policy.policyset import PolicyInfo
from socialcredit.policy.vocabulary import Polarity, Severity

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "policies" / "examples"
EXAMPLE_FILES = (
    "rongcheng.yaml",
    "judgment-defaulters.yaml",
    "enterprise.yaml",
    "commercial-credit.yaml",
)


@pytest.fixture(scope="module")
def policies() -> PolicySet:
    # PolicySet and the models in it are frozen: sharing one across tests shares no mutable state.
    return load_policies([EXAMPLES])


def _info(policies: PolicySet, policy_id: str) -> PolicyInfo:
    return next(info for info in policies.policies if info.id == policy_id)


def test_examples_directory_holds_the_four_policies() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.yaml")) == sorted(EXAMPLE_FILES)


def test_examples_load_together_without_problems(policies: PolicySet) -> None:
    parsed, problems = check_files(sorted(EXAMPLES.glob("*.yaml")))
    assert [p.render() for p in problems] == []
    assert len(parsed) == 4
    assert sorted(p.id for p in policies.policies) == [
        "commercial-credit",
        "enterprise",
        "judgment-defaulters",
        "rongcheng",
    ]


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_each_example_loads_alone(name: str) -> None:
    loaded = load_policies([EXAMPLES / name])
    assert len(loaded.policies) == 1
    assert loaded.policies[0].source == str(EXAMPLES / name)
    assert len(loaded.policies[0].sha256) == 64


# --- rongcheng ---------------------------------------------------------------------------------


def test_rongcheng_header_and_model(policies: PolicySet) -> None:
    assert _info(policies, "rongcheng").objection_review_days == 15
    model = policies.models["rongcheng-personal"]
    assert (model.domain, model.subject_kinds) == ("civic", ["person"])
    assert (model.base, model.min, model.max) == (1000, 0, 2000)


def test_rongcheng_grade_bands(policies: PolicySet) -> None:
    bands = [(b.grade, b.min, b.max) for b in policies.models["rongcheng-personal"].grades]
    assert bands == [
        ("AAA", 1050, None),
        ("AA", 1030, 1049),
        ("A", 960, 1029),
        ("B", 850, 959),
        ("C", 600, 849),
        ("D", None, 599),
    ]


RONGCHENG_ITEMS = [
    # code, points, severity, counts_for
    ("RC-CONTRACT-NONPERFORMANCE", -20, "general", "2y"),
    ("RC-BREACH-JUDGMENT", -50, "general", "2y"),
    ("RC-BANK-ARREARS", -10, "minor", "1y"),
    ("RC-DEBT-JUDGMENT", -30, "general", "2y"),
    ("RC-FRAUD", -30, "general", "2y"),
    ("RC-COUNTERFEIT", -30, "serious", "3y"),
    ("RC-UTILITY-LATE", -20, "minor", "1y"),
    ("RC-UTILITY-ARREARS-COURT", -50, "general", "2y"),
    ("RC-UTILITY-THEFT", -60, "serious", "3y"),
    ("RC-UTILITY-DAMAGE", -100, "serious", "3y"),
    ("RC-VOLUNTEER-100H", 10, None, "1y"),
    ("RC-BLOOD-DONATION", 5, None, "1y"),
    ("RC-MUNICIPAL-HONOUR", 30, None, "2y"),
]


def test_rongcheng_catalogue_is_exactly_the_reported_one(policies: PolicySet) -> None:
    codes = {c for c, policy in policies.item_policy.items() if policy == "rongcheng"}
    assert codes == {row[0] for row in RONGCHENG_ITEMS}


@pytest.mark.parametrize(("code", "points", "severity", "counts_for"), RONGCHENG_ITEMS)
def test_rongcheng_item(
    policies: PolicySet, code: str, points: int, severity: str | None, counts_for: str
) -> None:
    item = policies.items[code]
    assert item.points == {"rongcheng-personal": points}
    assert item.counts_for == Duration.parse(counts_for)
    assert item.subject_kinds == ["person"]
    if points < 0:
        assert item.polarity is Polarity.NEGATIVE
        assert item.severity == Severity(severity)
        assert item.notice_days == 7
    else:
        assert item.polarity is Polarity.POSITIVE


def test_rongcheng_utility_damage(policies: PolicySet) -> None:
    item = policies.items["RC-UTILITY-DAMAGE"]
    assert item.points["rongcheng-personal"] == -100
    assert item.severity is Severity.SERIOUS
    assert str(item.counts_for) == "3y"


def test_rongcheng_positive_categories(policies: PolicySet) -> None:
    assert policies.items["RC-VOLUNTEER-100H"].category == "volunteer_service"
    assert policies.items["RC-BLOOD-DONATION"].category == "donation"
    assert policies.items["RC-BLOOD-DONATION"].title == "Voluntary blood donation"
    assert policies.items["RC-MUNICIPAL-HONOUR"].category == "honour_award"


def test_rongcheng_aaa_red_list_and_benefits(policies: PolicySet) -> None:
    red = policies.lists["rongcheng-aaa"]
    assert red.kind == "red"
    assert red.entry.score is not None
    assert (red.entry.score.model, red.entry.score.grades) == ("rongcheng-personal", ["AAA"])
    assert red.max_duration == Duration.parse("1y")
    assert red.exit
    assert red.repair is not None
    memo = next(m for m in policies.memoranda.values() if m.list_id == "rongcheng-aaa")
    assert {m.effect for m in memo.measures} == {"benefit"}
    assert {s for m in memo.measures for s in m.services} == {
        "public-bike-deposit",
        "municipal-services-priority",
    }
    assert policies.services["public-bike-deposit"].domain == "rental"
    assert policies.services["municipal-services-priority"].domain == "government_services"
    assert {m.base for m in memo.measures} == {"BM-DEPOSIT-FREE-RENTAL", "BM-FAST-TRACK-SERVICES"}


# --- judgment defaulters -----------------------------------------------------------------------

SPC_ITEMS = [
    # code, severity, counts_for, list term
    ("SPC-REFUSE", "general", "3y", "until_resolved"),
    ("SPC-OBSTRUCT-VIOLENCE", "serious", "3y", "3y"),
    ("SPC-EVADE", "general", "2y", "2y"),
    ("SPC-ASSET-REPORT", "general", "2y", "2y"),
    ("SPC-CONSUMPTION-ORDER", "general", "2y", "2y"),
    ("SPC-SETTLEMENT", "general", "2y", "2y"),
]


@pytest.mark.parametrize(("code", "severity", "counts_for", "term"), SPC_ITEMS)
def test_spc_item_and_list_term(
    policies: PolicySet, code: str, severity: str, counts_for: str, term: str
) -> None:
    item = policies.items[code]
    assert (item.area, item.category) == ("judicial", "court_judgment")
    assert item.subject_kinds == ["person", "organisation"]
    assert item.severity == Severity(severity)
    assert item.counts_for == Duration.parse(counts_for)
    assert item.notice_days == 7
    assert (item.base, item.authority_kind) == ("BC-JUDGMENT-DEFAULTER", "court")
    entries = policies.lists["dishonest-judgment-defaulters"].entry.items
    written = {e.item: e.term for e in entries}
    expected = term if term == "until_resolved" else Duration.parse(term)
    assert written[code] == expected


def test_spc_refuse_is_listed_until_resolved(policies: PolicySet) -> None:
    entries = policies.lists["dishonest-judgment-defaulters"].entry.items
    assert next(e.term for e in entries if e.item == "SPC-REFUSE") == "until_resolved"


def test_defaulter_list(policies: PolicySet) -> None:
    lst = policies.lists["dishonest-judgment-defaulters"]
    assert lst.kind == "black"
    assert lst.max_duration == Duration.parse("5y")
    assert len(lst.exit) == 4
    assert lst.repair is not None
    assert lst.repair.decision_days == 3
    assert [e.item for e in lst.entry.items] == [row[0] for row in SPC_ITEMS]
    assert _info(policies, "judgment-defaulters").objection_review_days == 15


def test_consumption_restrictions_deny_seven_services(policies: PolicySet) -> None:
    memo = policies.memoranda["consumption-restrictions"]
    assert memo.list_id == "dishonest-judgment-defaulters"
    subject_measures = [m for m in memo.measures if m.targets == ["subject"]]
    assert [s for m in subject_measures for s in m.services] == [
        "flight-booking",
        "rail-soft-sleeper",
        "rail-high-speed",
        "hotel-star-rated",
        "real-estate-purchase",
        "luxury-travel",
        "public-procurement-bid",
    ]
    assert {m.effect for m in memo.measures} == {"deny"}
    for measure in memo.measures:
        assert measure.legal_basis
        assert measure.agency
        assert measure.nexus
    procurement = next(m for m in memo.measures if "public-procurement-bid" in m.services)
    assert procurement.subject_kinds == ["organisation"]


def test_responsible_persons_measure_is_for_organisations_only(policies: PolicySet) -> None:
    memo = policies.memoranda["consumption-restrictions"]
    extended = [m for m in memo.measures if "subject" not in m.targets]
    assert len(extended) == 1
    assert extended[0].targets == [
        "legal_representative",
        "main_responsible_person",
        "directly_responsible_person",
        "actual_controller",
    ]
    assert extended[0].base == "BM-HIGH-CONSUMPTION"
    assert extended[0].subject_kinds == ["organisation"]
    assert "public-procurement-bid" not in extended[0].services


def test_no_measure_reaches_schools(policies: PolicySet) -> None:
    # Art. 3(1)(7) of the 2015 provisions (high-fee private schools) is left out: principle 7.
    assert not [s for s in policies.services if "school" in s]
    text = (EXAMPLES / "judgment-defaulters.yaml").read_text(encoding="utf-8")
    assert "principle 7" in text


DOMAINS = {
    "flight-booking": "transport",
    "rail-soft-sleeper": "transport",
    "rail-high-speed": "transport",
    "hotel-star-rated": "culture_tourism",
    "real-estate-purchase": "real_estate",
    "luxury-travel": "culture_tourism",
    "public-procurement-bid": "public_procurement",
    "business-licence-renewal": "government_services",
    "reduced-inspections": "market_regulation",
}


@pytest.mark.parametrize(("service", "domain"), DOMAINS.items())
def test_service_domains(policies: PolicySet, service: str, domain: str) -> None:
    assert policies.services[service].domain == domain
    assert policies.services[service].base == service


def test_every_item_and_measure_rests_on_the_base(policies: PolicySet) -> None:
    base = base_catalogue()
    for item in policies.items.values():
        assert item.base in base.entries
        assert item.authority_kind in base.entries[item.base].authority_kinds
    for memo in policies.memoranda.values():
        assert all(m.base in base.measures for m in memo.measures)


# --- enterprise --------------------------------------------------------------------------------


def test_enterprise_is_for_organisations_only(policies: PolicySet) -> None:
    codes = [c for c, policy in policies.item_policy.items() if policy == "enterprise"]
    assert len(codes) >= 10
    for code in codes:
        assert policies.items[code].subject_kinds == ["organisation"]


def test_enterprise_score_model(policies: PolicySet) -> None:
    model = policies.models["enterprise-compliance"]
    assert (model.domain, model.base, model.min, model.max) == ("regulation", 100, 0, 120)
    assert [b.grade for b in model.grades] == ["A", "B", "C", "D"]


def test_enterprise_lists(policies: PolicySet) -> None:
    red = policies.lists["a-grade-taxpayers"]
    assert red.kind == "red"
    assert [e.item for e in red.entry.items] == ["ENT-A-GRADE-TAXPAYER"]
    assert red.entry.excluded_by == ["serious-violators"]
    assert policies.items["ENT-A-GRADE-TAXPAYER"].category == "honour_award"
    assert policies.lists["serious-violators"].kind == "black"
    assert policies.lists["abnormal-operations"].kind == "watch"


def test_enterprise_memoranda(policies: PolicySet) -> None:
    by_trigger = {
        (m.list_id, m.score.model if m.score else None): m for m in policies.memoranda.values()
    }
    deny = by_trigger[("serious-violators", None)].measures
    assert [(m.effect, m.services) for m in deny] == [("deny", ["public-procurement-bid"])]
    watch = by_trigger[("abnormal-operations", None)].measures
    assert [(m.effect, m.services) for m in watch] == [("restrict", ["business-licence-renewal"])]
    red = by_trigger[("a-grade-taxpayers", None)].measures
    assert [(m.effect, m.services) for m in red] == [("benefit", ["reduced-inspections"])]
    scored = by_trigger[(None, "enterprise-compliance")]
    assert scored.score is not None
    assert scored.score.grades == ["A"]
    assert {m.effect for m in scored.measures} == {"benefit"}
