"""Group commit of single checks (api/coalesce.py): concurrent checks share one transaction,
and each still gets its own answer, its own error and its own committed audit entry."""

from __future__ import annotations

import asyncio
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from socialcredit.api import coalesce
from socialcredit.api.app import ApiSettings
from socialcredit.api.coalesce import Coalescer
from socialcredit.errors import SocialCreditError
from socialcredit.registry import Actor, Registry
from socialcredit.registry.audit import subject_ref, verify
from socialcredit.registry.reads.checks import CheckResult, Outcome, check, check_each
from socialcredit.registry.workflows.principals import PrincipalSpec, create_principal
from tests.api.conftest import ADMIN, Keys, make_keys, open_registry
from tests.api.helpers import audit
from tests.api.server import running
from tests.registry.helpers import O1, P1, P2, spc

AIRLINE = Actor("principal:3:airline", "service", "point-of-service check")
RAIL = Actor("principal:9:rail", "service", "ticket sale")
GOOD = [
    (P1, "flight-booking"),
    (P2, "rail-high-speed"),
    (O1, "flight-booking"),
    (P1, "rail-high-speed"),
    ("11010519491231002x", "flight-booking"),  # lower-case check character: normalised
]
BAD = [("123", "flight-booking"), (P1, "space-flight")]  # invalid identifier, unknown service


def _wide(reg: Registry) -> dict[str, str]:
    """Headers of a service principal whose scope names a service no policy has."""
    services = ("flight-booking", "rail-high-speed", "space-flight")
    _, key = create_principal(reg, PrincipalSpec("wide", "service", services=services), ADMIN)
    return {"Authorization": f"Bearer {key}"}


def _listed(client: TestClient, keys: Keys) -> None:
    response = client.post("/v1/agency/records", json=spc("C1"), headers=keys["court"])
    assert response.status_code == 201


def _expected(reg: Registry, subject: str, service: str) -> CheckResult | SocialCreditError:
    """What ``check`` answers alone (it appends an audit entry too: call it before counting)."""
    try:
        return check(reg, subject, service, Actor("tests", "service", "expected"))
    except SocialCreditError as exc:
        return exc


def _as_json(result: CheckResult | SocialCreditError) -> dict[str, Any]:
    assert isinstance(result, CheckResult)
    d = result.decision
    return {"subject": result.subject, "service": result.service, "as_of": result.as_of} | {
        k: d[k] for k in ("effect", "reasons", "remedies")
    }


def _chain_ok(reg: Registry) -> None:
    with reg.session() as session:
        assert verify(session).ok


def _key(reg: Registry) -> str:
    with reg.session() as session:
        return reg.state(session).audit_key


async def _many(reg: Registry, checks: list[tuple[str, str, Actor]]) -> list[Any]:
    coalescer = Coalescer(reg)
    coalescer.start()
    try:
        calls = [coalescer.check(subject, service, actor) for subject, service, actor in checks]
        return await asyncio.gather(*calls, return_exceptions=True)
    finally:
        await coalescer.stop()


def test_concurrent_checks_share_transactions_and_each_gets_its_own_answer(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    _listed(client, keys)
    expected = {(s, v): _expected(registry, s, v) for s, v in GOOD + BAD}
    checks = [(s, v, (AIRLINE, RAIL)[n % 2]) for n in range(8) for s, v in GOOD + BAD]
    before = len(audit(registry))
    found = asyncio.run(_many(registry, checks))
    for (subject, service, _), got in zip(checks, found, strict=True):
        want = expected[(subject, service)]
        if isinstance(want, CheckResult):
            assert got == want
        else:
            assert type(got) is type(want) and got.message == want.message
            assert got.details == want.details
    entries = audit(registry)[before:]
    key = _key(registry)
    answered = [(s, v, a) for s, v, a in checks if isinstance(expected[(s, v)], CheckResult)]
    assert Counter((e.subject_ref, e.details["service"], e.actor, e.purpose) for e in entries) == (
        Counter(
            (subject_ref(key, expected[(s, v)].subject), v, a.name, a.purpose)  # type: ignore[union-attr]
            for s, v, a in answered
        )
    )
    assert {e.action for e in entries} == {"read.subject.check"}
    assert "batch" not in entries[0].details  # a single check's entry, as a lone check writes it
    # entries of one group share their time stamp: far fewer groups than checks
    assert len({e.at for e in entries}) < len(entries) / 4
    _chain_ok(registry)


def test_one_bad_check_does_not_fail_its_group(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    _listed(client, keys)
    outside = (P2, "public-procurement-bid")  # not in the airline's scope
    cases = [*GOOD, *BAD, outside] * 4
    expected = [200] * len(GOOD) + [422, 404, 403]

    def post(case: tuple[str, str]) -> Any:
        body = {"subject": case[0], "service": case[1]}
        return client.post("/v1/checks", json=body, headers=headers)

    headers = _wide(registry)
    want = {case: _expected(registry, *case) for case in GOOD}
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, cases))
    assert [a.status_code for a in answers] == expected * 4
    for case, answer in zip(cases, answers, strict=True):
        if answer.status_code == 200:
            assert answer.json() == _as_json(want[case])
    _chain_ok(registry)


