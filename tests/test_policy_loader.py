"""Loader behaviour on small policies written to tmp_path: shape, YAML, references, durations."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialcredit.cli.app import app
from socialcredit.errors import PolicyError, Problem
from socialcredit.policy import check_files, load_policies
from socialcredit.policy.durations import Duration
from socialcredit.policy.screening import Scope, normalise, screen

HEADER = """\
policy:
  id: {pid}
  version: "1"
  title: Test policy
  authority: Test authority
  objection_review_days: 15
"""

SERVICES = """
services:
  - id: {service}
    base: reduced-inspections
    title: Test service
    domain: market_regulation
"""

ITEM = """
items:
  - code: {code}
    base: BC-ADMIN-PENALTY-REGULATORY
    title: Penalty for selling short-weight goods
    area: commercial
    subject_kinds: [person]
    category: administrative_penalty
    polarity: negative
    severity: general
    notice_days: 7
    counts_for: 2y
    disclosure: {{tier: restricted, period: 6m}}
    legal_basis: Test Fee Regulations, art. 9
    authority: Test Market Regulator
    authority_kind: market_regulator
"""

LIST = """
lists:
  - id: {list_id}
    kind: watch
    title: Fee defaulters
    entry:
      items:
        - {{item: {entry_item}, term: 2y}}
    max_duration: 2y
    exit: [{{when: obligation_performed, text: the fees are paid}}]
    repair: {{procedure: Apply with proof of payment., decision_days: 5}}
"""

MEMO = """
memoranda:
  - id: {memo_id}
    title: Restrictions on fee defaulters
    list: {list_id}
    measures:
      - id: deny-{memo_id}
        base: BM-ENHANCED-INSPECTION
        services: [{measure_service}]
        effect: restrict
        legal_basis: Test Fee Regulations, art. 12
        agency: Test Agency
        nexus: The fee pays for the service that is restricted.
"""

MODEL = """
score_models:
  - id: {model_id}
    title: Test points
    domain: civic
    subject_kinds: [person]
    base: 100
    min: 0
    max: 200
    grades:
      - {{grade: A, min: 150}}
      - {{grade: B, min: 100, max: 149}}
      - {{grade: C, max: {c_max}}}
"""


def policy_text(
    pid: str = "test",
    *,
    with_list: bool = True,
    with_model: bool = False,
    **overrides: str | int,
) -> str:
    """A small valid policy (header, service, item, black list, memorandum); ids from ``pid``.

    ``overrides`` replace the placeholders: code, entry_item, measure_service, c_max...
    """
    ids: dict[str, str | int] = {
        "pid": pid,
        "code": "FEE-ARREARS",
        "service": f"{pid}-svc",
        "list_id": f"{pid}-list",
        "memo_id": f"{pid}-memo",
        "model_id": f"{pid}-model",
        "measure_service": f"{pid}-svc",
        "c_max": 99,
    }
    unknown = set(overrides) - set(ids) - {"entry_item"}
    assert not unknown, f"no such placeholder: {unknown}"
    ids.update(overrides)
    ids.setdefault("entry_item", ids["code"])
    parts = [HEADER, SERVICES, ITEM]
    if with_list:
        parts += [LIST, MEMO]
    if with_model:
        parts.append(MODEL)
    return "".join(part.format(**ids) for part in parts)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(*paths: Path) -> list[Problem]:
    with pytest.raises(PolicyError) as info:
        load_policies(list(paths))
    return info.value.problems


def line_of(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column of the ``occurrence``-th line containing ``needle``."""
    found = [
        (n, line.index(needle) + 1)
        for n, line in enumerate(text.splitlines(), start=1)
        if needle in line
    ]
    return found[occurrence - 1]


def test_the_base_policy_loads(tmp_path: Path) -> None:
    text = policy_text(with_model=True)
    loaded = load_policies([write(tmp_path, "ok.yaml", text)])
    assert list(loaded.items) == ["FEE-ARREARS"]
    assert loaded.service_ids() == ("test-svc",)


# --- phase 1: YAML and shape -------------------------------------------------------------------


