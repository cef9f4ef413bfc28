"""Administrators cannot read files by minting a subject's key: the API refuses subject keys,
the command line issues one only with the identity check that preceded it, and the subject's
access listing shows the key's issue as what it is."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from socialcredit.errors import RequestInvalidError
from socialcredit.registry import Actor, Registry
from socialcredit.registry.workflows.principals import PrincipalSpec, create_principal
from tests.api.conftest import Keys
from tests.registry.helpers import P1, P2

ADMIN = Actor("registrar", "admin", "issue a key")


def test_the_api_issues_no_subject_key(client: TestClient, keys: Keys) -> None:
    body = {"name": "mine-now", "role": "subject", "subject": P2}
    answer = client.post("/v1/admin/principals", json=body, headers=keys["admin"])
    assert answer.status_code == 403 and answer.json()["code"] == "access-denied"
    listed = client.get("/v1/admin/principals", headers=keys["admin"]).json()
    assert "mine-now" not in [p["name"] for p in listed["items"]]


def test_a_subject_key_needs_its_identity_check(registry: Registry) -> None:
    with pytest.raises(RequestInvalidError, match="--verified-by"):
        create_principal(registry, PrincipalSpec("x", "subject", subject=P2), ADMIN)
    with pytest.raises(RequestInvalidError, match="takes no verification"):
        spec = PrincipalSpec("y", "admin", verification="seen")
        create_principal(registry, spec, ADMIN)


def test_the_subject_sees_the_key_issued(client: TestClient, keys: Keys) -> None:
    listing = client.get(f"/v1/subjects/{P1}/accesses", headers=keys["subject"]).json()
    issued = [item for item in listing["items"] if item["action"] == "issue.subject.key"]
    assert len(issued) == 1 and issued[0]["role"] == "admin"


def test_a_reviewer_reading_the_queue_is_listed_to_the_subject(
    client: TestClient, keys: Keys
) -> None:
    record = {
        "id": "q-1",
        "subject": P1,
        "item": "SPC-REFUSE",
        "authority": "Beijing Chaoyang District People's Court",
        "reference": "(2024) Jing 0105 Zhi q-1",
        "decided_on": "2024-12-01",
        "notified_on": "2024-12-02",
    }
    assert client.post("/v1/agency/records", json=record, headers=keys["court"]).status_code == 201
    objection = {"record": "r1", "grounds": "the debt was paid in November"}
    filed = client.post(f"/v1/subjects/{P1}/objections", json=objection, headers=keys["subject"])
    assert filed.status_code == 201
    queue = client.get("/v1/review/objections", headers=keys["reviewer"]).json()
    assert queue["items"][0]["subject"] == P1
    listing = client.get(f"/v1/subjects/{P1}/accesses", headers=keys["subject"]).json()
    reads = [(i["role"], i["action"]) for i in listing["items"]]
    assert ("reviewer", "read.review.objections") in reads
