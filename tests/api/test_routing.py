"""Objections go to the reviewers of the authority that decided the record, who decide them
within a deadline counted in working days on the official calendar (National Day 2025: 1 to 8
October off, Saturday 11 October worked)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from socialcredit.registry import Registry
from socialcredit.registry.workflows.policies import load_policy_files
from tests.api.conftest import ADMIN, Keys
from tests.api.helpers import audit, counts, problem
from tests.registry.helpers import P1, spc

ROOT = Path(__file__).resolve().parents[2]
FILE = f"/v1/subjects/{P1}"


def _working_days_policy(registry: Registry, tmp_path: Path) -> None:
    text = (ROOT / "policies" / "examples" / "judgment-defaulters.yaml").read_text("utf-8")
    text = text.replace('version: "2017.1"', 'version: "2017.1-wd"').replace(
        "  objection_review_days: 15\n",
        "  objection_review_days: 15\n  objection_review_in: working_days\n",
    )
    path = tmp_path / "judgment-defaulters.yaml"
    path.write_text(text, "utf-8")
    load_policy_files(registry, [path], ADMIN)


def _tick(client: TestClient, keys: Keys, day: str) -> None:
    assert client.post("/v1/admin/tick", json={"as_of": day}, headers=keys["admin"]).is_success


def test_a_court_objection_is_decided_by_the_court_after_the_holiday(
    client: TestClient, keys: Keys, registry: Registry, tmp_path: Path
) -> None:
    _working_days_policy(registry, tmp_path)
    record = spc("W1", decided=date(2025, 9, 1))
    _tick(client, keys, "2025-09-30")  # a record is never decided after the registry's date
    assert client.post("/v1/agency/records", json=record, headers=keys["court"]).is_success
    body = {"record": "r1", "grounds": "the debt was paid before the judgment"}
    filed = client.post(f"{FILE}/objections", json=body, headers=keys["subject"]).json()
    # 15 working days after 30 September: 9, 10, 11 (Saturday, worked), 13 ... 28 October
    assert filed["deadline"] == "2025-10-28"

    queue = client.get("/v1/review/objections", headers=keys["reviewer"]).json()["items"]
    assert [o["id"] for o in queue] == [filed["id"]]
    assert client.get("/v1/review/objections", headers=keys["tax-reviewer"]).json()["total"] == 0

    _tick(client, keys, "2025-10-20")  # past 15 calendar days, within 15 working days
    assert (
        client.post(
            "/v1/checks", json={"subject": P1, "service": "flight-booking"}, headers=keys["airline"]
        ).json()["effect"]
        == "deny"
    )  # disputed, not suspended: the deadline has not passed

    url = f"/v1/review/objections/{filed['id']}/decision"
    decision = {"outcome": "upheld", "reason": "no payment before the judgment is shown"}
    before = counts(registry)
    refused = client.post(url, json=decision, headers=keys["tax-reviewer"])
    body = problem(refused, 403, "access-denied")
    assert "The enforcing people's court" in body["detail"]
    assert counts(registry)["audit_log"] == before["audit_log"] + 1  # the refusal, audited
    assert audit(registry, P1)[-1].action == "refuse.review.authority"

    decided = client.post(url, json=decision, headers=keys["reviewer"]).json()
    assert (decided["status"], decided["outcome"], decided["overdue"]) == (
        "decided",
        "upheld",
        False,
    )
    notices = client.get(f"{FILE}/notices", headers=keys["subject"]).json()["items"]
    assert notices[-1]["body"]["late"] is False
    found = client.get(f"{FILE}/file", headers=keys["subject"]).json()
    kinds = [e["kind"] for e in found["records"][0]["history"]]
    assert kinds[-2:] == ["disputed", "dispute decided"]  # never suspended
