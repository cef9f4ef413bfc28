"""Webhooks: a service provider's endpoints for pushed feed changes, and their dead letters.

A provider registers an endpoint (an ``http`` or ``https`` URL); the registry makes it a secret
(shown once, at registration) with which every delivery is signed. Changes are queued to the
endpoint from its provider's first change on, and sent by ``socialcredit feeds deliver``
(:mod:`socialcredit.registry.workflows.webhookdelivery`). A delivery that failed its last
allowed attempt is a dead letter: listed, and sent again on request (``redeliver``).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcredit.errors import NotFoundError, WebhookError
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.feeds import DEAD, PENDING, FeedDelivery, FeedWebhook

SIGNATURE_HEADER = "X-Socialcredit-Signature"
TIMESTAMP_HEADER = "X-Socialcredit-Timestamp"
DELIVERY_HEADER = "X-Socialcredit-Delivery"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: ``v1=`` and the hex HMAC-SHA256, under the endpoint's
    secret, of the timestamp (Unix seconds), a dot and the body."""
    signed = str(timestamp).encode() + b"." + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Endpoint:
    id: int
    principal: int
    url: str
    position: int
    created_at: datetime
    secret: str | None = None  # only when just registered


def _checked_url(url: str, public_only: bool) -> str:
    """``url`` if the registry may post to it (``public_only``: not to a loopback, private or
    link-local address named as such, the rule for endpoints registered through the API)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise WebhookError(
            f"a webhook URL must be an http or https URL with a host, not {url!r}",
            {"url": url},
        )
    if public_only and _internal(parts.hostname):
        raise WebhookError(
            f"a provider's webhook must be on a public address, not {parts.hostname!r}",
            {"url": url},
        )
    return url


def _internal(host: str) -> bool:
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def _endpoint(row: FeedWebhook, secret: str | None = None) -> Endpoint:
    return Endpoint(row.id, row.principal_id, row.url, row.position, row.created_at, secret)


def add_webhook(
    reg: Registry, principal: int, url: str, actor: Actor, public_only: bool = False
) -> Endpoint:
    """Register ``url`` for the provider ``principal``; the endpoint's secret is returned once.
    ``public_only``: refuse internal addresses (a provider registering its own endpoint)."""
    checked, secret = _checked_url(url, public_only), secrets.token_hex(32)
    with reg.session() as session, session.begin():
        row = FeedWebhook(
            principal_id=principal,
            url=checked,
            secret=secret,
            position=0,
            created_at=datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        event = AuditEvent("write.feed.webhook", None, {"webhook": row.id, "principal": principal})
        append(session, actor, [event])
        return _endpoint(row, secret)


def webhooks(reg: Registry, principal: int | None = None) -> list[Endpoint]:
    """The registered endpoints (of ``principal`` only, if given)."""
    query = select(FeedWebhook).where(FeedWebhook.removed_at.is_(None))
    if principal is not None:
        query = query.where(FeedWebhook.principal_id == principal)
    with reg.session() as session:
        return [_endpoint(r) for r in session.execute(query.order_by(FeedWebhook.id)).scalars()]


def remove_webhook(reg: Registry, webhook: int, actor: Actor, principal: int | None = None) -> None:
    """Stop pushing to an endpoint (``principal``: only one of its own); what was queued to it
    stays listed (its dead letters too), and nothing more is queued or sent to it."""
    with reg.session() as session, session.begin():
        row = session.get(FeedWebhook, webhook, with_for_update=True)
        if row is None or row.removed_at is not None or principal not in (None, row.principal_id):
            raise NotFoundError(f"no webhook {webhook} of this provider", {"webhook": webhook})
        row.removed_at = datetime.now(UTC)
        event = AuditEvent("write.feed.webhook.removed", None, {"webhook": webhook})
        append(session, actor, [event])


@dataclass(frozen=True)
class DeadLetter:
    id: int
    webhook: int
    url: str
    first_position: int
    last_position: int
    count: int
    attempts: int
    last_error: str | None
    created_at: datetime


def dead_letters(reg: Registry, principal: int | None = None) -> list[DeadLetter]:
    """Deliveries that failed their last allowed attempt (of ``principal`` only, if given)."""
    query = (
        select(FeedDelivery, FeedWebhook)
        .join(FeedWebhook, FeedDelivery.webhook_id == FeedWebhook.id)
        .where(FeedDelivery.status == DEAD)
    )
    if principal is not None:
        query = query.where(FeedWebhook.principal_id == principal)
    with reg.session() as session:
        found = session.execute(query.order_by(FeedDelivery.id)).all()
        return [
            DeadLetter(
                d.id,
                w.id,
                w.url,
                d.first_position,
                d.last_position,
                d.count,
                d.attempts,
                d.last_error,
                d.created_at,
            )
            for d, w in found
        ]


def redeliver(reg: Registry, delivery: int, actor: Actor, principal: int | None = None) -> None:
    """Make the dead letter ``delivery`` pending again (attempts from zero, due at once)."""
    with reg.session() as session, session.begin():
        row = _dead(session, delivery, principal)
        row.status, row.attempts, row.next_attempt_at = PENDING, 0, datetime.now(UTC)
        event = AuditEvent("write.feed.redeliver", None, {"delivery": delivery})
        append(session, actor, [event])


def _dead(session: Session, delivery: int, principal: int | None) -> FeedDelivery:
    row = session.get(FeedDelivery, delivery, with_for_update=True)
    hook = None if row is None else session.get(FeedWebhook, row.webhook_id)
    if row is None or hook is None or (principal is not None and hook.principal_id != principal):
        raise NotFoundError(f"no delivery {delivery} of this provider", {"delivery": delivery})
    if row.status != DEAD:
        raise WebhookError(
            f"delivery {delivery} is {row.status}, not a dead letter: only dead letters are "
            "delivered again",
            {"delivery": delivery, "status": row.status},
        )
    return row
