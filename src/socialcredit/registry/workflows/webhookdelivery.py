"""Delivering feed changes to webhooks: queue, send, retry with backoff, dead-letter.

``socialcredit feeds deliver`` runs :func:`deliver` (no thread of the API server does): first
the changes after each endpoint's position are queued as deliveries of at most ``batch``
changes (one transaction: numbered under the audit head's lock, each change audited as a read
of its subject's data by the provider); then each endpoint's pending deliveries are sent in
order: each is claimed in a transaction (its attempt counted, its next attempt set), sent with
no transaction open, and its outcome written in another. A failed attempt is retried after a
backoff that doubles each time (``next_attempt_at``); after ``max_attempts`` the delivery is
a dead letter and the endpoint's later deliveries go on. An endpoint's delivery is sent only
when every earlier one is delivered or dead, so a provider receives its changes in order.
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from socialcredit.registry.audit import Actor
from socialcredit.registry.context import Registry
from socialcredit.registry.reads.feed import (
    Change,
    audit_reads,
    change_out,
    changes_after,
    handed,
    lock_head,
    sequence_all,
)
from socialcredit.registry.store.casework import Principal
from socialcredit.registry.store.feeds import DEAD, DELIVERED, PENDING, FeedDelivery, FeedWebhook
from socialcredit.registry.workflows.webhooks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
)

Poster = Callable[[str, bytes, Mapping[str, str], float], None]
"""Sends a body with headers to a URL within a timeout; raises if it was not accepted (2xx)."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer that did not accept the delivery (urllib would follow it with a
    GET and no body)."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # urllib then raises the 3xx as an HTTPError


@cache
def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect)


def http_post(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> None:
    """POST ``body`` as JSON; anything but a 2xx answer (a redirect too) raises."""
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json", **headers}, method="POST"
    )
    with _opener().open(request, timeout=timeout) as response:
        if not 200 <= response.status < 300:  # pragma: no cover - urllib raises for >= 400
            raise OSError(f"HTTP {response.status}")


@dataclass(frozen=True)
class DeliverOptions:
    max_attempts: int = 6
    batch: int = 100  # changes per delivery
    per_run: int = 100  # deliveries queued per endpoint and run (the rest: the next run)
    timeout: float = 10.0  # seconds per attempt
    backoff: timedelta = timedelta(seconds=30)  # after the first failure; doubles each time
    now: datetime | None = None  # when this run happens (default: now)


