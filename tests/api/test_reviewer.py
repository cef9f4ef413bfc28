"""Reviewers over HTTP: queues with deadlines, decisions with reasons, deadlines passing."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from socialcredit.registry import Registry
from tests.api.conftest import Keys
from tests.api.helpers import counts, problem
from tests.registry.helpers import P1, P2, spc

FILE = f"/v1/subjects/{P1}"
REPAIR = {
    "list": "dishonest-judgment-defaulters",
    "statement": "paid in full on 2024-12-30",
    "obligation_performed": True,
    "commitment": True,
}


def _object(client: TestClient, keys: Keys) -> int:
    for record in (spc("A1"), spc("A2", subject=P2)):
        assert client.post("/v1/agency/records", json=record, headers=keys["court"]).is_success
    body = {"record": "r1", "grounds": "the judgment was set aside"}
    response = client.post(f"{FILE}/objections", json=body, headers=keys["subject"])
    objection: int = response.json()["id"]
    return objection


def _effect(client: TestClient, keys: Keys) -> str:
    body = {"subject": P1, "service": "flight-booking"}
    effect: str = client.post("/v1/checks", json=body, headers=keys["airline"]).json()["effect"]
    return effect


def _file_and_decide_repair(
    client: TestClient, keys: Keys, grant: bool, reason: str
) -> tuple[str, dict[str, Any]]:
    """File the repair application, decide it; its decision URL and the decided application."""
    filed = client.post(f"{FILE}/repairs", json=REPAIR, headers=keys["subject"]).json()
    assert (filed["deadline"], filed["records"]) == ("2025-01-04", ["r1"])
    queue = client.get("/v1/review/repairs", headers=keys["reviewer"]).json()["items"]
    assert [q["id"] for q in queue] == [filed["id"]]
    url = f"/v1/review/repairs/{filed['id']}/decision"
    decided = client.post(url, json={"grant": grant, "reason": reason}, headers=keys["reviewer"])
    return url, decided.json()


def test_deciding_twice_is_refused_and_changes_nothing(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    objection = _object(client, keys)
    queue = client.get("/v1/review/objections", headers=keys["reviewer"]).json()
    assert [(o["id"], o["deadline"], o["overdue"]) for o in queue["items"]] == [
        (objection, "2025-01-16", False)
    ]
    url = f"/v1/review/objections/{objection}/decision"
    decided = client.post(
        url, json={"outcome": "revoked", "reason": "set aside on appeal"}, headers=keys["reviewer"]
    )
    assert (decided.json()["status"], decided.json()["outcome"]) == ("decided", "revoked")
    assert _effect(client, keys) == "allow"
    before = counts(registry)
    again = client.post(
        url, json={"outcome": "upheld", "reason": "second thoughts"}, headers=keys["reviewer"]
    )
    problem(again, 409, "already-decided")
    assert counts(registry) == before
    problem(
        client.post(
            "/v1/review/objections/999/decision",
            json={"outcome": "upheld", "reason": "x"},
            headers=keys["reviewer"],
        ),
        404,
        "not-found",
    )
    notices = client.get(f"{FILE}/notices", headers=keys["subject"]).json()["items"]
    assert notices[-1]["kind"] == "decision"
    assert notices[-1]["body"]["reason"] == "set aside on appeal"
    assert client.get("/v1/review/objections", headers=keys["reviewer"]).json()["total"] == 0


def test_an_objection_undecided_in_time_suspends_the_record(client: TestClient, keys: Keys) -> None:
    objection = _object(client, keys)
    assert _effect(client, keys) == "deny"
    tick = client.post("/v1/admin/tick", json={"as_of": "2025-01-20"}, headers=keys["admin"])
    assert tick.json()["overdue_objections"] == 1
    assert _effect(client, keys) == "allow"
    found = client.get(f"{FILE}/file", headers=keys["subject"]).json()
    assert found["assessment"]["records"][0]["status"] == "suspended"
    assert found["notices"][-1]["kind"] == "suspension"
    assert tick.json()["escalated"] == 1  # overdue, so past any escalation horizon
    queue = client.get("/v1/review/objections", headers=keys["reviewer"]).json()["items"]
    assert queue[0]["overdue"] is True and queue[0]["escalated_on"] == "2025-01-20"
    url = f"/v1/review/objections/{objection}/decision"
    upheld = client.post(
        url, json={"outcome": "upheld", "reason": "the judgment stands"}, headers=keys["reviewer"]
    )
    assert upheld.json()["outcome"] == "upheld"
    assert _effect(client, keys) == "deny"
    again = client.post("/v1/admin/tick", json={"as_of": "2025-01-21"}, headers=keys["admin"])
    assert (again.json()["overdue_objections"], again.json()["escalated"]) == (0, 0)


def test_granted_repair_ends_the_listing_within_the_deadline(
    client: TestClient, keys: Keys
) -> None:
    _object(client, keys)
    url, granted = _file_and_decide_repair(client, keys, True, "receipt from the court")
    assert (granted["status"], granted["listing_ended"]) == ("granted", True)
    assert _effect(client, keys) == "allow"
    found = client.get(f"{FILE}/file", headers=keys["subject"]).json()
    assert found["assessment"]["lists"] == []
    assert found["records"][0]["status"]["resolved_on"] == "2025-01-01"
    kinds = [n["kind"] for n in found["notices"]]
    assert "list-exit" in kinds and kinds.count("repair") == 2
    problem(
        client.post(url, json={"grant": False, "reason": "x"}, headers=keys["reviewer"]),
        409,
        "already-decided",
    )


def test_refused_repair_keeps_the_listing(client: TestClient, keys: Keys) -> None:
    _object(client, keys)
    _, refused = _file_and_decide_repair(client, keys, False, "no proof of payment")
    assert (refused["status"], refused["listing_ended"]) == ("refused", False)
    assert _effect(client, keys) == "deny"
    done = client.get(
        "/v1/review/repairs", params={"status": "refused"}, headers=keys["reviewer"]
    ).json()
    assert done["total"] == 1