def test_unknown_key_is_a_schema_problem_at_the_key(tmp_path: Path) -> None:
    text = policy_text().replace("    legal_basis: Test Fee", "    legal_basiss: Test Fee", 1)
    path = write(tmp_path, "typo.yaml", text)
    [problem] = refusal(path)
    assert problem.rule == "schema"
    assert "legal_basiss" in problem.message
    assert (problem.line, problem.column) == line_of(text, "legal_basiss")
    assert problem.render().startswith(f"{path}:{problem.line}:5: [schema] unknown key")


def test_missing_required_key_is_a_schema_problem_at_its_parent(tmp_path: Path) -> None:
    text = policy_text().replace("    counts_for: 2y\n", "")
    [problem] = refusal(write(tmp_path, "missing.yaml", text))
    assert problem.rule == "schema"
    assert "counts_for" in problem.message
    assert (problem.line, problem.column) == line_of(text, "code: FEE-ARREARS")


def test_bad_duration_is_a_schema_problem_at_the_value(tmp_path: Path) -> None:
    text = policy_text().replace("counts_for: 2y", "counts_for: 2w")
    [problem] = refusal(write(tmp_path, "duration.yaml", text))
    assert problem.rule == "schema"
    assert "2w" in problem.message
    assert problem.line == line_of(text, "counts_for: 2w")[0]


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    text = policy_text().replace(
        "    area: commercial\n", "    area: commercial\n    title: Another title\n"
    )
    [problem] = refusal(write(tmp_path, "dupkey.yaml", text))
    assert problem.rule == "yaml"
    assert "'title'" in problem.message
    assert (problem.line, problem.column) == line_of(text, "title: Another title")


def test_yaml_syntax_error(tmp_path: Path) -> None:
    text = policy_text().replace(
        "title: Penalty for selling short-weight goods", "title: [unclosed"
    )
    [problem] = refusal(write(tmp_path, "syntax.yaml", text))
    assert problem.rule == "yaml"
    assert "not valid YAML" in problem.message
    assert problem.line is not None
    assert problem.line >= line_of(text, "[unclosed")[0]
    assert problem.column is not None


def test_empty_file(tmp_path: Path) -> None:
    [problem] = refusal(write(tmp_path, "empty.yaml", "# nothing here\n"))
    assert problem.rule == "schema"
    assert "empty" in problem.message


