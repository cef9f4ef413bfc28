"""Input hygiene at the HTTP door: NUL and other control characters in paths, queries, bodies
and headers are 422 problems on both databases (PostgreSQL cannot store NUL), an X-Purpose in
UTF-8 is recorded as written, over-long text is refused."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from socialcredit.api.app import ApiSettings
from socialcredit.registry import Registry
from socialcredit.registry.audit import accesses, subject_ref
from socialcredit.registry.store.models import AuditEntry
from tests.api.conftest import Keys
from tests.api.server import running
from tests.registry.helpers import P1, spc


def _refused(response_status: int, text: str) -> None:
    assert response_status == 422, text


def test_control_characters_are_refused_everywhere(client: TestClient, keys: Keys) -> None:
    court, subject = keys["court"], keys["subject"]
    for url in (
        "/v1/public/organisations?name=ab%00cd",
        "/v1/agency/records/a%00b",
        "/v1/public/lists/x%00/members",
    ):
        answer = client.get(url, headers=court)
        _refused(answer.status_code, answer.text)
    record = {**spc("n-1"), "reference": "R\x00"}
    answer = client.post("/v1/agency/records", json=record, headers=court)
    _refused(answer.status_code, answer.text)
    batch = {"records": [spc("ok-1"), {**spc("n-2"), "authority": "C\u2028"}]}
    answer = client.post("/v1/agency/records/batch", json=batch, headers=court)
    _refused(answer.status_code, answer.text)
    assert client.post("/v1/agency/records", json=spc("ok-2"), headers=court).status_code == 201
    objection = {"record": "r1", "grounds": "not mine\x00"}
    answer = client.post(f"/v1/subjects/{P1}/objections", json=objection, headers=subject)
    _refused(answer.status_code, answer.text)
    multi_line = {"record": "r1", "grounds": "not mine.\nThe reference is\tanother case."}
    answer = client.post(f"/v1/subjects/{P1}/objections", json=multi_line, headers=subject)
    assert answer.status_code == 201, answer.text
    answer = client.post("/v1/agency/records", json={**spc("x"), "id": "i" * 201}, headers=court)
    _refused(answer.status_code, answer.text)


def test_purpose_header_is_utf8(registry: Registry, keys: Keys) -> None:
    """Over a real server (the test client re-encodes header bytes): UTF-8 is read as UTF-8,
    bytes that are not UTF-8 are refused."""
    purpose = "核查乘客 (passenger check)"
    body = {"subject": P1, "service": "flight-booking"}
    settings = ApiSettings(registry=registry.settings, auth_cache_seconds=0)
    with running(settings) as base, httpx.Client(base_url=base) as http:
        headers: dict[str, str | bytes] = {**keys["airline"], "X-Purpose": purpose.encode()}
        assert http.post("/v1/checks", json=body, headers=headers).status_code == 200
        bad: dict[str, str | bytes] = {**keys["airline"], "X-Purpose": b"\xff\xfe"}
        answer = http.post("/v1/checks", json=body, headers=bad)
    _refused(answer.status_code, answer.text)
    assert "not UTF-8" in answer.text
    with registry.session() as session:
        assert accesses(session, P1)[-1].purpose == purpose


def test_a_check_outside_the_scope_is_audited_as_denied(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    body = {"subject": P1, "service": "public-procurement-bid"}
    assert client.post("/v1/checks", json=body, headers=keys["airline"]).status_code == 403
    batch = {"checks": [{"subject": P1, "service": "flight-booking"}, body]}
    assert client.post("/v1/checks/batch", json=batch, headers=keys["airline"]).status_code == 403
    with registry.session() as session:
        ref = subject_ref(registry.state(session).audit_key, P1)
        query = select(AuditEntry).where(
            AuditEntry.action == "denied.subject.check", AuditEntry.subject_ref == ref
        )
        denied = list(session.execute(query).scalars())
    assert len(denied) == 2 and denied[0].details == {"services": ["public-procurement-bid"]}
