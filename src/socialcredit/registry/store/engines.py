"""Engines: SQLite and PostgreSQL through one code path, each served by its backend
(:mod:`socialcredit.registry.store`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from socialcredit.registry.store.backend import Backend
from socialcredit.registry.store.choose import open_engine


def driver_date(value: date | str) -> date:
    """A date column's value as the driver gives it (SQLite's gives the stored ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def create_db_engine(url: str, backend: Backend | None = None) -> Engine:
    """An engine for ``url`` (a SQLite file's directory is created if missing), served by
    ``backend`` (default: the database's own with its default settings)."""
    return open_engine(url, backend)