def test_no_files(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as info:
        load_policies([tmp_path])
    assert info.value.problems == []


# --- phase 2: the index and cross-references ----------------------------------------------------


def test_duplicate_item_code_across_files_names_the_first_file(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", policy_text("alpha", code="SAME-CODE"))
    second_text = policy_text("beta", code="SAME-CODE", with_list=False)
    second = write(tmp_path, "b.yaml", second_text)
    [problem] = refusal(tmp_path)
    assert problem.rule == "duplicate"
    assert problem.location == str(second)
    assert (problem.line, problem.column) == line_of(second_text, "code: SAME-CODE")
    first_line = line_of(policy_text("alpha", code="SAME-CODE"), "code: SAME-CODE")[0]
    assert f"{first}:{first_line}" in problem.message


def test_duplicate_policy_id(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", policy_text("same", code="CODE-A", with_list=False))
    write(tmp_path, "b.yaml", policy_text("same", code="CODE-B", with_list=False))
    problems = refusal(tmp_path)
    assert [p.rule for p in problems] == ["duplicate"]
    assert str(tmp_path / "a.yaml") in problems[0].message


def test_duplicate_policy_id_reports_only_the_duplicate(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", policy_text("same", code="CODE-A", with_list=False))
    b_text = policy_text("same", code="CODE-B").replace("same-list", "other-list")
    write(tmp_path, "b.yaml", b_text)
    problems = refusal(tmp_path)
    assert [p.rule for p in problems] == ["duplicate"]


def test_identical_service_redeclaration_is_allowed(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", policy_text("alpha", code="CODE-A", measure_service="shared"))
    text_b = policy_text("beta", code="CODE-B", measure_service="shared")
    shared = (
        "\n  - id: shared\n    base: reduced-inspections\n    title: Shared\n"
        "    domain: market_regulation\n"
    )
    text_b = text_b.replace("\nitems:", shared + "\nitems:", 1)
    write(tmp_path, "b.yaml", text_b)
    # a.yaml names "shared" without declaring it; b.yaml declares it: the index spans files.
    loaded = load_policies([tmp_path])
    assert loaded.services["shared"].domain == "market_regulation"


def test_service_redeclared_with_another_domain_is_a_duplicate(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", policy_text("alpha", code="CODE-A"))
    text_b = policy_text("beta", code="CODE-B", with_list=False).replace(
        "- id: beta-svc\n    base: reduced-inspections\n    title: Test service\n"
        "    domain: market_regulation",
        "- id: alpha-svc\n    base: flight-booking\n    title: Test service\n    domain: transport",
    )
    write(tmp_path, "b.yaml", text_b)
    [problem] = refusal(tmp_path)
    assert problem.rule == "duplicate"
    assert "alpha-svc" in problem.message


def test_list_naming_an_unknown_item(tmp_path: Path) -> None:
    text = policy_text(entry_item="NO-SUCH-ITEM")
    [problem] = refusal(write(tmp_path, "xref.yaml", text))
    assert problem.rule == "xref"
    assert "'NO-SUCH-ITEM'" in problem.message
    assert "FEE-ARREARS" in problem.message  # the known codes are suggested
    assert problem.line == line_of(text, "item: NO-SUCH-ITEM")[0]


def test_measure_naming_an_undeclared_service(tmp_path: Path) -> None:
    text = policy_text(measure_service="no-such-service")
    [problem] = refusal(write(tmp_path, "service.yaml", text))
    assert problem.rule == "xref"
    assert "'no-such-service'" in problem.message
    assert problem.line == line_of(text, "services: [no-such-service]")[0]


def test_memorandum_naming_an_unknown_list(tmp_path: Path) -> None:
    text = policy_text().replace("    list: test-list", "    list: no-such-list")
    [problem] = refusal(write(tmp_path, "list.yaml", text))
    assert problem.rule == "xref"
    assert (problem.line, problem.column) == line_of(text, "list: no-such-list")


def test_grade_bands_with_a_gap(tmp_path: Path) -> None:
    text = policy_text(with_model=True, c_max=89)
    [problem] = refusal(write(tmp_path, "gap.yaml", text))
    assert problem.rule == "grades"
    assert "band 'B' covers 100..149, expected it to start at 90" in problem.message
    assert problem.line == line_of(text, "grades:")[0]


def test_grade_bands_overlapping(tmp_path: Path) -> None:
    text = policy_text(with_model=True, c_max=120)
    [problem] = refusal(write(tmp_path, "overlap.yaml", text))
    assert problem.rule == "grades"


def test_grade_condition_naming_an_unknown_grade(tmp_path: Path) -> None:
    text = policy_text(with_model=True, with_list=False) + textwrap.dedent(
        """
        memoranda:
          - id: grade-a-benefit
            title: Benefit for grade A
            score: {model: test-model, grades: [AAA]}
            measures:
              - id: benefit-a
                base: BM-FEWER-INSPECTIONS
                services: [test-svc]
                effect: benefit
                legal_basis: Test Regulations, art. 3
                agency: Test Agency
                nexus: A reward granted at the service that publishes the points.
        """
    )
    [problem] = refusal(write(tmp_path, "grade.yaml", text))
    assert problem.rule == "xref"
    assert "'AAA'" in problem.message


def test_all_problems_of_all_files_in_one_error(tmp_path: Path) -> None:
    # 1 problem: an unknown key (phase 1 stops this file).
    write(
        tmp_path,
        "a.yaml",
        policy_text("alpha", code="CODE-A").replace("    legal_basis:", "    legalbasis:", 1),
    )
    # 2 problems: no legal basis (P1), no notice period (P4).
    write(
        tmp_path,
        "b.yaml",
        policy_text("beta", code="CODE-B", with_list=False)
        .replace("    legal_basis: Test Fee Regulations, art. 9\n", "")
        .replace("    notice_days: 7\n", ""),
    )
    # 2 problems: a gap in the grade bands, a list naming an unknown item.
    write(
        tmp_path,
        "c.yaml",
        policy_text("gamma", code="CODE-C", entry_item="CODE-X", with_model=True, c_max=50),
    )
    with pytest.raises(PolicyError) as info:
        load_policies([tmp_path])
    problems = info.value.problems
    found = sorted((Path(p.location).name, p.rule) for p in problems)
    assert found == [
        ("a.yaml", "schema"),
        ("b.yaml", "P1"),
        ("b.yaml", "P4"),
        ("c.yaml", "grades"),
        ("c.yaml", "xref"),
    ]
    assert "5 problem(s)" in info.value.message
    rendered = str(info.value).splitlines()
    assert len(rendered) == 1 + 5
    assert all(p.line is not None for p in problems)
    _, checked = check_files(sorted(tmp_path.glob("*.yaml")))
    assert checked == problems


# --- durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2y", Duration(24, "m")),
        ("6m", Duration(6, "m")),
        ("30d", Duration(30, "d")),
        ("1y", Duration.parse("12m")),
    ],
)
def test_duration_parse(text: str, expected: Duration) -> None:
    assert Duration.parse(text) == expected


@pytest.mark.parametrize("text", ["10x", "0d", "", "y", "-1y", "1.5y", "2 y", "10000d"])
def test_duration_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        Duration.parse(text)


def test_duration_str_round_trips() -> None:
    assert [str(Duration.parse(t)) for t in ("2y", "18m", "30d")] == ["2y", "18m", "30d"]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("1m", date(2024, 1, 31), date(2024, 2, 29)),
        ("1m", date(2023, 1, 31), date(2023, 2, 28)),
        ("1y", date(2024, 2, 29), date(2025, 2, 28)),
        ("30d", date(2024, 2, 15), date(2024, 3, 16)),
        ("3m", date(2024, 11, 30), date(2025, 2, 28)),
    ],
)
def test_duration_calendar_arithmetic(text: str, start: date, end: date) -> None:
    assert Duration.parse(text).after(start) == end


@pytest.mark.parametrize(
    ("shorter", "longer", "expected"),
    [
        ("365d", "1y", True),
        ("366d", "1y", False),
        ("12m", "1y", True),
        ("13m", "1y", False),
        ("1y", "365d", False),
        ("1y", "366d", True),
        ("89d", "3m", True),
        ("93d", "3m", False),
    ],
)
def test_duration_at_most(shorter: str, longer: str, expected: bool) -> None:
    assert Duration.parse(shorter).at_most(Duration.parse(longer)) is expected


# --- the text screening ------------------------------------------------------------------------

EVERY_SCOPE: list[Scope] = ["everywhere", "personal", "authority", "exit", "item", "minors"]


@pytest.mark.parametrize(
    ("text", "matter"),
    [
        ("Spreading rumours online", "political opinion, expression or petitioning"),
        ("SPREADING RUMOURS", "political opinion, expression or petitioning"),
        ("Free Speech", "political opinion, expression or petitioning"),
        ("Face recognition at the gate", "genetic or biometric data"),
        ("Blood-type records", "health"),
        ("Family-planning violation", "reproduction or family planning"),
        ("散布谣言", "political opinion, expression or petitioning"),
        ("越级上访行为", "political opinion, expression or petitioning"),
        ("宗教活动场所", "religion or belief"),
        ("超生子女", "reproduction or family planning"),
        ("維穩對象", "political opinion, expression or petitioning"),  # traditional script
        ("社會撫養費", "reproduction or family planning"),
        ("\u0440\u0435titioning", "political opinion, expression or petitioning"),  # Cyrillic
        ("peti\u200btioning", "political opinion, expression or petitioning"),  # zero-width space
        ("ｐｅｔｉｔｉｏｎｉｎｇ", "political opinion, expression or petitioning"),  # full width
        ("p e t i t i o n i n g", "political opinion, expression or petitioning"),
        ("p3titi0ning", "political opinion, expression or petitioning"),
        ("上 访", "political opinion, expression or petitioning"),
        ("Excessive screen time", "lifestyle and private conduct"),
        ("网络 沉迷", "lifestyle and private conduct"),
        ("Anonymous hotline", "an anonymous or informal source"),
        ("居委会网格员", "an anonymous or informal source"),
        ("renewed at the authority's discretion", "renewal of a listing"),
        ("Still listed at the end of the term", "the chaining of listings"),
        ("Civility score below 600", "lifestyle and private conduct"),
        ("Juvenile offenders", "a minor (a person under 18)"),
    ],
)
def test_screening_matches(text: str, matter: str) -> None:
    assert matter in {hit.term.matter for hit in screen(text, EVERY_SCOPE)}


@pytest.mark.parametrize(
    "text",
    [
        "Interface fees",
        "Surface water charges",
        "Voluntary blood donation",
        "Speechless",
        "Untracked arrears",
        "Court judgment unpaid",
        "法院判决未履行",
        "Bankruptcy petition filed by a creditor",
        "Ministry of Culture and Tourism",
        "Competition law penalty",
        "Renewal of a business licence refused",
        "Minor administrative penalty",
        "Genetically modified soybeans not labelled",
        "Parent company guarantee",
    ],
)
def test_screening_ignores_innocent_text(text: str) -> None:
    assert screen(text, EVERY_SCOPE) == []


def test_personal_words_are_screened_only_in_the_personal_scope() -> None:
    assert screen("Restaurant failed its health inspection", ["everywhere"]) == []
    assert [h.term.matter for h in screen("Health records", ["personal"])] == ["health"]


def test_normalise() -> None:
    assert normalise("ＡＢＣ\u200b維穩") == "abc维稳"
    assert normalise("\u0440\u0435tition") == "petition"


def test_screening_refuses_a_list_title(tmp_path: Path) -> None:
    text = policy_text().replace("title: Fee defaulters", "title: Defaulters who keep petitioning")
    [problem] = refusal(write(tmp_path, "petition.yaml", text))
    assert problem.rule == "P2"
    assert (problem.line, problem.column) == line_of(text, "title: Defaulters who keep petitioning")


def test_unknown_base_widening_and_mixed_kinds_reported_at_once(tmp_path: Path) -> None:
    text = (
        policy_text()
        .replace("    base: BC-ADMIN-PENALTY-REGULATORY\n", "    base: BC-NO-SUCH-ENTRY\n", 1)
        .replace("    subject_kinds: [person]\n", "    subject_kinds: [person, organisation]\n", 1)
    )
    second = policy_text("two", code="CODE-TWO", with_list=False).replace(
        "    counts_for: 2y\n", "    counts_for: 4y\n"
    )
    second = second.replace("    subject_kinds: [person]\n", "    subject_kinds: [household]\n")
    write(tmp_path, "a.yaml", text)
    write(tmp_path, "b.yaml", second)
    result = CliRunner().invoke(app, ["policy", "check", str(tmp_path)])
    assert result.exit_code == 1
    out = result.output + result.stderr
    assert "a.yaml" in out and "BC-NO-SUCH-ENTRY" in out and "[P1]" in out
    assert "b.yaml" in out and "[schema]" in out
    widened = policy_text("three", code="CODE-THREE", with_list=False).replace(
        "    counts_for: 2y\n", "    counts_for: 4y\n"
    )
    write(tmp_path, "c.yaml", widened)
    problems = refusal(tmp_path)
    assert {(Path(p.location).name, p.rule) for p in problems} >= {
        ("a.yaml", "P1"),
        ("b.yaml", "schema"),
        ("c.yaml", "P6"),
    }
    assert all(p.line is not None for p in problems)


def test_an_item_naming_a_score_model_is_a_laundered_score(tmp_path: Path) -> None:
    text = policy_text(with_model=True).replace(
        "title: Penalty for selling short-weight goods", "title: Short of Test points at review"
    )
    problems = refusal(write(tmp_path, "laundered.yaml", text))
    assert [p.rule for p in problems] == ["P5"]
    assert "test-model" in problems[0].message
    lawful = policy_text(with_model=True).replace("title: Test points", "title: Penalty")
    assert load_policies([write(tmp_path, "lawful.yaml", lawful)]).items
