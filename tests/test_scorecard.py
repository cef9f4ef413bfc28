"""Scorecards: refused at load with file, line and principle; computed by the engine with each
characteristic's value, bin and points and the reasons the score is not higher."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from socialcredit.cli.app import app
from socialcredit.cli.subject_report import render_assessment_body
from socialcredit.engine import Record, assess
from socialcredit.engine.scorecard import card_result, months_between
from socialcredit.policy import PolicySet, check_files, load_policies
from socialcredit.policy.scorecard_models import MAY_BE_MISSING, Scorecard
from tests.strategies import PERSON, as_of_dates, record_lists

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "policies" / "examples" / "commercial-credit.yaml"
MODEL = "commercial-credit"


@pytest.fixture(scope="module")
def policies() -> PolicySet:
    return load_policies([EXAMPLE])


def _document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return loaded


def _card(doc: dict[str, Any]) -> dict[str, Any]:
    card: dict[str, Any] = doc["score_models"][0]["scorecard"]
    return card


def _problems(doc: dict[str, Any], tmp_path: Path) -> list[tuple[str, str, int | None]]:
    path = tmp_path / "card.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    _parsed, problems = check_files([path])
    assert all(p.location == str(path) for p in problems)
    return [(p.rule, p.message, p.line) for p in problems]


def test_the_example_is_accepted(tmp_path: Path) -> None:
    assert _problems(_document(), tmp_path) == []


def _only(problems: list[tuple[str, str, int | None]], rule: str, words: str) -> int:
    assert len(problems) == 1, problems
    found_rule, message, line = problems[0]
    assert found_rule == rule and words in message, problems
    assert line is not None
    return line


def test_overlapping_bins_are_refused(tmp_path: Path) -> None:
    doc = _document()
    _card(doc)["characteristics"][1]["bins"][1]["below"] = 2000  # 1..1999 over 1000..9999
    _only(_problems(doc, tmp_path), "bins", "without gap or overlap")


def test_a_gap_between_bins_is_refused(tmp_path: Path) -> None:
    doc = _document()
    ch = _card(doc)["characteristics"][4]
    del ch["bins"][2]  # nothing from 3 up
    ch["bins"][1]["points"] = 150  # the range stays reachable
    _only(_problems(doc, tmp_path), "bins", "no bin holds values from 3 up")


def test_a_missing_value_without_its_bin_is_refused(tmp_path: Path) -> None:
    doc = _document()
    _card(doc)["characteristics"][0]["bins"].pop(0)
    problems = _problems(doc, tmp_path)
    assert (
        "bins",
        "characteristic 'obligations-performed' needs exactly one bin with missing: true",
    ) in [(r, m) for r, m, _ in problems]


def test_broken_monotonic_points_are_refused(tmp_path: Path) -> None:
    doc = _document()
    _card(doc)["characteristics"][2]["bins"][3]["points"] = -120  # 24+ months worse than 12-23
    _only(_problems(doc, tmp_path), "bins", "declared increasing")


def test_an_unreachable_range_is_refused(tmp_path: Path) -> None:
    doc = _document()
    _card(doc)["characteristics"][4]["bins"][2]["points"] = 100  # the best now sums to 900
    line = _only(_problems(doc, tmp_path), "scorecard", "cannot reach its published range")
    assert line > 1


def test_a_characteristic_over_an_unknown_item_is_refused(tmp_path: Path) -> None:
    doc = _document()
    _card(doc)["characteristics"][0]["records"] = {"items": ["CC-NO-SUCH-ITEM"]}
    _only(_problems(doc, tmp_path), "xref", "unknown item 'CC-NO-SUCH-ITEM'")


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("region_prefix", "Province of the identity number"),
        ("identity_prefix", "First six digits of the identity number"),
        ("age", "Age of the person"),
        ("count", "Records by gender"),
        ("count", "Ethnic group"),
    ],
)
def test_a_protected_characteristic_is_refused(kind: str, title: str, tmp_path: Path) -> None:
    doc = _document()
    ch = _card(doc)["characteristics"][4]
    ch["kind"], ch["title"] = kind, title
    found = [(r, m) for r, m, _ in _problems(doc, tmp_path) if r == "P2"]
    assert found and "protected matter" in found[0][1]


def test_an_unknown_kind_is_refused_by_principle_2(tmp_path: Path) -> None:
    doc = _document()
    _card(doc)["characteristics"][4]["kind"] = "purchases"
    del _card(doc)["characteristics"][4]["window"]
    _only(_problems(doc, tmp_path), "P2", "a characteristic is one of")


def test_a_scorecard_never_restricts(tmp_path: Path) -> None:
    doc = _document()
    measure = doc["memoranda"][0]["measures"][0]
    measure["effect"] = "restrict"
    problems = _problems(doc, tmp_path)
    assert any(rule == "P5" for rule, _m, _l in problems), problems


def test_items_give_no_points_to_a_scorecard(tmp_path: Path) -> None:
    doc = _document()
    doc["items"][0]["points"] = {MODEL: -20}
    _only(_problems(doc, tmp_path), "scorecard", "from its characteristics' bins only")


# --- the engine ---------------------------------------------------------------------------------


def _record(rid: str, item: str, decided: date, **extra: Any) -> Record:
    return Record(rid, PERSON, "person", item, decided, "A", f"REF-{rid}", **extra)


def test_months_between_counts_whole_calendar_months() -> None:
    assert months_between(date(2024, 1, 31), date(2024, 2, 28)) == 0  # 29 Feb 2024 is a month
    assert months_between(date(2024, 1, 31), date(2024, 2, 29)) == 1
    assert months_between(date(2023, 5, 15), date(2024, 5, 14)) == 11
    assert months_between(date(2023, 5, 15), date(2024, 5, 15)) == 12
    assert months_between(date(2024, 5, 15), date(2024, 5, 1)) == 0


def test_a_person_with_no_record_scores_the_base(policies: PolicySet) -> None:
    score = assess(policies, [], PERSON, date(2025, 1, 1)).to_dict()["scores"][MODEL]
    assert (score["value"], score["grade"]) == (600, "good")
    assert [c["bin"] for c in score["characteristics"]] == [
        "missing",
        "< 1",
        "missing",
        "missing",
        "< 1",
    ]
    assert [r["code"] for r in score["reasons"]] == [
        "history-length",
        "voluntary-records",
        "obligations-performed",
    ]
    assert [r["points_short"] for r in score["reasons"]] == [160, 150, 40]


def test_arrears_and_performance_by_hand(policies: PolicySet) -> None:
    """A loan arrears of 1,500.80 yuan paid, fee arrears of 300.50 unpaid: half the
    obligations performed (-60), 300 yuan owed (-50): 600 - 60 - 50 = 490, poor."""
    records = [
        _record(
            "a",
            "CC-LOAN-OVERDUE",
            date(2024, 3, 1),
            amount=Decimal("1500.80"),
            resolved_on=date(2024, 6, 1),
        ),
        _record("b", "CC-FEE-ARREARS", date(2024, 5, 1), amount=Decimal("300.50")),
    ]
    found = assess(policies, records, PERSON, date(2024, 9, 1)).to_dict()["scores"][MODEL]
    values = {c["id"]: (c["value"], c["points"]) for c in found["characteristics"]}
    assert values["obligations-performed"] == (50, -60)
    assert values["arrears-amount"] == (300, -50)
    assert found["value"] == 490 and found["grade"] == "poor"
    assert found["reasons"][0]["code"] == "history-length"


def test_the_score_is_clamped_to_the_published_range(policies: PolicySet) -> None:
    records = [
        _record("a", "CC-LOAN-OVERDUE", date(2024, 3, 1), amount=Decimal("20000")),
        _record("j", "CC-JUDGMENT-UNPERFORMED", date(2024, 4, 1)),
    ]
    found = assess(policies, records, PERSON, date(2024, 9, 1)).to_dict()["scores"][MODEL]
    assert sum(c["points"] for c in found["characteristics"]) == -120 - 150 - 150
    assert found["value"] == 350


def _card_of(policies: PolicySet) -> Scorecard:
    card = policies.models[MODEL].scorecard
    assert card is not None
    return card


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_points_are_monotonic_where_declared(policies: PolicySet, data: st.DataObject) -> None:
    card = _card_of(policies)
    values: list[int | None] = [
        data.draw(
            st.one_of(st.none(), st.integers(0, 20000))
            if ch.kind in MAY_BE_MISSING
            else st.integers(0, 20000)
        )
        for ch in card.characteristics
    ]
    base = card_result(card, values)
    for i, ch in enumerate(card.characteristics):
        if ch.monotonic == "none" or values[i] is None:
            continue
        higher = list(values)
        higher[i] = values[i] + data.draw(st.integers(1, 5000))  # type: ignore[operator]
        moved = card_result(card, higher)
        step = sum(f.points for f in moved.factors) - sum(f.points for f in base.factors)
        assert step >= 0 if ch.monotonic == "increasing" else step <= 0


@settings(max_examples=100, deadline=None)
@given(data=st.data(), day=as_of_dates())
def test_the_score_stays_inside_its_range(
    policies: PolicySet, data: st.DataObject, day: date
) -> None:
    records = data.draw(record_lists(policies))
    found = assess(policies, records, PERSON, day).to_dict()["scores"][MODEL]
    assert 350 <= found["value"] <= 950
    raw = 600 + sum(c["points"] for c in found["characteristics"])
    assert found["value"] == min(950, max(350, raw))
    assert len(found["reasons"]) <= 4


def test_document_copies_do_not_share_state() -> None:
    first = _document()
    second = copy.deepcopy(first)
    _card(second)["characteristics"].clear()
    assert _card(first)["characteristics"]


# --- the reports ----------------------------------------------------------------------------------

GOLDEN = ROOT / "tests" / "golden" / "scorecard-excellent-red-list"


def test_the_readable_report_shows_characteristics_and_reasons() -> None:
    runner = CliRunner()
    args = ["assess", "-p", str(EXAMPLE), "-r", str(GOLDEN / "records.jsonl")]
    result = runner.invoke(app, [*args, "--as-of", "2025-06-01"])
    assert result.exit_code == 0, result.output
    assert "voluntary-records" in result.output and "1 to 2" in result.output
    assert "Not higher because: Few voluntary positive records" in result.output


def test_the_subject_file_shows_characteristics_and_reasons() -> None:
    body = json.loads((GOLDEN / "expected.json").read_text(encoding="utf-8"))
    console = Console(record=True, width=120)
    render_assessment_body(body, console)
    text = console.export_text()
    assert "history-length" in text and ">= 18" in text and "+160" in text
    assert (
        "Not higher because: Few voluntary positive records (voluntary-records, 90 points)" in text
    )
