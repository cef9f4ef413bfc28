"""Each policy under policies/refused is refused, for the principle its comment names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialcredit.cli.app import app
from socialcredit.errors import PolicyError
from socialcredit.policy import check_files, load_policies

ROOT = Path(__file__).resolve().parents[1]
REFUSED = ROOT / "policies" / "refused"

EXPECTED_RULE = {
    # text: euphemisms, official jargon, traditional script, look-alikes, fields beyond the title
    "euphemism-irregular-petitioning.yaml": "P2",
    "euphemism-social-maintenance-fee.yaml": "P2",
    "jargon-weiwen.yaml": "P2",
    "jargon-internet-addiction.yaml": "P2",
    "traditional-script.yaml": "P2",
    "lookalike-letters.yaml": "P2",
    "leetspeak-and-spacing.yaml": "P2",
    "abuse-in-legal-basis.yaml": "P2",
    "abuse-in-nexus.yaml": "P2",
    "abuse-in-header.yaml": "P2",
    "public-order-penalty.yaml": "P2",
    "family-pressure-nexus.yaml": "P2",
    "religion-item.yaml": "P2",
    "speech-score.yaml": "P2",
    "family-planning.yaml": "P2",
    "scorecard-region-prefix.yaml": "P2",
    # structure
    "no-base-entry.yaml": "P1",
    "mixed-subject-kinds.yaml": "P1",
    "no-legal-basis.yaml": "P1",
    "anonymous-authority.yaml": "P3",
    "grid-committee-authority.yaml": "P3",
    "authority-kind-outside-base.yaml": "P3",
    "no-notice.yaml": "P4",
    "renamed-domain.yaml": "P5",
    "score-laundering.yaml": "P5",
    "black-list-by-score.yaml": "P5",
    "benefit-framing.yaml": "P5",
    "essential-service-priority.yaml": "P5",
    "recruitment-priority.yaml": "P5",
    "minor-fine-to-flight-ban.yaml": "P5",
    "service-outside-base-measure.yaml": "P5",
    "list-colour-not-admitted.yaml": "P5",
    "no-nexus.yaml": "P5",
    "chained-retention.yaml": "P6",
    "ten-year-retention.yaml": "P6",
    "minor-disclosed-long.yaml": "P6",
    "wider-than-base.yaml": "P6",
    "public-list-of-restricted-records.yaml": "P6",
    "household-targets.yaml": "P7",
    "children-targets.yaml": "P7",
    "roles-on-a-person.yaml": "P7",
    "responsible-persons-without-basis.yaml": "P7",
    "renewal-exit.yaml": "P8",
    "no-exit.yaml": "P8",
    "objection-deadline.yaml": "P9",
    "minor-public-disclosure.yaml": "P13",
    "minors-listed.yaml": "P13",
}


def _refusal(path: Path) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        load_policies([path])
    return info.value


def test_every_refused_policy_is_in_the_table() -> None:
    assert sorted(p.name for p in REFUSED.glob("*.yaml")) == sorted(EXPECTED_RULE)


@pytest.mark.parametrize(("name", "rule"), sorted(EXPECTED_RULE.items()))
def test_refused_for_the_expected_rule(name: str, rule: str) -> None:
    path = REFUSED / name
    error = _refusal(path)
    rules = [p.rule for p in error.problems]
    assert rule in rules, str(error)
    # Each file is minimal: it is refused for its one reason and nothing else.
    assert set(rules) == {rule}, str(error)
    pattern = re.compile(rf"^{re.escape(str(path))}:(\d+):(\d+): \[{rule}\] \S")
    for problem in (p for p in error.problems if p.rule == rule):
        assert problem.location == str(path)
        assert problem.line is not None
        assert problem.column is not None
        match = pattern.match(problem.render())
        assert match, problem.render()
        assert int(match.group(1)) == problem.line
        assert problem.render() in str(error)


@pytest.mark.parametrize("name", sorted(EXPECTED_RULE))
def test_refused_file_says_why_in_its_first_line(name: str) -> None:
    first = (REFUSED / name).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(f"# Refused ({EXPECTED_RULE[name]}, ")


@pytest.mark.parametrize("name", sorted(EXPECTED_RULE))
def test_refused_policy_does_not_load_alongside_the_examples(name: str) -> None:
    with pytest.raises(PolicyError):
        load_policies([ROOT / "policies" / "examples", REFUSED / name])


def test_no_refused_policy_loads() -> None:
    files = sorted(REFUSED.glob("*.yaml"))
    assert len(files) >= 40
    loaded = []
    for path in files:
        try:
            load_policies([path])
        except PolicyError:
            continue
        loaded.append(path.name)
    assert loaded == []
    with pytest.raises(PolicyError):
        load_policies([REFUSED])


def test_refused_policies_checked_together_report_each_reason() -> None:
    # Codes are unique across the refused files, so checking them together reports exactly the
    # problems each one has alone: no file hides another's reason.
    _, problems = check_files(sorted(REFUSED.glob("*.yaml")))
    rules: dict[str, set[str]] = {}
    for problem in problems:
        rules.setdefault(Path(problem.location).name, set()).add(problem.rule)
    assert rules == {name: {rule} for name, rule in EXPECTED_RULE.items()}


def test_a_registry_stores_nothing_from_a_set_with_a_problem(tmp_path: Path) -> None:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'registry.db'}"
    lawful = ROOT / "policies" / "accepted" / "gm-food-labelling.yaml"

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, [*args, "--db", db])
        return result.exit_code, result.output + result.stderr

    assert (
        run("init", "--policy", str(ROOT / "policies" / "examples"), "--as-of", "2025-01-01")[0]
        == 0
    )
    code, out = run(
        "policy",
        "load",
        str(lawful),
        str(REFUSED / "jargon-weiwen.yaml"),
        str(REFUSED / "household-targets.yaml"),
    )
    assert code == 1
    assert "jargon-weiwen.yaml" in out and "household-targets.yaml" in out
    assert "[P2]" in out and "[P7]" in out
    code, out = run("policy", "load", str(lawful))
    assert code == 0
    assert "loaded  accepted-gm-food-labelling" in out  # it had not been stored before
