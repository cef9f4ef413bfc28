"""Subjects over HTTP: the own file and only it, accesses, copies, objections, repair."""

from __future__ import annotations

from fastapi.testclient import TestClient

from socialcredit.registry import Registry
from tests.api.conftest import Keys
from tests.api.helpers import audit, counts, problem
from tests.registry.helpers import P1, P2, spc

FILE = f"/v1/subjects/{P1}"


def _setup(client: TestClient, keys: Keys) -> None:
    for record in (spc("A1"), spc("A2", subject=P2)):
        assert client.post("/v1/agency/records", json=record, headers=keys["court"]).is_success


def test_the_own_file_holds_everything(client: TestClient, keys: Keys) -> None:
    _setup(client, keys)
    found = client.get(f"{FILE}/file", headers=keys["subject"]).json()
    assert found["subject"] == P1 and found["kind"] == "person"
    assert [r["source_id"] for r in found["records"]] == ["A1"]
    kinds = [e["kind"] for e in found["records"][0]["history"]]
    assert kinds == ["notice served", "effective", "registered"]  # by date
    assert found["assessment"]["lists"][0]["list"] == "dishonest-judgment-defaulters"
    assert found["assessment"]["decisions"]["flight-booking"]["effect"] == "deny"
    assert "scores" in found["assessment"]
    assert found["notices"][0]["kind"] == "record"
    notices = client.get(f"{FILE}/notices", headers=keys["subject"]).json()
    assert notices["total"] == len(found["notices"])


def test_another_subjects_file_is_refused_and_audited(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    _setup(client, keys)
    for path in ("file", "export", "accesses", "objections", "repairs", "notices"):
        response = client.get(f"/v1/subjects/{P2}/{path}", headers=keys["subject"])
        problem(response, 403, "access-denied")
    entries = audit(registry, P2)
    assert entries[-1].action == "denied.subject.file"
    assert not [e for e in entries if e.action.startswith("read.")]
    problem(
        client.get("/v1/subjects/12345/file", headers=keys["subject"]), 422, "identifier-invalid"
    )


def test_every_read_and_refusal_is_listed_to_the_subject(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    _setup(client, keys)
    check = {"subject": P1, "service": "flight-booking"}
    client.post("/v1/checks", json=check, headers=keys["airline"] | {"X-Purpose": "booking"})
    refused = client.get(f"{FILE}/file", headers=keys["reviewer"])  # nothing to decide yet
    problem(refused, 403, "access-denied")
    client.post(
        f"{FILE}/objections", json={"record": "r1", "grounds": "x"}, headers=keys["subject"]
    )
    assert client.get(f"{FILE}/file", headers=keys["reviewer"]).status_code == 200
    page = client.get(f"{FILE}/accesses", headers=keys["subject"]).json()
    issued, *items = page["items"]  # first, the fixture's key issued to the subject
    assert issued["action"] == "issue.subject.key"
    seen = [(e["who"].split(":")[-1], e["role"], e["action"], e["purpose"]) for e in items]
    assert seen == [
        ("airline", "service", "read.subject.check", "booking"),
        ("reviewer", "reviewer", "denied.subject.file", "read the subject's file"),
        ("reviewer", "reviewer", "read.subject.file", "read the subject's file"),
    ]
    second = client.get(f"{FILE}/accesses", params={"offset": 4}, headers=keys["subject"]).json()
    assert [e["action"] for e in second["items"]] == ["read.subject.accesses"]
    assert audit(registry, P1)[-1].action == "read.subject.accesses"


def test_two_free_copies_a_year_are_counted(client: TestClient, keys: Keys) -> None:
    _setup(client, keys)
    copies = [client.get(f"{FILE}/export", headers=keys["subject"]) for _ in range(3)]
    assert "attachment" in copies[0].headers["content-disposition"]
    assert [c.json()["file_copy"]["free"] for c in copies] == [True, True, False]
    assert [c.json()["file_copy"]["number"] for c in copies] == [1, 2, 3]
    assert copies[2].json()["file"]["records"][0]["source_id"] == "A1"


def test_objection_marks_the_record_disputed_at_once(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    _setup(client, keys)
    before = counts(registry)
    other = {"record": "r2", "grounds": "not mine"}
    problem(
        client.post(f"{FILE}/objections", json=other, headers=keys["subject"]), 404, "not-found"
    )
    assert counts(registry) == before
    body = {"record": "r1", "grounds": "I paid the debt before the decision"}
    filed = client.post(f"{FILE}/objections", json=body, headers=keys["subject"])
    assert filed.status_code == 201
    assert (filed.json()["deadline"], filed.json()["status"]) == ("2025-01-16", "pending")
    found = client.get(f"{FILE}/file", headers=keys["subject"]).json()
    assert found["records"][0]["status"]["disputed_on"] == "2025-01-01"
    assert found["notices"][-1]["kind"] == "objection"
    again = client.post(f"{FILE}/objections", json=body, headers=keys["subject"])
    problem(again, 422, "lifecycle-invalid")
    listed = client.get(f"{FILE}/objections", headers=keys["subject"]).json()
    assert listed["total"] == 1


def test_repair_needs_a_membership(client: TestClient, keys: Keys) -> None:
    body = {
        "list": "dishonest-judgment-defaulters",
        "statement": "paid",
        "obligation_performed": True,
    }
    problem(
        client.post(f"{FILE}/repairs", json=body, headers=keys["subject"]), 422, "request-invalid"
    )
    _setup(client, keys)
    unknown = body | {"list": "no-such-list"}
    problem(client.post(f"{FILE}/repairs", json=unknown, headers=keys["subject"]), 404, "not-found")
    assert client.post(f"{FILE}/repairs", json=body, headers=keys["subject"]).status_code == 201
    problem(
        client.post(f"{FILE}/repairs", json=body, headers=keys["subject"]), 409, "registry-error"
    )
