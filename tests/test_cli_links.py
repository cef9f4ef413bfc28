"""``socialcredit assess --links`` and ``socialcredit batch assess --links``: the court scenario
from files, and bad links refused with every reason."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from socialcredit.ingest import read_records
from socialcredit.policy import load_policies
from tests.batch.conftest import write_links, write_records
from tests.conftest import ROOT
from tests.test_cli import run
from tests.test_golden import case_links

COURT = str(ROOT / "policies" / "examples" / "judgment-defaulters.yaml")
CASE = ROOT / "tests" / "golden" / "link-legal-representative-denied"
PERSON, ORG = "11010519491231002X", "91350100M000100Y43"


def _assess(*extra: str) -> tuple[int, str, str]:
    records = str(CASE / "records.jsonl")
    return run("assess", "-p", COURT, "-r", records, "--as-of", "2025-06-01", *extra)


def test_assess_with_links_reaches_the_legal_representative() -> None:
    code, out, _ = _assess("--links", str(CASE / "links.jsonl"), "--json")
    assert code == 0
    bodies = {b["subject"]: b for b in map(json.loads, out.strip().splitlines())}
    assert sorted(bodies) == sorted([ORG, PERSON])  # the linked person without records too
    person = bodies[PERSON]
    assert person["decisions"]["flight-booking"]["effect"] == "deny"
    assert person["decisions"]["rail-high-speed"]["reasons"][0]["link"]["id"] == "k1"
    assert person["links"][0]["status"] == "holding"
    code, out, _ = _assess("--links", str(CASE / "links.jsonl"), "-s", PERSON)
    assert code == 0
    assert "through link k1" in out and "Links" in out


def test_assess_without_links_does_not_reach() -> None:
    code, out, _ = _assess("--json", "-s", PERSON)
    assert code == 0
    assert json.loads(out)["decisions"]["flight-booking"]["effect"] == "allow"


def test_bad_links_are_refused_with_every_reason(tmp_path: Path) -> None:
    bad = tmp_path / "links.csv"
    bad.write_text(
        "id,organisation,person,role,valid_from,source,authority,reference\n"
        f"k1,{PERSON},{ORG},uncle,2020-01-01,rumour,,\n"
        f"k2,{ORG},{PERSON},legal_representative,2020-01-01,registration,SAMR,R-1\n"
        f"k3,{ORG},{PERSON},legal_representative,2021-01-01,registration,SAMR,R-2\n"
        f"k2,{ORG},110105194912310021,legal_representative,2020-01-01,registration,SAMR,R-3\n",
        encoding="utf-8",
    )
    code, _, err = _assess("--links", str(bad))
    assert code == 1
    assert "3 of 4 link line(s) are invalid" in err
    assert "links.csv:2: [link] link 'k1': organisation" in err
    assert "must be an organisation's identifier" in err
    assert "must be a person's identifier" in err
    assert "role 'uncle' is not a base role" in err
    assert "source 'rumour'" in err
    assert "a link needs its establishing authority" in err
    assert "overlaps link 'k2' (line 3)" in err
    assert "links.csv:5:" in err
    code, out, err = _assess("--links", str(bad), "--skip-invalid", "--json", "-s", PERSON)
    assert code == 0
    assert json.loads(out)["decisions"]["flight-booking"]["effect"] == "deny"


def test_batch_assess_with_links_across_partitions(tmp_path: Path) -> None:
    policies = load_policies([Path(COURT)])
    records = read_records(CASE / "records.jsonl", policies).records
    write_records(records, tmp_path / "records" / "bucket=1" / "part-0.parquet")
    write_links(case_links(CASE), tmp_path / "links" / "links.parquet")
    out = tmp_path / "out"
    code, _, err = run(
        "batch",
        "assess",
        "-p",
        COURT,
        "-r",
        str(tmp_path / "records"),
        "--as-of",
        "2025-06-01",
        "-o",
        str(out),
        "--links",
        str(tmp_path / "links"),
    )
    assert code == 0, err
    decisions = pq.read_table(out / "decisions").to_pylist()
    denied = {r["service"] for r in decisions if r["subject"] == PERSON}
    assert {"flight-booking", "rail-high-speed"} <= denied
    assert (out / "decisions" / "part-linked.parquet").is_file()  # no record: its own partition
