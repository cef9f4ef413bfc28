"""``socialcredit links submit``: valid lines stored, refused lines listed with their reasons
(exit 1), the same file again unchanged; the link in both subjects' files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.registry.helpers import COURT, O1, P1, P2, spc
from tests.registry.linkhelpers import REGULATOR, legal_rep
from tests.registry.test_cli import db, run

__all__ = ["db"]  # the fixture


def test_links_submit_end_to_end(db: str, tmp_path: Path) -> None:
    court = tmp_path / "court.jsonl"
    court.write_text(json.dumps(spc("J1", subject=O1)) + "\n")
    run("records", "submit", str(court), "--agency", COURT, "--db", db)
    links = tmp_path / "links.csv"
    rows = [
        legal_rep("L1", O1, P1),
        legal_rep("L2", O1, P2),  # a second legal representative at the same time
        legal_rep("L3", P2, P1),  # a person where the organisation belongs
    ]
    with links.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    found = run("links", "submit", str(links), "--agency", REGULATOR, "--db", db, code=1)
    assert "registered │     1" in found and "refused    │     2" in found
    assert f"{links}:3: [link] link 'L2': link 'L2' overlaps link L1:" in " ".join(found.split())
    assert f"{links}:4: [link] link 'L3': organisation '{P2}' is a person's" in found
    again = run("links", "submit", str(links), "--agency", REGULATOR, "--db", db, code=1)
    assert "unchanged  │     1" in again
    court_links = run("links", "submit", str(links), "--agency", COURT, "--db", db, code=1)
    assert "cannot establish a link as legal_representative" in " ".join(court_links.split())
    assert "deny" in run("check", P1, "rail-high-speed", "--db", db)
    for subject in (P1, O1):
        shown = json.loads(run("subject", "show", subject, "--db", db, "--json"))
        assert [link["id"] for link in shown["links"]] == ["L1"]
    dispute = ("links", "dispute", "L1", "--agency", REGULATOR, "--db", db)
    filed = run(*dispute, "--grounds", "I resigned", code=0)
    assert f"link L1 disputed on 2025-01-01, to be decided by 2025-01-16 by {REGULATOR}" in (
        " ".join(filed.split())
    )
    decide = ("links", "decide-dispute", "L1", "--agency", REGULATOR, "--db", db)
    run(*decide, "--outcome", "corrected", "--reason", "no", code=1)  # a link is not corrected
    assert "revoked on 2025-01-01" in run(*decide, "--outcome", "revoked", "--reason", "gone")
    run(*decide, "--outcome", "upheld", "--reason", "again", code=1)  # nothing pending
    assert "allow" in run("check", P1, "rail-high-speed", "--db", db)
    assert "deny" in run("check", O1, "rail-high-speed", "--db", db)


def test_links_list_shows_only_the_agencys_links(db: str, tmp_path: Path) -> None:
    links = tmp_path / "links.jsonl"
    links.write_text(json.dumps(legal_rep("L1", O1, P1)) + "\n")
    run("links", "submit", str(links), "--agency", REGULATOR, "--db", db)
    finding = tmp_path / "finding.jsonl"
    controller = legal_rep("C1", O1, P2, role="actual_controller", source="court_finding")
    finding.write_text(json.dumps(controller) + "\n")
    run("links", "submit", str(finding), "--agency", COURT, "--db", db)
    found = run("links", "list", "--agency", REGULATOR, "--db", db, "--json")
    [mine] = [json.loads(line) for line in found.splitlines()]
    assert (mine["id"], mine["person"], mine["role"]) == ("L1", P1, "legal_representative")
    assert [e["kind"] for e in mine["events"]] == ["submitted"]
    table = run("links", "list", "--agency", COURT, "--db", db)
    assert "C1" in table and "L1" not in table and "1 of 1" in table
