"""Every audience through real HTTP, against a uvicorn server started by the test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from socialcredit.api.app import ApiSettings
from socialcredit.registry import Registry
from tests.api.conftest import Keys, make_keys, open_registry
from tests.api.server import running
from tests.registry.helpers import O1, P1, P2, spc

pytestmark = pytest.mark.slow  # a real server


@dataclass(frozen=True)
class Live:
    http: httpx.Client
    keys: Keys
    registry: Registry


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    reg = open_registry(f"sqlite:///{tmp_path_factory.mktemp('live') / 'registry.db'}")
    keys = make_keys(reg)
    settings = ApiSettings(registry=reg.settings, auth_cache_seconds=0)
    try:
        with running(settings) as url, httpx.Client(base_url=url, timeout=30) as http:
            for record in (spc("L1"), spc("L2", subject=P2)):
                response = http.post("/v1/agency/records", json=record, headers=keys["court"])
                assert response.status_code == 201
            yield Live(http, keys, reg)
    finally:
        reg.close()


def test_agency(live: Live) -> None:
    again = live.http.post("/v1/agency/records", json=spc("L1"), headers=live.keys["court"])
    assert again.json()["status"] == "unchanged"
    mine = live.http.get("/v1/agency/records", headers=live.keys["court"]).json()
    assert {r["source_id"] for r in mine["items"]} >= {"L1", "L2"}
    refused = live.http.post("/v1/agency/records", json=spc("L9"), headers=live.keys["tax"])
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"


def test_service(live: Live) -> None:
    one = {"subject": P1, "service": "flight-booking"}
    found = live.http.post("/v1/checks", json=one, headers=live.keys["airline"]).json()
    assert found["effect"] == "deny"
    many = {"checks": [one, {"subject": O1, "service": "rail-high-speed"}]}
    results = live.http.post("/v1/checks/batch", json=many, headers=live.keys["airline"])
    assert [r["effect"] for r in results.json()["results"]] == ["deny", "allow"]


def test_subject(live: Live) -> None:
    found = live.http.get(f"/v1/subjects/{P1}/file", headers=live.keys["subject"]).json()
    assert [r["source_id"] for r in found["records"]] == ["L1"]
    other = live.http.get(f"/v1/subjects/{P2}/file", headers=live.keys["subject"])
    assert other.status_code == 403
    accesses = live.http.get(f"/v1/subjects/{P1}/accesses", headers=live.keys["subject"])
    assert accesses.json()["total"] >= 1


def test_reviewer(live: Live) -> None:
    body = {"record": "r2", "grounds": "paid"}
    filed = live.http.post(
        f"/v1/subjects/{P2}/objections", json=body, headers=live.keys["other-subject"]
    )
    assert filed.status_code == 201
    url = f"/v1/review/objections/{filed.json()['id']}/decision"
    decision = {"outcome": "upheld", "reason": "the debt is unpaid"}
    assert live.http.post(url, json=decision, headers=live.keys["reviewer"]).status_code == 200
    assert live.http.post(url, json=decision, headers=live.keys["reviewer"]).status_code == 409


def test_public(live: Live) -> None:
    assert live.http.get("/v1/public/catalogue").json()["total"] > 10
    members = live.http.get("/v1/public/lists/dishonest-judgment-defaulters/members").json()
    assert {m["subject"][6:14] for m in members["items"]} == {"********"}
    assert live.http.get("/docs").status_code == 200


def test_admin(live: Live) -> None:
    stats = live.http.get("/v1/admin/statistics", headers=live.keys["admin"]).json()
    assert stats["records"] >= 2
    assert live.http.get("/v1/admin/statistics").status_code == 401
