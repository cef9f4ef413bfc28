"""A key revoked through one worker (or the command line) stops working at once on every
worker of the host, however long their key caches are."""

from __future__ import annotations

from fastapi.testclient import TestClient

from socialcredit.api.app import ApiSettings, create_app
from socialcredit.registry import Actor, Registry
from socialcredit.registry.workflows.principals import (
    PrincipalSpec,
    create_principal,
    revoke_principal,
)
from tests.api.conftest import Keys
from tests.registry.helpers import COURT

ADMIN = Actor("registrar", "admin", "revoke a key")


def test_revocation_reaches_every_worker_at_once(registry: Registry, keys: Keys) -> None:
    settings = ApiSettings(registry=registry.settings, auth_cache_seconds=300)
    row, key = create_principal(
        registry, PrincipalSpec("kiosk", "reviewer", authority=COURT), ADMIN
    )
    other, other_key = create_principal(
        registry, PrincipalSpec("kiosk-2", "reviewer", authority=COURT), ADMIN
    )
    headers, other_headers = (
        {"Authorization": f"Bearer {key}"},
        {"Authorization": f"Bearer {other_key}"},
    )
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        for worker in (one, two):  # both workers cache both keys
            assert worker.get("/v1/me", headers=headers).status_code == 200
            assert worker.get("/v1/me", headers=other_headers).status_code == 200
        url = f"/v1/admin/principals/{row.id}/revoke"
        assert one.post(url, headers=keys["admin"]).status_code == 200
        assert two.get("/v1/me", headers=headers).status_code == 401
        revoke_principal(registry, other.id, ADMIN)  # as the command line does
        assert one.get("/v1/me", headers=other_headers).status_code == 401
        assert two.get("/v1/me", headers=other_headers).status_code == 401