def backoff(options: DeliverOptions, attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: doubling, at most six hours."""
    wait: timedelta = options.backoff * (2 ** max(attempts - 1, 0))
    return min(wait, timedelta(hours=6))


@dataclass(frozen=True)
class DeliverReport:
    queued: int
    delivered: int
    failed: int
    dead: int
    pending: int


def _aware(moment: datetime) -> datetime:
    """A stored timestamp with its zone (SQLite gives them back naive, in UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _delivery(webhook: int, rows: list[Change], now: datetime) -> FeedDelivery:
    """A pending delivery of ``rows`` (numbered changes, oldest first), due at ``now``."""
    body = {"webhook": webhook, "changes": [change_out(r) for r in rows]}
    return FeedDelivery(
        webhook_id=webhook,
        first_position=rows[0].position,
        last_position=rows[-1].position,
        count=len(rows),
        body=orjson.dumps(body).decode(),
        status=PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )


def queue(reg: Registry, options: DeliverOptions) -> int:
    """Queue each active endpoint's changes after its position (at most ``per_run``
    deliveries each); return the deliveries made."""
    made, now = 0, options.now or datetime.now(UTC)
    with reg.session() as session, session.begin():
        conn = session.connection()
        head = lock_head(conn)
        sequence_all(conn)
        hooks = session.execute(
            select(FeedWebhook, Principal)
            .join(Principal, FeedWebhook.principal_id == Principal.id)
            .where(FeedWebhook.removed_at.is_(None), Principal.revoked_at.is_(None))
            .order_by(FeedWebhook.id)
        ).all()
        for hook, principal in hooks:
            actor = Actor(f"principal:{principal.id}:{principal.name}", "service", "feed webhook")
            services = [str(s) for s in principal.services or ()]
            for _ in range(options.per_run):
                rows = changes_after(session, services, hook.position, options.batch)
                if not rows:
                    break
                session.add(_delivery(hook.id, rows, now))
                head = audit_reads(conn, head, actor, handed(rows), "webhook")
                hook.position, made = rows[-1].position, made + 1
    return made


def _oldest(session: Session, webhook: int) -> FeedDelivery | None:
    query = (
        select(FeedDelivery)
        .where(FeedDelivery.webhook_id == webhook, FeedDelivery.status == PENDING)
        .order_by(FeedDelivery.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return session.execute(query).scalar_one_or_none()


@dataclass(frozen=True)
class _Claim:
    """A delivery taken for one attempt: what to send, and where."""

    id: int
    url: str
    secret: str
    body: bytes
    attempts: int


def _claim(reg: Registry, webhook: int, options: DeliverOptions, now: datetime) -> _Claim | None:
    """Take the endpoint's oldest pending delivery if it is due: its attempt is counted and its
    next attempt set (a lease: if this process dies before the outcome is written, it is tried
    again then), in a transaction of its own, so that no lock is held while it is sent."""
    with reg.session() as session, session.begin():
        row = _oldest(session, webhook)
        if row is None or _aware(row.next_attempt_at) > now:
            return None
        hook = session.get(FeedWebhook, row.webhook_id)
        assert hook is not None
        row.attempts += 1
        row.next_attempt_at = now + backoff(options, row.attempts)
        return _Claim(row.id, hook.url, hook.secret, row.body.encode(), row.attempts)


def _post(claim: _Claim, post: Poster, options: DeliverOptions) -> str | None:
    """Send the claimed delivery, signed; None if accepted, else what went wrong."""
    stamp = int(time.time())
    headers = {
        SIGNATURE_HEADER: sign(claim.secret, stamp, claim.body),
        TIMESTAMP_HEADER: str(stamp),
        DELIVERY_HEADER: str(claim.id),
    }
    try:
        post(claim.url, claim.body, headers, options.timeout)
    except Exception as exc:  # any failure of the endpoint or the network is retried
        return f"{type(exc).__name__}: {exc}"[:1000]
    return None


def _outcome(
    reg: Registry, claim: _Claim, error: str | None, options: DeliverOptions, now: datetime
) -> str:
    """Write the attempt's outcome: delivered, failed (pending, retried at its next attempt)
    or dead (its last allowed attempt failed)."""
    with reg.session() as session, session.begin():
        row = session.get(FeedDelivery, claim.id, with_for_update=True)
        assert row is not None
        if error is None:  # its payload is not kept: the changes stay in the log
            row.status, row.delivered_at, row.last_error, row.body = DELIVERED, now, None, ""
            return DELIVERED
        row.last_error = error
        if claim.attempts >= options.max_attempts:
            row.status = DEAD
            return DEAD
        return "failed"


def send(reg: Registry, post: Poster, options: DeliverOptions) -> dict[str, int]:
    """Send each endpoint's due deliveries in order; the outcomes. No transaction is open
    while a delivery is sent."""
    now, outcomes = options.now or datetime.now(UTC), {DELIVERED: 0, "failed": 0, DEAD: 0}
    with reg.session() as session:
        hooks = session.execute(
            select(FeedDelivery.webhook_id)
            .join(FeedWebhook, FeedDelivery.webhook_id == FeedWebhook.id)
            .where(FeedDelivery.status == PENDING, FeedWebhook.removed_at.is_(None))
            .distinct()
        ).scalars()
        pending_hooks = sorted(set(hooks))
    for webhook in pending_hooks:
        outcome = DELIVERED
        while outcome == DELIVERED and (claim := _claim(reg, webhook, options, now)) is not None:
            outcome = _outcome(reg, claim, _post(claim, post, options), options, now)
            outcomes[outcome] += 1
    return outcomes


def deliver(
    reg: Registry, post: Poster = http_post, options: DeliverOptions | None = None
) -> DeliverReport:
    """Queue the new changes of every endpoint, then send what is due."""
    chosen = options or DeliverOptions()
    queued = queue(reg, chosen)
    sent = send(reg, post, chosen)
    with reg.session() as session:
        pending = session.execute(
            select(func.count()).select_from(FeedDelivery).where(FeedDelivery.status == PENDING)
        ).scalar_one()
    return DeliverReport(queued, sent[DELIVERED], sent["failed"], sent[DEAD], pending)
