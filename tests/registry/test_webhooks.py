"""Webhooks against real local HTTP servers: signed payloads, retries with backoff, dead
letters and redelivery (both databases)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime, timedelta

import orjson
import pytest
from sqlalchemy import select

from socialcredit.errors import NotFoundError, WebhookError
from socialcredit.registry import Registry
from socialcredit.registry.reads.ownfile import accesses_page
from socialcredit.registry.store.feeds import FeedDelivery
from socialcredit.registry.workflows.webhookdelivery import DeliverOptions, deliver
from socialcredit.registry.workflows.webhooks import (
    add_webhook,
    dead_letters,
    redeliver,
    remove_webhook,
)
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.feeds_helpers import service_provider
from tests.registry.helpers import COURT, P1, P2, spc
from tests.registry.webhook_server import Endpoint, serving

T0 = datetime(2030, 1, 1, tzinfo=UTC)
FLIGHTS = "flight-booking"


def _options(at: datetime, attempts: int = 6) -> DeliverOptions:
    return DeliverOptions(max_attempts=attempts, timeout=5, backoff=timedelta(seconds=30), now=at)


def _deliveries(reg: Registry) -> list[FeedDelivery]:
    with reg.session() as session:
        return list(session.execute(select(FeedDelivery).order_by(FeedDelivery.id)).scalars())


def _listed(reg: Registry) -> None:
    for n, subject in enumerate((P1, P2)):
        submit_record(reg, spc(f"r-{n}", subject, date(2024, 10, 1)), Submission(COURT, OPERATOR))


def test_a_failing_endpoint_is_retried_with_backoff_until_it_accepts(registry: Registry) -> None:
    provider, _ = service_provider(registry, "airline", FLIGHTS)
    _listed(registry)
    with serving(Endpoint(fail_first=2)) as endpoint:
        hook = add_webhook(registry, provider.principal, endpoint.url, OPERATOR)
        first = deliver(registry, options=_options(T0))
        assert (first.queued, first.failed, first.pending) == (1, 1, 1)
        early = deliver(registry, options=_options(T0 + timedelta(seconds=29)))
        assert (early.queued, early.failed, early.delivered) == (0, 0, 0)  # not due yet
        second = deliver(registry, options=_options(T0 + timedelta(seconds=30)))
        assert second.failed == 1
        (row,) = _deliveries(registry)
        assert row.attempts == 2 and row.status == "pending"
        waited = row.next_attempt_at.replace(tzinfo=UTC) - (T0 + timedelta(seconds=30))
        assert waited == timedelta(seconds=60)  # doubled
        third = deliver(registry, options=_options(T0 + timedelta(seconds=90)))
        assert (third.delivered, third.pending) == (1, 0)
        assert endpoint.requests == 3
        (row,) = _deliveries(registry)
        assert (row.status, row.attempts, row.count, row.body) == ("delivered", 3, 2, "")
    ((headers, body),) = endpoint.received
    stamp = headers["X-Socialcredit-Timestamp"]
    signed = stamp.encode() + b"." + body
    expected = hmac.new(str(hook.secret).encode(), signed, hashlib.sha256).hexdigest()
    assert headers["X-Socialcredit-Signature"] == f"v1={expected}"
    changes = orjson.loads(body)["changes"]
    assert [(c["subject"], c["change"], c["effect"]) for c in changes] == [
        (P1, "enter", "deny"),
        (P2, "enter", "deny"),
    ]
    listing = accesses_page(registry, P1, 50, 0, OPERATOR).rows
    assert [e.details["via"] for e in listing if e.action == "read.subject.feed"] == ["webhook"]


def test_an_endpoint_that_always_fails_gets_a_dead_letter_then_a_redelivery(
    registry: Registry,
) -> None:
    provider, _ = service_provider(registry, "airline", FLIGHTS)
    _listed(registry)
    with serving(Endpoint(failing=True)) as endpoint:
        add_webhook(registry, provider.principal, endpoint.url, OPERATOR)
        moment = T0
        for _ in range(3):
            report = deliver(registry, options=_options(moment, attempts=3))
            moment += timedelta(hours=1)
        assert (report.dead, report.pending) == (1, 0)
        (dead,) = dead_letters(registry, provider.principal)
        assert dead.attempts == 3 and dead.count == 2 and "500" in str(dead.last_error)
        assert deliver(registry, options=_options(moment, attempts=3)).failed == 0  # left dead
        other, _ = service_provider(registry, "rail", "rail-high-speed")
        assert dead_letters(registry, other.principal) == []
        with pytest.raises(NotFoundError):
            redeliver(registry, dead.id, OPERATOR, other.principal)
        endpoint.failing = False
        redeliver(registry, dead.id, OPERATOR, provider.principal)
        with pytest.raises(WebhookError, match="not a dead letter"):
            redeliver(registry, dead.id, OPERATOR)
        done = deliver(registry, options=_options(datetime.now(UTC), attempts=3))
        assert (done.delivered, done.pending) == (1, 0)
    assert dead_letters(registry) == []
    assert len(endpoint.received) == 1


@pytest.mark.parametrize("url", ["ftp://example.org/x", "not a url", "http:///nohost"])
def test_an_endpoint_must_be_an_http_url(registry: Registry, url: str) -> None:
    provider, _ = service_provider(registry, "airline", FLIGHTS)
    with pytest.raises(WebhookError, match="http or https"):
        add_webhook(registry, provider.principal, url, OPERATOR)


def test_a_backlog_is_queued_a_bounded_part_per_run_and_sent_in_order(
    registry: Registry,
) -> None:
    provider, _ = service_provider(registry, "airline", FLIGHTS)
    _listed(registry)
    small = DeliverOptions(batch=1, per_run=1, timeout=5, now=T0)
    with serving(Endpoint()) as endpoint:
        add_webhook(registry, provider.principal, endpoint.url, OPERATOR)
        assert [deliver(registry, options=small).queued for _ in range(3)] == [1, 1, 0]
    positions = [orjson.loads(body)["changes"][0]["position"] for _, body in endpoint.received]
    subjects = [orjson.loads(body)["changes"][0]["subject"] for _, body in endpoint.received]
    assert positions == sorted(positions) and subjects == [P1, P2]


def test_a_removed_endpoint_gets_nothing_more(registry: Registry) -> None:
    provider, _ = service_provider(registry, "airline", FLIGHTS)
    with serving(Endpoint(failing=True)) as endpoint:
        hook = add_webhook(registry, provider.principal, endpoint.url, OPERATOR)
        _listed(registry)
        assert deliver(registry, options=_options(T0)).failed == 1
        other, _ = service_provider(registry, "rail", "rail-high-speed")
        with pytest.raises(NotFoundError):
            remove_webhook(registry, hook.id, OPERATOR, other.principal)
        remove_webhook(registry, hook.id, OPERATOR, provider.principal)
        later = deliver(registry, options=_options(T0 + timedelta(days=1)))
        assert (later.queued, later.failed, later.delivered) == (0, 0, 0)
        assert endpoint.requests == 1
    with pytest.raises(NotFoundError):
        remove_webhook(registry, hook.id, OPERATOR)


def test_a_redirect_is_not_a_delivery(registry: Registry) -> None:
    provider, _ = service_provider(registry, "airline", FLIGHTS)
    _listed(registry)
    with serving(Endpoint(redirect=True)) as endpoint:
        add_webhook(registry, provider.principal, endpoint.url, OPERATOR)
        report = deliver(registry, options=_options(T0))
    assert (report.delivered, report.failed) == (0, 1)
    assert endpoint.received == []  # not followed
    (row,) = _deliveries(registry)
    assert "302" in str(row.last_error)