def test_problems_of_a_coalesced_check_are_those_of_a_single_check(
    client: TestClient, registry: Registry
) -> None:
    headers = _wide(registry)
    bad_id = client.post(
        "/v1/checks", json={"subject": "123", "service": "flight-booking"}, headers=headers
    )
    assert bad_id.status_code == 422 and bad_id.json()["code"] == "identifier-invalid"
    unknown = client.post(
        "/v1/checks", json={"subject": P2, "service": "space-flight"}, headers=headers
    )
    assert unknown.status_code == 404 and unknown.json()["details"] == {"service": "space-flight"}
    assert "the active policies name: " in unknown.json()["detail"]


@pytest.fixture
def live_registry(tmp_path: Any) -> Any:
    reg = open_registry(f"sqlite:///{tmp_path / 'registry.db'}")
    try:
        yield reg
    finally:
        reg.close()


@pytest.mark.slow  # a real server
def test_concurrent_checks_through_real_http(live_registry: Registry) -> None:
    keys = make_keys(live_registry)
    headers = _wide(live_registry)
    settings = ApiSettings(registry=live_registry.settings, auth_cache_seconds=0)
    bodies = [{"subject": s, "service": v} for s, v in GOOD + BAD] * 6
    with running(settings) as url, httpx.Client(base_url=url, timeout=30) as http:
        listed = http.post("/v1/agency/records", json=spc("C1"), headers=keys["court"])
        assert listed.status_code == 201
        before = len(audit(live_registry))

        def post(body: dict[str, str]) -> httpx.Response:
            with httpx.Client(base_url=url, timeout=30) as own:
                return own.post("/v1/checks", json=body, headers=headers)

        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(post, bodies))
    codes = [a.status_code for a in answers]
    assert codes == [200, 200, 200, 200, 200, 422, 404] * 6
    effects = {
        (a.json()["subject"], a.json()["service"]): a.json()["effect"]
        for a in answers
        if a.status_code == 200
    }
    assert effects[(P1, "flight-booking")] == "deny" and effects[(P2, "rail-high-speed")] == "allow"
    assert len(audit(live_registry)) == before + 5 * 6
    _chain_ok(live_registry)


def test_groups_share_one_connection_until_a_transaction_fails(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The consumer keeps its connection between groups; a failed group gives it back to the
    pool (closed) and fails alone, and the next group takes a fresh connection."""
    used: list[Connection] = []

    def flaky(reg: Registry, requests: Any, conn: Connection) -> list[Outcome]:
        used.append(conn)
        if len(used) == 3:
            raise OperationalError("SELECT", {}, Exception("the server closed the connection"))
        return check_each(reg, requests, conn)

    async def one_by_one() -> list[CheckResult | OperationalError]:
        coalescer, found = Coalescer(registry), list[CheckResult | OperationalError]()
        coalescer.start()
        try:
            for subject in (P1, P2, O1, P1):
                try:
                    found.append(await coalescer.check(subject, "flight-booking", AIRLINE))
                except OperationalError as exc:
                    found.append(exc)
        finally:
            await coalescer.stop()
        return found

    monkeypatch.setattr(coalesce, "check_each", flaky)
    found = asyncio.run(one_by_one())
    kinds = [type(f) for f in found]
    assert kinds == [CheckResult, CheckResult, OperationalError, CheckResult]
    assert [f.subject for f in found if isinstance(f, CheckResult)] == [P1, P2, P1]
    assert used[0] is used[1] is used[2] and used[3] is not used[2]
    assert used[2].closed and used[3].closed  # given back on failure, and at stop
    _chain_ok(registry)
