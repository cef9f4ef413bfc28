"""Service providers over HTTP: single and batch checks, scope, bad identifiers, audit."""

from __future__ import annotations

from fastapi.testclient import TestClient

from socialcredit.registry import Registry
from tests.api.conftest import Keys
from tests.api.helpers import audit, counts, problem
from tests.registry.helpers import O1, P1, P2, spc


def _listed(client: TestClient, keys: Keys) -> None:
    response = client.post("/v1/agency/records", json=spc("A1"), headers=keys["court"])
    assert response.status_code == 201


def test_a_check_is_the_decision_not_the_file(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    _listed(client, keys)
    body = {"subject": P1, "service": "flight-booking"}
    found = client.post("/v1/checks", json=body, headers=keys["airline"]).json()
    assert found["effect"] == "deny"
    assert found["reasons"][0]["list"] == "dishonest-judgment-defaulters"
    assert found["remedies"][0]["exit"]
    assert "records" not in found and "assessment" not in found
    entry = audit(registry, P1)[-1]
    assert (entry.action, entry.role, entry.purpose) == (
        "read.subject.check",
        "service",
        "point-of-service check",
    )
    body = {"subject": P2, "service": "flight-booking"}
    assert client.post("/v1/checks", json=body, headers=keys["airline"]).json()["effect"] == "allow"


def test_scope_and_unknown_services(client: TestClient, keys: Keys) -> None:
    outside = {"subject": P1, "service": "public-procurement-bid"}
    problem(client.post("/v1/checks", json=outside, headers=keys["airline"]), 403, "access-denied")
    problem(client.post("/v1/checks", json=outside, headers=keys["court"]), 403, "access-denied")
    problem(client.post("/v1/checks", json=outside), 401, "unauthenticated")
    wrong_key = {"Authorization": "Bearer sck_not-a-key"}
    problem(client.post("/v1/checks", json=outside, headers=wrong_key), 401, "unauthenticated")


def test_batch_answers_in_order_with_one_audit_entry_each(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    _listed(client, keys)
    before = len(audit(registry))
    checks = [
        {"subject": P1, "service": "flight-booking"},
        {"subject": P2, "service": "rail-high-speed"},
        {"subject": O1, "service": "flight-booking"},
        {"subject": P1, "service": "rail-high-speed"},
    ]
    found = client.post("/v1/checks/batch", json={"checks": checks}, headers=keys["airline"])
    results = found.json()["results"]
    assert [(r["subject"], r["effect"]) for r in results] == [
        (P1, "deny"),
        (P2, "allow"),
        (O1, "allow"),
        (P1, "deny"),
    ]
    assert len(audit(registry)) == before + 4
    single = client.post("/v1/checks", json=checks[3], headers=keys["airline"]).json()
    assert single == results[3]


def test_bad_batches_change_nothing(client: TestClient, keys: Keys, registry: Registry) -> None:
    before = counts(registry)
    checks = [
        {"subject": P1, "service": "flight-booking"},
        {"subject": "123", "service": "rail-high-speed"},
    ]
    body = problem(
        client.post("/v1/checks/batch", json={"checks": checks}, headers=keys["airline"]),
        422,
        "identifier-invalid",
    )
    assert [e["index"] for e in body["details"]["invalid"]] == [1]
    unknown = [{"subject": P1, "service": "no-such-service"}]
    problem(
        client.post("/v1/checks/batch", json={"checks": unknown}, headers=keys["airline"]),
        403,
        "access-denied",
    )
    big = {"checks": [{"subject": P1, "service": "flight-booking"}] * 1001}
    problem(
        client.post("/v1/checks/batch", json=big, headers=keys["airline"]), 413, "batch-too-large"
    )
    problem(
        client.post("/v1/checks/batch", json={"checks": []}, headers=keys["airline"]),
        422,
        "request-invalid",
    )
    # Nothing changed but the audit entry of the refused attempt at a service outside the
    # principal's scope (docs/access.md: refused attempts on a subject's data are audited).
    assert counts(registry) == {**before, "audit_log": before["audit_log"] + 1}
