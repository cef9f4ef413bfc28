"""The registry's link tables: responsible-person links between an organisation and a person
(principle 7) and their append-only status history.

A link is addressed by (agency, the agency's link id), as a record is; its current dates are on
the row, and every change of one is written together with a ``link_events`` row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from socialcredit.registry.store.models import HASH, INT64, Base


class LinkRow(Base):
    """A registered link; ``key`` (``l<id>``) is its id in files and objections."""

    __tablename__ = "links"
    __table_args__ = (
        UniqueConstraint("agency", "source_id", name="uq_links_agency_source"),
        Index("ix_links_organisation_role", "organisation_id", "role"),
    )

    id: Mapped[int] = mapped_column(INT64, primary_key=True)
    agency: Mapped[str] = mapped_column(String(300))
    source_id: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"))
    person_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), index=True)
    role: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    source: Mapped[str] = mapped_column(String(16))  # engine.links.LinkSource
    authority: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str] = mapped_column(String(300))
    revoked_on: Mapped[date | None]
    disputed_on: Mapped[date | None]
    dispute_decided_on: Mapped[date | None]
    dispute_outcome: Mapped[str | None] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]]
    payload_sha256: Mapped[str] = mapped_column(HASH)
    retain_until: Mapped[date] = mapped_column(Date, index=True)
    registered_at: Mapped[datetime]

    @property
    def key(self) -> str:
        return link_key(self.id)


def link_key(link_id: int) -> str:
    return f"l{link_id}"


class LinkEvent(Base):
    """Append-only status history of a link: submitted, disputed, decided, revoked, expired."""

    __tablename__ = "link_events"

    id: Mapped[int] = mapped_column(INT64, primary_key=True)
    link_id: Mapped[int] = mapped_column(INT64, ForeignKey("links.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    on: Mapped[date]
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]]
