"""Service providers' feeds: the changes of decisions at their services since a cursor, and
their webhook endpoints and dead letters. A provider reaches only its own feed, endpoints and
deliveries; every change handed out is audited for its subject (``read.subject.feed``)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field, StringConstraints

from socialcredit.api.deps import Caller, Reg, RowId, caller
from socialcredit.api.problems import PROBLEMS, Problem
from socialcredit.api.schemas import Strict
from socialcredit.registry.reads.feed import MAX_LIMIT, Provider, read_feed
from socialcredit.registry.workflows.webhooks import (
    DeadLetter,
    Endpoint,
    add_webhook,
    dead_letters,
    redeliver,
    remove_webhook,
    webhooks,
)

EXPIRED: dict[int | str, dict[str, Any]] = {
    410: {"description": "The feed cursor expired: start again.", "model": Problem}
}
router = APIRouter(prefix="/v1/service", tags=["service"], responses=PROBLEMS | EXPIRED)
Service = Annotated[Caller, Depends(caller("service", purpose="feed of decision changes"))]
CursorText = Annotated[
    str | None,
    Query(max_length=500, description="The `next_cursor` of the previous page; empty: start."),
]


class FeedChangeOut(BaseModel):
    position: int
    subject: str
    service: str
    change: str = Field(description="enter, update or exit (of deny or restrict)")
    effect: str = Field(description="the effect from this change on (exit: allow or benefit)")
    reasons: list[dict[str, Any]] = Field(description="list, memorandum, measure, since, until")
    since: str | None
    until: str | None
    on: str = Field(description="the registry date of the change")


class FeedPageOut(BaseModel):
    changes: list[FeedChangeOut]
    next_cursor: str
    more: bool
    position: int


class WebhookIn(Strict):
    url: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class WebhookOut(BaseModel):
    id: int
    url: str
    position: int
    created_at: datetime
    secret: str | None = Field(None, description="Shown once, when the endpoint is registered.")


class DeadLetterOut(BaseModel):
    id: int
    webhook: int
    url: str
    first_position: int
    last_position: int
    count: int
    attempts: int
    last_error: str | None
    created_at: datetime


def _provider(who: Caller) -> Provider:
    identity = who.need()
    return Provider(identity.id, identity.services)


def _webhook_out(found: Endpoint) -> WebhookOut:
    return WebhookOut(
        id=found.id,
        url=found.url,
        position=found.position,
        created_at=found.created_at,
        secret=found.secret,
    )


def _dead_out(found: DeadLetter) -> DeadLetterOut:
    return DeadLetterOut(**asdict(found))


@router.get("/feed")
def feed(
    reg: Reg,
    who: Service,
    cursor: CursorText = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
) -> FeedPageOut:
    """The changes of decisions at the provider's services after the cursor, oldest first."""
    page = read_feed(reg, _provider(who), who.actor, cursor, limit)
    return FeedPageOut(
        changes=[FeedChangeOut(**c) for c in page.changes],
        next_cursor=page.next_cursor,
        more=page.more,
        position=page.position,
    )


@router.post("/webhooks", status_code=201)
def register_webhook(body: WebhookIn, reg: Reg, who: Service) -> WebhookOut:
    """Register an endpoint (a public http or https URL) for pushed changes; its signing secret
    is shown once."""
    found = add_webhook(reg, who.need().id, body.url, who.actor, public_only=True)
    return _webhook_out(found)


@router.get("/webhooks")
def list_webhooks(reg: Reg, who: Service) -> list[WebhookOut]:
    """The provider's endpoints and the position queued to each."""
    return [_webhook_out(w) for w in webhooks(reg, who.need().id)]


@router.delete("/webhooks/{webhook_id}", status_code=204)
def delete_webhook(webhook_id: RowId, reg: Reg, who: Service) -> Response:
    """Stop pushing to one of the provider's endpoints."""
    remove_webhook(reg, webhook_id, who.actor, who.need().id)
    return Response(status_code=204)


@router.get("/dead-letters")
def list_dead_letters(reg: Reg, who: Service) -> list[DeadLetterOut]:
    """Deliveries to the provider's endpoints that failed their last allowed attempt."""
    return [_dead_out(d) for d in dead_letters(reg, who.need().id)]


@router.post("/dead-letters/{delivery_id}/redeliver", status_code=204)
def redeliver_dead_letter(delivery_id: RowId, reg: Reg, who: Service) -> Response:
    """Make a dead letter pending again: the next `feeds deliver` sends it."""
    redeliver(reg, delivery_id, who.actor, who.need().id)
    return Response(status_code=204)
