"""API fixtures: a registry with the example policies, one principal per role, a TestClient.

Every in-process API test runs on SQLite and on PostgreSQL (a fresh schema per test, skipped
with the reason when the server is unreachable, failed when ``CI`` is set), as the registry
suite does; the live-server tests run on SQLite, and schemathesis on both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialcredit.api.app import ApiSettings, create_app
from socialcredit.registry import Actor, Registry, RegistrySettings, initialise
from socialcredit.registry.workflows.principals import PrincipalSpec, create_principal
from tests.registry.conftest import START, database, install_examples
from tests.registry.helpers import COURT, P1, P2

ADMIN = Actor("tests", "admin", "test set-up")
SERVICES = ("flight-booking", "rail-high-speed")
TAX = "State Taxation Administration (competent tax bureau)"


@dataclass(frozen=True)
class Keys:
    """One API key per principal, by name."""

    keys: dict[str, str]

    def __getitem__(self, name: str) -> dict[str, str]:
        """The request headers of the principal ``name`` (``public``: none)."""
        if name == "public":
            return {}
        return {"Authorization": f"Bearer {self.keys[name]}"}


SPECS = (
    PrincipalSpec("court", "agency", authority=COURT),
    PrincipalSpec("tax", "agency", authority=TAX),
    PrincipalSpec("airline", "service", services=SERVICES),
    PrincipalSpec(
        "subject", "subject", subject=P1, verification="identity card seen at the counter, ref T-1"
    ),
    PrincipalSpec(
        "other-subject", "subject", subject=P2, verification="identity card seen, ref T-2"
    ),
    PrincipalSpec("reviewer", "reviewer", authority=COURT),
    PrincipalSpec("tax-reviewer", "reviewer", authority=TAX),
    PrincipalSpec("admin", "admin"),
)
ROLE_PRINCIPAL = {
    "public": "public",
    "agency": "court",
    "service": "airline",
    "subject": "subject",
    "reviewer": "reviewer",
    "admin": "admin",
}


def open_registry(url: str) -> Registry:
    reg = Registry.open(RegistrySettings(database_url=url, chunk_size=50))
    initialise(reg, START)
    install_examples(reg)
    return reg


def make_keys(reg: Registry) -> Keys:
    return Keys({s.name: create_principal(reg, s, ADMIN)[1] for s in SPECS})


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def registry(db_url: str) -> Iterator[Registry]:
    reg = open_registry(db_url)
    try:
        yield reg
    finally:
        reg.close()


@pytest.fixture
def keys(registry: Registry) -> Keys:
    return make_keys(registry)


@pytest.fixture
def client(registry: Registry, keys: Keys) -> Iterator[TestClient]:
    settings = ApiSettings(registry=registry.settings, auth_cache_seconds=0)
    with TestClient(create_app(settings)) as test_client:
        yield test_client
