"""The tables of feeds to service providers: the decision-change log, webhook endpoints and
their deliveries (:mod:`socialcredit.registry.writes.feedlog`,
:mod:`socialcredit.registry.reads.feed`, :mod:`socialcredit.registry.workflows.webhooks`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from socialcredit.registry.store.models import INT64, SUBJECT_ID, Base

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"
"""The states of a delivery (``feed_deliveries.status``)."""


class FeedChange(Base):
    """An entry into, change of or exit from ``deny`` or ``restrict`` of one subject at one
    service, written with the assessment that made it. ``position`` orders the feed: it is
    given under the audit head's lock once the change is committed (null until then), so a
    reader never passes a change that commits later."""

    __tablename__ = "feed_changes"
    __table_args__ = (Index("ix_feed_changes_service_position", "service", "position"),)

    id: Mapped[int] = mapped_column(INT64, primary_key=True)
    position: Mapped[int | None] = mapped_column(INT64, unique=True)
    subject_id: Mapped[str] = mapped_column(SUBJECT_ID, index=True)
    service: Mapped[str] = mapped_column(String(64))
    change: Mapped[str] = mapped_column(String(8))
    effect: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[Any]]
    since: Mapped[date | None]
    until: Mapped[date | None]
    on: Mapped[date]


class FeedWebhook(Base):
    """A provider's endpoint for pushed changes; ``position``: the last change queued to it."""

    __tablename__ = "feed_webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(INT64)
    created_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]


class FeedDelivery(Base):
    """One signed payload of changes to one webhook: ``pending`` (retried with backoff) until
    ``delivered``, or ``dead`` after the last attempt allowed (redelivery makes it pending)."""

    __tablename__ = "feed_deliveries"
    __table_args__ = (Index("ix_feed_deliveries_due", "status", "webhook_id", "id"),)

    id: Mapped[int] = mapped_column(INT64, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("feed_webhooks.id"))
    first_position: Mapped[int] = mapped_column(INT64)
    last_position: Mapped[int] = mapped_column(INT64)
    count: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int]
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
