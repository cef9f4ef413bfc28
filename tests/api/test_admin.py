"""Administrators over HTTP: principals and keys, policy versions, statistics."""

from __future__ import annotations

from fastapi.testclient import TestClient

from socialcredit.registry import Registry
from socialcredit.registry.store.casework import Principal
from socialcredit.registry.workflows.principals import hash_key
from tests.api.conftest import Keys
from tests.api.helpers import audit, problem
from tests.registry.helpers import P1

URL = "/v1/admin/principals"


def test_a_key_is_shown_once_and_stored_hashed(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    spec = {"name": "rail", "role": "service", "services": ["rail-high-speed"]}
    created = client.post(URL, json=spec, headers=keys["admin"])
    assert created.status_code == 201
    key = created.json()["key"]
    with registry.session() as session:
        row = session.get(Principal, created.json()["id"])
        assert row is not None and row.key_hash == hash_key(key) and key not in str(vars(row))
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {key}"}).json()
    assert (me["role"], me["services"]) == ("service", ["rail-high-speed"])
    listed = client.get(URL, headers=keys["admin"]).text
    assert key not in listed and "rail" in listed
    entry = audit(registry)[-1]  # the listing is audited, under the admin
    assert (entry.action, entry.role, entry.subject_ref) == ("read.admin.principals", "admin", None)
    problem(client.post(URL, json=spec, headers=keys["admin"]), 409, "registry-error")
    revoked = client.post(f"{URL}/{created.json()['id']}/revoke", headers=keys["admin"])
    assert revoked.json()["revoked_at"]
    problem(
        client.get("/v1/me", headers={"Authorization": f"Bearer {key}"}), 401, "unauthenticated"
    )
    problem(
        client.post(f"{URL}/{created.json()['id']}/revoke", headers=keys["admin"]),
        409,
        "registry-error",
    )


def test_a_role_needs_its_scope(client: TestClient, keys: Keys) -> None:
    bad = [
        {"name": "a", "role": "agency"},
        {"name": "b", "role": "service"},
        {"name": "c", "role": "subject", "subject": "123"},
        {"name": "d", "role": "reviewer", "subject": P1},
    ]
    codes = [client.post(URL, json=b, headers=keys["admin"]).json()["code"] for b in bad]
    # a subject key is never the administrators' to issue (tests/api/test_subject_keys.py)
    assert codes == ["request-invalid", "request-invalid", "access-denied", "request-invalid"]
    problem(
        client.post(URL, json={"name": "e", "role": "root"}, headers=keys["admin"]),
        422,
        "request-invalid",
    )


def test_policy_versions_and_statistics(client: TestClient, keys: Keys) -> None:
    versions = client.get("/v1/admin/policies", headers=keys["admin"]).json()
    assert versions["total"] == 4 and all(v["active"] for v in versions["items"])
    first = client.get("/v1/admin/policies?limit=2", headers=keys["admin"]).json()
    assert [v["id"] for v in first["items"]] == [v["id"] for v in versions["items"][:2]]
    assert first["next_offset"] == 2 and versions["items"][0]["id"] > versions["items"][1]["id"]
    stats = client.get("/v1/admin/statistics", headers=keys["admin"]).json()
    assert stats["principals"] == 8 and stats["registry_date"] == "2025-01-01"
    back = client.post("/v1/admin/tick", json={"as_of": "2024-01-01"}, headers=keys["admin"])
    problem(back, 409, "registry-error")
