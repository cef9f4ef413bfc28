"""Service providers' feeds over HTTP: paging with the signed cursor, its refusals as problems,
webhook registration and dead letters (both databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from socialcredit.registry import Registry
from socialcredit.registry.reads import feedcursor
from socialcredit.registry.workflows.principals import PrincipalSpec, create_principal
from tests.api.conftest import ADMIN, Keys
from tests.api.helpers import audit, problem
from tests.registry.helpers import P1, P2, person, spc

FEED = "/v1/service/feed"
P3 = person(7)


def _listed(client: TestClient, keys: Keys) -> None:
    for n, subject in enumerate((P1, P2)):
        record = spc(f"A{n}", subject)
        assert (
            client.post("/v1/agency/records", json=record, headers=keys["court"]).status_code == 201
        )


def _page(client: TestClient, keys: Keys, **params: Any) -> dict[str, Any]:
    response = client.get(FEED, params=params, headers=keys["airline"])
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_a_provider_pages_through_its_changes(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    assert _page(client, keys)["changes"] == []
    _listed(client, keys)
    seen, cursor = [], ""
    while True:
        page = _page(client, keys, cursor=cursor, limit=3)
        seen += page["changes"]
        cursor = page["next_cursor"]
        if not page["more"]:
            break
    assert len(seen) == 4  # two subjects at the airline's two services
    assert {(c["subject"], c["service"], c["change"]) for c in seen} == {
        (s, v, "enter") for s in (P1, P2) for v in ("flight-booking", "rail-high-speed")
    }
    assert [c["position"] for c in seen] == sorted(c["position"] for c in seen)
    assert _page(client, keys, cursor=cursor)["changes"] == []
    entry = audit(registry, P1)[-1]
    assert (entry.action, entry.role, entry.purpose) == (
        "read.subject.feed",
        "service",
        "feed of decision changes",
    )


def test_bad_cursors_are_precise_problems(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    cursor = _page(client, keys)["next_cursor"]
    tampered = "x" + cursor[1:]
    problem(
        client.get(FEED, params={"cursor": tampered}, headers=keys["airline"]),
        400,
        "feed-cursor-invalid",
    )
    _, key = create_principal(
        registry, PrincipalSpec("rail", "service", services=("rail-high-speed",)), ADMIN
    )
    rail = {"Authorization": f"Bearer {key}"}
    problem(client.get(FEED, params={"cursor": cursor}, headers=rail), 403, "feed-cursor-foreign")
    with registry.session() as session:
        secret = feedcursor.cursor_key(registry.state(session).audit_key)
    airline = client.get("/v1/me", headers=keys["airline"]).json()["id"]
    past = datetime.now(UTC) - timedelta(days=40)
    old = feedcursor.issue(secret, airline, 0, past, feedcursor.CURSOR_TTL)
    problem(
        client.get(FEED, params={"cursor": old}, headers=keys["airline"]),
        410,
        "feed-cursor-expired",
    )


def test_webhooks_and_dead_letters_over_http(client: TestClient, keys: Keys) -> None:
    headers = keys["airline"]
    for url in (
        "ftp://x",
        "http://127.0.0.1:8000/v1/admin/tick",
        "http://10.1.2.3/",
        "http://[::1]/",
    ):
        bad = client.post("/v1/service/webhooks", json={"url": url}, headers=headers)
        problem(bad, 422, "webhook-invalid")
    made = client.post(
        "/v1/service/webhooks", json={"url": "https://airline.example/hook"}, headers=headers
    )
    assert made.status_code == 201 and len(made.json()["secret"]) == 64
    listed = client.get("/v1/service/webhooks", headers=headers).json()
    assert [(w["url"], w["secret"]) for w in listed] == [("https://airline.example/hook", None)]
    assert client.get("/v1/service/dead-letters", headers=headers).json() == []
    hook = made.json()["id"]
    assert client.delete(f"/v1/service/webhooks/{hook}", headers=headers).status_code == 204
    assert client.get("/v1/service/webhooks", headers=headers).json() == []
    problem(client.delete(f"/v1/service/webhooks/{hook}", headers=headers), 404, "not-found")
    missing = client.post("/v1/service/dead-letters/7/redeliver", headers=headers)
    problem(missing, 404, "not-found")


def _follow(client: TestClient, keys: Keys, kept: dict[Any, Any], cursor: str) -> str:
    while True:
        page = _page(client, keys, cursor=cursor, limit=2)
        for change in page["changes"]:
            key = (change["subject"], change["service"])
            if change["change"] == "exit":
                kept.pop(key, None)
            else:
                kept[key] = change["effect"]
        cursor = page["next_cursor"]
        if not page["more"]:
            return str(cursor)


def test_an_airline_over_http_ends_with_what_checks_say(client: TestClient, keys: Keys) -> None:
    kept: dict[Any, Any] = {}
    cursor = _follow(client, keys, kept, "")
    _listed(client, keys)  # judgment defaulters: denied at both of the airline's services
    third = client.post("/v1/agency/records", json=spc("A9", P3), headers=keys["court"])
    assert third.status_code == 201
    cursor = _follow(client, keys, kept, cursor)
    assert len(kept) == 6
    objection = {"record": "r1", "grounds": "the debt was paid before the judgment"}
    filed = client.post(f"/v1/subjects/{P1}/objections", json=objection, headers=keys["subject"])
    assert filed.status_code == 201, filed.text
    tick = client.post("/v1/admin/tick", json={"as_of": "2025-01-16"}, headers=keys["admin"])
    assert tick.status_code == 200, tick.text  # the objection is overdue: P1 is suspended
    paid = {"on": "2025-01-16", "reason": "paid in full, receipt 2025-001"}
    resolve = client.post("/v1/agency/records/A1/resolve", json=paid, headers=keys["court"])
    assert resolve.status_code == 200, resolve.text
    _follow(client, keys, kept, cursor)
    checks = [
        {"subject": s, "service": v}
        for s in (P1, P2, P3)
        for v in ("flight-booking", "rail-high-speed")
    ]
    answers = client.post("/v1/checks/batch", json={"checks": checks}, headers=keys["airline"])
    said = {
        (a["subject"], a["service"]): a["effect"]
        for a in answers.json()["results"]
        if a["effect"] in ("deny", "restrict")
    }
    assert kept == said == {(P3, "flight-booking"): "deny", (P3, "rail-high-speed"): "deny"}
