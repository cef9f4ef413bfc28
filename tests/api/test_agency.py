"""Agencies over HTTP: submission (single, batch, idempotent), scoping, status changes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from socialcredit.registry import Registry
from tests.api.conftest import Keys
from tests.api.helpers import audit, counts, problem
from tests.registry.helpers import P1, P2, spc

URL = "/v1/agency/records"


def test_submit_is_idempotent_and_conflicts_are_refused(client: TestClient, keys: Keys) -> None:
    court = keys["court"]
    first = client.post(URL, json=spc("A1"), headers=court)
    assert (first.status_code, first.json()) == (201, {"record": "A1", "status": "registered"})
    again = client.post(URL, json=spc("A1"), headers=court)
    assert (again.status_code, again.json()["status"]) == (200, "unchanged")
    changed = spc("A1", reference="(2024) other")
    problem(client.post(URL, json=changed, headers=court), 409, "record-conflict")


def test_bad_input_gets_a_precise_problem_and_changes_nothing(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    court = keys["court"] | {"Content-Type": "application/json"}
    before = counts(registry)
    problem(client.post(URL, content=b'{"id": "A1",', headers=court), 400, "json-malformed")
    unknown = problem(
        client.post(URL, json=spc("A1") | {"colour": "red"}, headers=court), 422, "request-invalid"
    )
    assert unknown["details"]["errors"][0]["location"] == ["body", "colour"]
    bad_id = problem(
        client.post(URL, json=spc("A1", subject="110105194912310021"), headers=court),
        422,
        "record-invalid",
    )
    assert "check character" in str(bad_id["details"]["problems"])
    assert counts(registry) == before


def test_another_authoritys_item_is_forbidden_and_audited(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    before = counts(registry)
    body = problem(client.post(URL, json=spc("T1"), headers=keys["tax"]), 403, "access-denied")
    assert body["details"]["items"] == ["SPC-REFUSE"]
    after = counts(registry)
    assert after["records"] == before["records"] and after["notices"] == before["notices"]
    denied = audit(registry, P1)[-1]
    assert (denied.action, denied.role) == ("denied.record.submit", "agency")
    assert denied.actor.endswith(":tax")


def test_batch_reports_every_entry(client: TestClient, keys: Keys, registry: Registry) -> None:
    records = [spc("B1"), spc("B2", subject=P2), spc("B3", decided_on="2024-13-01")]
    bad_date = client.post(f"{URL}/batch", json={"records": records}, headers=keys["court"])
    problem(bad_date, 422, "request-invalid")
    records[2] = spc("B3", item="SPC-NOPE")
    found = client.post(f"{URL}/batch", json={"records": records}, headers=keys["court"]).json()
    assert (found["registered"], found["refused"]) == (2, 1)
    assert found["outcomes"][2]["status"] == "refused"
    assert "SPC-NOPE" in found["outcomes"][2]["reasons"][0]
    assert counts(registry)["records"] == 2


def test_oversize_batch_is_413_and_changes_nothing(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    before = counts(registry)
    records = [spc(f"X{i}") for i in range(1001)]
    response = client.post(f"{URL}/batch", json={"records": records}, headers=keys["court"])
    problem(response, 413, "batch-too-large")
    assert counts(registry) == before


def test_status_changes_and_reads_stay_within_the_agency(client: TestClient, keys: Keys) -> None:
    court = keys["court"]
    client.post(URL, json=spc("A1"), headers=court)
    client.post(URL, json=spc("A2", subject=P2), headers=court)
    problem(client.get(f"{URL}/A1", headers=keys["tax"]), 404, "not-found")
    without = client.post(f"{URL}/A1/resolve", json={"on": "2025-01-01"}, headers=court)
    assert without.status_code == 422  # a resolution states its reason
    paid = {"on": "2025-01-01", "reason": "paid in full, receipt 2025-001"}
    resolved = client.post(f"{URL}/A1/resolve", json=paid, headers=court).json()
    assert resolved["status"]["resolved_on"] == "2025-01-01"
    assert resolved["history"][-1]["kind"] == "resolved"
    assert resolved["history"][-1]["details"]["reason"] == "paid in full, receipt 2025-001"
    notices = client.get(f"/v1/subjects/{P1}/notices", headers=keys["subject"]).json()["items"]
    assert notices[-1]["kind"] == "record-status"
    assert notices[-1]["body"]["reason"] == "paid in full, receipt 2025-001"
    twice = client.post(f"{URL}/A1/resolve", json={"reason": "again"}, headers=court)
    problem(twice, 422, "lifecycle-invalid")
    page = client.get(URL, params={"limit": 1}, headers=court).json()
    assert (page["total"], page["next_offset"], page["items"][0]["source_id"]) == (2, 1, "A1")
    assert client.get(URL, params={"limit": 101}, headers=court).status_code == 422


def test_correction_replaces_the_record(client: TestClient, keys: Keys) -> None:
    court = keys["court"]
    client.post(URL, json=spc("A1"), headers=court)
    fixed = spc("A1-c", reference="(2024) Jing 0105 Zhi A1 corrected")
    body = {"record": fixed, "reason": "wrong reference"}
    out = client.post(f"{URL}/A1/correct", json=body, headers=court)
    assert out.json() == {"record": "A1-c", "status": "registered"}
    old = client.get(f"{URL}/A1", headers=court).json()
    assert old["status"]["revoked_on"] == "2025-01-01"
    assert old["history"][-1]["details"]["corrected_by"] == "A1-c"
    problem(client.post(f"{URL}/A1/correct", json=body, headers=court), 422, "lifecycle-invalid")
