"""Every registry command, through the Typer application, on both backends."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from socialcredit.api.views import RecordOut, SubjectFileOut
from socialcredit.cli.app import app
from tests.registry.conftest import EXAMPLES
from tests.registry.helpers import COURT, P1, spc

RUNNER = CliRunner()


def run(*args: str, code: int = 0) -> str:
    result = RUNNER.invoke(app, list(args))
    assert result.exit_code == code, result.output + result.stderr
    return result.output + result.stderr


@pytest.fixture
def db(db_url: str, tmp_path: Path) -> str:
    run("db", "upgrade", "--db", db_url)
    run("init", "--db", db_url, "--policy", str(EXAMPLES), "--as-of", "2025-01-01")
    return db_url


def test_registry_commands_end_to_end(db: str, tmp_path: Path) -> None:
    records = tmp_path / "court.jsonl"
    lines = [
        spc("c-1"),
        {**spc("c-2"), "item": "RC-FRAUD"},
        spc("c-3", subject="440524188001010014"),
    ]
    records.write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    out = run("records", "submit", str(records), "--agency", COURT, "--db", db, code=1)
    assert "stored      │     2" in out and "quarantined │     1" in out
    assert "in 3 = stored 2 + unchanged 0 + quarantined 1" in out
    again = run("records", "submit", str(records), "--agency", COURT, "--db", db, code=1)
    assert "in 3 = stored 0 + unchanged 2 + quarantined 1" in again
    listed = run("records", "quarantine", "list", "--agency", COURT, "--db", db, "--raw")
    assert "RC-FRAUD" in listed and "2 of 2" in listed
    fixed = tmp_path / "fixed.jsonl"
    fixed.write_text(json.dumps(spc("c-2")) + "\n")
    ids = [line.split()[1] for line in listed.splitlines() if "c-2" in line and "│" in line]
    resubmitted = run(
        "records",
        "quarantine",
        "resubmit",
        ids[0],
        "--agency",
        COURT,
        "--file",
        str(fixed),
        "--db",
        db,
    )
    assert "registered" in resubmitted
    assert "deny" in run("check", P1, "flight-booking", "--db", db, "--actor", "airline")
    decision = json.loads(run("check", P1, "flight-booking", "--db", db, "--json"))
    assert decision["effect"] == "deny" and decision["remedies"]
    run("records", "dispute", "c-1", "--agency", COURT, "--db", db, code=2)  # no grounds
    filed = run("records", "dispute", "c-1", "--agency", COURT, "--grounds", "paid", "--db", db)
    assert f"to be decided by 2025-01-16 by {COURT}" in " ".join(filed.split())
    decide = ("records", "decide-dispute", "c-1", "--agency", COURT, "--outcome", "upheld")
    run(*decide, "--db", db, code=2)  # no reason
    assert "upheld on 2025-01-01" in run(*decide, "--reason", "not paid", "--db", db)
    resolve = ("records", "resolve", "c-1", "--agency", COURT, "--on", "2025-01-06")
    run(*resolve, "--db", db, code=2)  # no reason
    run(*resolve, "--reason", "paid in full", "--db", db)
    revoke = ("records", "revoke", "c-3", "--agency", COURT, "--reason", "set aside on appeal")
    run(*revoke, "--on", "2025-01-06", "--db", db)
    run(*revoke, "--on", "2025-01-07", "--db", db, code=1)
    run(
        "records",
        "decide-dispute",
        "c-3",
        "--agency",
        COURT,
        "--outcome",
        "upheld",
        "--reason",
        "no objection was filed",
        "--db",
        db,
        code=1,
    )
    assert "2025-01-01 -> 2025-06-01" in run(
        "registry", "tick", "--as-of", "2025-06-01", "--db", db
    )
    assert "Records and their history" in run("subject", "show", P1, "--db", db, "--purpose", "x")
    found = json.loads(run("subject", "show", P1, "--db", db, "--json"))
    assert set(found) == set(SubjectFileOut.model_fields)  # the API's GET .../file
    assert set(found["records"][0]) == set(RecordOut.model_fields)
    history = [e["kind"] for e in found["records"][0]["history"]]
    assert {"disputed", "dispute decided", "resolved"} <= set(history)
    accesses = run("subject", "accesses", P1, "--db", db)
    assert "airline" in accesses
    assert "intact" in run("audit", "verify", "--db", db)
    assert "0 record(s) deleted" in run("registry", "retention", "--db", db)
    notices = tmp_path / "notices.jsonl"
    assert "0 failed" in run("registry", "deliver", "--to", str(notices), "--db", db)
    assert notices.read_text().count("\n") >= 2
    assert "unchanged" in run("policy", "load", str(EXAMPLES), "--db", db)


def test_uninitialised_database_is_a_clear_error(tmp_path: Path) -> None:
    out = run("check", P1, "flight-booking", "--db", f"sqlite:///{tmp_path / 'x.db'}", code=1)
    assert "socialcredit init" in out


def test_the_demo_shows_the_readme_subject_as_the_readme_assesses_it(
    db: str, tmp_path: Path
) -> None:
    """``make demo``'s steps (fewer generated subjects): the README subject's scores in the
    registry on 2025-06-01 are those of the README's ``assess`` of the example records."""
    examples = EXAMPLES.parents[1] / "examples" / "records.jsonl"
    out = tmp_path / "records"
    run("registry", "tick", "--as-of", "2025-06-01", "--db", db)  # the demo's date
    run("registry", "demo-data", "--out", str(out), "--subjects", "50", "--include", str(examples))
    for line in (out / "agencies.tsv").read_text(encoding="utf-8").splitlines():
        path, agency = line.split("\t")
        run("records", "submit", path, "--agency", agency, "--db", db)
    shown = json.loads(run("subject", "show", P1, "--db", db, "--json"))["assessment"]
    assessed = json.loads(
        run(
            "assess",
            "--policy",
            str(EXAMPLES),
            "--records",
            str(examples),
            "--as-of",
            "2025-06-01",
            "--subject",
            P1,
            "--json",
        )
    )

    # the registry names records by its keys (r<id>), the file by the agencies' ids
    def figures(assessment: dict[str, Any]) -> dict[str, Any]:
        return {
            "scores": {
                model: (s["value"], s["grade"], sorted(c["points"] for c in s["contributions"]))
                for model, s in assessment["scores"].items()
            },
            "lists": sorted(m["list"] for m in assessment["lists"]),
            "effects": {k: d["effect"] for k, d in assessment["decisions"].items()},
        }

    assert figures(shown) == figures(assessed)
    assert figures(shown)["scores"]["rongcheng-personal"][:2] == (960, "A")


