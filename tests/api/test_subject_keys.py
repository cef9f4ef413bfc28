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
        spec = PrincipalSpec("y", "reviewer", verification="seen")
        create_principal(registry, spec, ADMIN)


def test_the_subject_sees_the_key_issued(client: TestClient, keys: Keys) -> None:
    listing = client.get(f"/v1/subjects/{P1}/accesses", headers=keys["subject"]).json()
    issued = [item for item in listing["items"] if item["action"] == "issue.subject.key"]
    assert len(issued) == 1 and issued[0]["role"] == "admin"
