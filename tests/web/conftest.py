"""Portal fixtures: a seeded registry (SQLite, or a fresh PostgreSQL schema), a local SMTP
server for one-time codes and an in-process client over HTTPS (the cookies are ``Secure``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialcredit.api.app import ApiSettings
from socialcredit.web.app import create_portal_app
from socialcredit.web.settings import PortalSettings
from tests.registry.conftest import database
from tests.web.mail import Inbox, smtp_server
from tests.web.seed import Seeded, csrf_of, seed

SECRET = "portal-test-secret-" + "x" * 20


@dataclass(frozen=True)
class Portal:
    client: TestClient
    seeded: Seeded
    inbox: Inbox

    def sign_in(self, key_name: str) -> str:
        """Sign in with a principal's key; return the page's CSRF token afterwards."""
        token = csrf_of(self.client.get("/sign-in").text)
        key = self.seeded.keys[key_name]
        response = self.client.post("/sign-in/key", data={"key": key, "csrf": token})
        assert response.status_code == 200, response.text
        return csrf_of(response.text)


def settings(port: int, **changes: object) -> PortalSettings:
    values: dict[str, object] = {"secret": SECRET, "smtp_host": "127.0.0.1", "smtp_port": port}
    return PortalSettings.model_validate(values | changes)


@pytest.fixture(params=["sqlite", "postgresql"])
def portal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Portal]:
    with database(request.param, tmp_path) as url, smtp_server() as (inbox, port):
        seeded = seed(url)
        app = create_portal_app(ApiSettings(registry=seeded.registry.settings), settings(port))
        try:
            with TestClient(app, base_url="https://testserver") as client:
                yield Portal(client, seeded, inbox)
        finally:
            seeded.registry.close()