MAPPINGS = EXAMPLES.parents[1] / "examples" / "mappings"


def test_mapped_exports_preview_and_submit(db: str, tmp_path: Path) -> None:
    court_map, court_csv = MAPPINGS / "court-enforcement.yaml", MAPPINGS / "court-enforcement.csv"
    shown = run("records", "preview", str(court_csv), "--mapping", str(court_map), "--rows", "2",
                "--db", db, "--json")  # fmt: skip
    rows = [json.loads(line) for line in shown.splitlines() if line.startswith("{")]
    assert [r["line"] for r in rows] == [2, 3] and all(r["problems"] == [] for r in rows)
    assert rows[1]["record"]["decided_on"] == "2024-02-06"
    submitted = run("records", "submit", str(court_csv), "--mapping", str(court_map),
                    "--agency", COURT, "--db", db)  # fmt: skip
    assert "in 12 = stored 12 + unchanged 0 + quarantined 0" in submitted
    links_map = MAPPINGS / "market-registration.yaml"
    links_csv = MAPPINGS / "market-registration.csv"
    links = run("records", "preview", str(links_csv), "--mapping", str(links_map), "--db", db,
                "--json")  # fmt: skip
    assert '"role": "legal_representative"' in links
    agency = "Local administration for market regulation"
    stored = run("records", "submit", str(links_csv), "--mapping", str(links_map), "--agency",
                 agency, "--db", db)  # fmt: skip
    assert "quarantined 0" in stored
    other = run("records", "submit", str(court_csv), "--mapping", str(court_map), "--agency",
                agency, "--db", db, code=1)  # fmt: skip
    assert "its own mappings" in other
    foreign = tmp_path / "foreign.yaml"
    foreign.write_text(
        court_map.read_text(encoding="utf-8").replace("SPC-EVADE", "ENT-TAX-ARREARS")
    )
    bad = run("records", "preview", str(court_csv), "--mapping", str(foreign), "--db", db, code=1)
    assert re.search(r"foreign\.yaml:\d+:\d+: \[mapping\] agency .* does not establish", bad)
    header, first = court_csv.read_bytes().decode("gb18030").splitlines()[:2]
    spoiled = tmp_path / "spoiled.csv"
    wrong = first.replace("SX202400001", "SX202499999").replace(",01,", ",09,")
    spoiled.write_bytes(f"{header}\n{wrong}\n".encode("gb18030"))
    out = run("records", "submit", str(spoiled), "--mapping", str(court_map), "--agency", COURT,
              "--db", db, code=1)  # fmt: skip
    assert "in 1 = stored 0 + unchanged 0 + quarantined 1" in out
    listed = run("records", "quarantine", "list", "--agency", COURT, "--db", db)
    entry = next(line.split()[1] for line in listed.splitlines() if "SX202499999" in line)
    spoiled.write_bytes(f"{header}\n{wrong.replace(',09,', ',01,')}\n".encode("gb18030"))
    fixed = run("records", "quarantine", "resubmit", entry, "--agency", COURT, "--file",
                str(spoiled), "--mapping", str(court_map), "--db", db)  # fmt: skip
    assert f"{entry}: registered" in fixed
    assert "0 of 0" in run("records", "quarantine", "list", "--agency", COURT, "--db", db)
