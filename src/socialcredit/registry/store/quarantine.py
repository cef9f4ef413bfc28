"""The quarantine: the lines of agencies' submissions the registry refused, kept with their
reasons until the agency resubmits them corrected or retention deletes them.

A line's raw text is personal data (it names a subject): it is blanked when the line is
resolved, and the row is deleted at its ``retain_until`` or with its subject
(``writes.erasure``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from socialcredit.registry.store.models import INT64, SUBJECT_ID, Base


class QuarantineLine(Base):
    """One refused line: whose, from which submission and file, where, what it said, why."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(INT64, primary_key=True)
    agency: Mapped[str] = mapped_column(String(300), index=True)
    submission: Mapped[str] = mapped_column(String(36), index=True)
    source: Mapped[str] = mapped_column(String(300))
    line: Mapped[int] = mapped_column(Integer)
    record_id: Mapped[str | None] = mapped_column(String(200))
    subject_id: Mapped[str | None] = mapped_column(SUBJECT_ID, index=True)
    raw: Mapped[str | None] = mapped_column(Text)
    reasons: Mapped[list[Any]]
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | resolved
    created_at: Mapped[datetime]
    retain_until: Mapped[date] = mapped_column(index=True)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(36))
