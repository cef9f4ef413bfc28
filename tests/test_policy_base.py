"""The base catalogue and base measures load, keep their own rules, and a defect in them is
reported with the file and line, every problem at once."""

from __future__ import annotations

from importlib import resources

import pytest

from socialcredit.policy.base import base_catalogue, base_documents, check_base
from socialcredit.policy.vocabulary import ADMISSIBLE_CATEGORIES
from socialcredit.policy.yamlsource import SourceDocument, parse_yaml

ROLES = {"legal_representative", "main_responsible_person", "directly_responsible_person",
         "actual_controller"}  # fmt: skip


def test_the_base_loads() -> None:
    base = base_catalogue()
    assert base.edition == "2024"
    assert len(base.entries) >= 25
    assert len(base.measures) >= 10
    assert set(base.roles) == ROLES
    assert set(base.exit_kinds) == {
        "obligation_performed",
        "term_elapsed",
        "decision_revoked",
        "repair_granted",
    }


def test_every_entry_cites_ranked_instruments_and_admissible_matters() -> None:
    base = base_catalogue()
    for entry in base.entries.values():
        assert entry.category in ADMISSIBLE_CATEGORIES
        assert entry.title.en and entry.title.zh
        assert all(i.name and i.article and i.rank in base.ranks for i in entry.instruments)
        assert set(entry.authority_kinds) <= set(base.authority_kinds)


def test_no_authority_kind_is_anonymous_or_a_committee() -> None:
    kinds = " ".join(base_catalogue().authority_kinds)
    for word in ("anonym", "informant", "hotline", "committee", "grid", "resident"):
        assert word not in kinds


def test_no_public_order_penalty_is_in_the_base() -> None:
    base = base_catalogue()
    articles = [i.article for e in base.entries.values() for i in e.instruments
                if "Administration of Public Security" in i.name]  # fmt: skip
    assert articles == ["arts. 33 and 49 only (damage to public supply facilities; theft, fraud, "
                        "seizure of property)"]  # fmt: skip


def test_measures_never_restrict_essential_services_nor_ration_them() -> None:
    base = base_catalogue()
    for measure in base.measures.values():
        for service in measure.services:
            if measure.effect != "benefit":
                assert not base.essential(service)
            else:
                assert not base.services[service].scarce
                assert not base.essential(service) or measure.form == "fare_discount"
        assert set(measure.targets) <= {"subject", *ROLES}


def _altered(name: str, old: str, new: str) -> dict[str, SourceDocument]:
    docs = base_documents()
    resource = resources.files("socialcredit.policy").joinpath(f"data/base/{name}.yaml")
    text = resource.read_text(encoding="utf-8")
    assert old in text
    docs[name] = parse_yaml(text.replace(old, new, 1).encode(), docs[name].path)
    return docs


@pytest.mark.parametrize(
    ("name", "old", "new", "rule"),
    [
        ("catalogue", "    sector: judicial\n", "    sector: civility\n", "xref"),
        ("catalogue", "    category: court_judgment\n", "    category: petitioning\n", "P2"),
        ("catalogue", "    max_counts_for: 5y\n", "    max_counts_for: 10y\n", "P6"),
        (
            "catalogue",
            "    authority_kinds: [court]\n",
            "    authority_kinds: [informant]\n",
            "xref",
        ),
        (
            "measures",
            "    services: [outbound-travel]\n",
            "    services: [hospital-registration]\n",
            "P5",
        ),
        (
            "measures",
            "    services: [public-bike-deposit, rental-deposit]\n",
            "    services: [school-admission]\n",
            "P5",
        ),
        (
            "measures",
            "    targets: [subject, legal_representative]\n",
            "    targets: [subject, spouse]\n",
            "P7",
        ),
        ("measures", "    on_score: false\n", "    on_score: true\n", "P5"),
        (
            "measures",
            "    triggers: [BC-JUDGMENT-DEFAULTER]\n",
            "    triggers: [BC-NOWHERE]\n",
            "xref",
        ),
        ("services", "sector: transport, scarce: false}", "sector: civic, scarce: false}", "xref"),
    ],
)
def test_a_defect_in_the_base_is_located(name: str, old: str, new: str, rule: str) -> None:
    docs = _altered(name, old, new)
    _, problems = check_base(docs)
    assert rule in {p.rule for p in problems}, problems
    problem = next(p for p in problems if p.rule == rule)
    assert problem.location == f"socialcredit/policy/data/base/{name}.yaml"
    assert problem.line is not None and problem.line > 1


def test_every_problem_of_the_base_at_once() -> None:
    docs = _altered("catalogue", "    sector: judicial\n", "    sector: civility\n")
    resource = resources.files("socialcredit.policy").joinpath("data/base/measures.yaml")
    text = resource.read_text(encoding="utf-8").replace(
        "    on_score: false\n", "    on_score: true\n"
    )
    docs["measures"] = parse_yaml(text.encode(), docs["measures"].path)
    _, problems = check_base(docs)
    assert {p.location.rsplit("/", 1)[-1] for p in problems} == {"catalogue.yaml", "measures.yaml"}
    _, clean = check_base(base_documents())
    assert clean == []
