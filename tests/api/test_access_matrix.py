"""docs/access.md is the access rule of every route: walk the whole matrix against the app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import ROLE_PRINCIPAL, Keys
from tests.conftest import ROOT
from tests.registry.helpers import COURT, O1, P1, spc

ROLES = ("public", "agency", "service", "subject", "reviewer", "admin")
ROW = re.compile(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \|(.*)\|$")
SAMPLES = {
    "subject_id": P1,
    "record_id": "A1",
    "policy_id": "judgment-defaulters",
    "list_id": "dishonest-judgment-defaulters",
    "code": O1,
    "objection_id": "999",
    "application_id": "999",
    "principal_id": "999",
    "attachment_id": "999",
    "seq": "1",
    "delivery_id": "999",
    "webhook_id": "999",
}
assert COURT  # the agency principal acts for the court, which establishes the SPC items


def documented() -> dict[tuple[str, str], dict[str, str]]:
    """(method, path) -> role -> allow | own | deny, from docs/access.md."""
    table = {}
    for line in (ROOT / "docs" / "access.md").read_text(encoding="utf-8").splitlines():
        found = ROW.match(line)
        if found:
            cells = [c.strip() for c in found.group(3).split("|")]
            table[(found.group(1), found.group(2))] = dict(zip(ROLES, cells, strict=True))
    return table


def routes(items: Any) -> Iterator[tuple[str, str]]:
    """Every (method, path) the application serves, included routers too."""
    for route in items:
        if hasattr(route, "original_router"):
            yield from routes(route.original_router.routes)
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            if method != "HEAD":
                yield method, route.path


def test_every_route_has_a_decided_rule(client: TestClient) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    served = set(routes(app.routes))
    schema = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    assert schema <= served
    table = documented()
    missing = sorted(served - table.keys())
    assert not missing, f"routes without a rule in docs/access.md: {missing}"
    stale = sorted(table.keys() - served)
    assert not stale, f"docs/access.md lists routes that do not exist: {stale}"
    for rules in table.values():
        assert set(rules.values()) <= {"allow", "own", "deny"}


def test_each_role_against_each_endpoint(client: TestClient, keys: Keys) -> None:
    """With one record of the subject under objection: every role reaches its scope."""
    assert client.post("/v1/agency/records", json=spc("A1"), headers=keys["court"]).status_code
    objection = {"record": "r1", "grounds": "not mine"}
    filed = client.post(f"/v1/subjects/{P1}/objections", json=objection, headers=keys["subject"])
    assert filed.status_code == 201
    wrong = []
    for (method, path), rules in sorted(documented().items()):
        url = path.format(**SAMPLES)
        for role in ROLES:
            body = {} if method in ("POST", "PUT") else None
            response = client.request(method, url, json=body, headers=keys[ROLE_PRINCIPAL[role]])
            refused = response.status_code in (401, 403)
            expected = rules[role] == "deny"
            if refused != expected:
                wrong.append(f"{role} {method} {path}: {response.status_code} ({rules[role]})")
            if rules[role] == "deny" and role == "public":
                assert response.status_code == 401, (method, path)
            if response.status_code >= 500:
                wrong.append(f"{role} {method} {path}: server error")
    assert not wrong, "\n".join(wrong)
