"""Looking a subject up by 18 digits over HTTP: a check tries both kinds' check characters and,
valid as both, reads them as the subject the registry holds, or else asks which (``kind``)
where the two kinds' answers differ; the public lookup, of organisations only, reads 18 digits
as a credit code when its check character passes (the portal's: tests/web/test_lookup_kinds.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from socialcredit.registry import Registry
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.api.conftest import Keys
from tests.api.helpers import problem
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, spc
from tests.registry.test_lookup_kinds import BOTH, DIGIT_CODE, UNHELD, USCC


def registered(registry: Registry) -> None:
    for record_id, subject in (("k-1", BOTH), ("k-2", DIGIT_CODE)):
        raw = spc(record_id, subject, identifier_kind=USCC)
        assert submit_record(registry, raw, Submission(COURT, OPERATOR)) == "registered"


def test_a_check_by_digits_valid_as_both_kinds(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    registered(registry)
    body = {"subject": BOTH, "service": "flight-booking"}
    held = client.post("/v1/checks", json=body, headers=keys["airline"])
    assert held.status_code == 200 and held.json()["subject"] == BOTH
    answer = client.post("/v1/checks", json=body | {"kind": USCC}, headers=keys["airline"])
    assert answer.json() == held.json()
    person = body | {"kind": "resident-identity-number"}
    found = problem(
        client.post("/v1/checks", json=person, headers=keys["airline"]), 422, "identifier-invalid"
    )
    assert "held by the registry as an organisation's" in found["detail"]
    unheld = {"subject": UNHELD, "service": "flight-booking"}  # allowed as either kind
    assert client.post("/v1/checks", json=unheld, headers=keys["airline"]).status_code == 200
    batch = {"checks": [body, {"subject": DIGIT_CODE, "service": "flight-booking"}]}
    results = client.post("/v1/checks/batch", json=batch, headers=keys["airline"]).json()["results"]
    assert [r["subject"] for r in results] == [BOTH, DIGIT_CODE]


def test_an_agency_declares_an_all_digit_credit_code(client: TestClient, keys: Keys) -> None:
    plain = client.post("/v1/agency/records", json=spc("k-3", DIGIT_CODE), headers=keys["court"])
    assert plain.status_code == 422
    declared = spc("k-3", DIGIT_CODE, identifier_kind=USCC)
    assert (
        client.post("/v1/agency/records", json=declared, headers=keys["court"]).status_code == 201
    )


def test_the_public_lookup_reads_digits_as_a_credit_code(
    client: TestClient, registry: Registry
) -> None:
    registered(registry)
    for code in (BOTH, DIGIT_CODE):
        found = client.get(f"/v1/public/organisations/{code}")
        assert found.status_code == 200 and found.json()["subject"] == code
    problem(client.get(f"/v1/public/organisations/{P1}"), 404, "not-found")
