"""Which backend serves an engine: one per engine, chosen by its URL's database."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL, make_url

from socialcredit.registry.store.backend import Backend
from socialcredit.registry.store.postgres import PostgresBackend
from socialcredit.registry.store.sqlite import SqliteBackend

_SERVING: WeakKeyDictionary[Engine, Backend] = WeakKeyDictionary()
_POSTGRES = PostgresBackend()
_DEFAULTS: dict[str, Backend] = {"sqlite": SqliteBackend(), "postgresql": _POSTGRES}


def backend_for(url: str | URL) -> Backend:
    """A new backend for the database of ``url`` (SQLite, else PostgreSQL), with its default
    settings."""
    if make_url(url).get_backend_name() == "sqlite":
        return SqliteBackend()
    return PostgresBackend()


def open_engine(url: str | URL, backend: Backend | None = None) -> Engine:
    """An engine for ``url`` served by ``backend`` (default: :func:`backend_for`)."""
    chosen = backend or backend_for(url)
    engine = chosen.create_engine(make_url(url))
    _SERVING[engine] = chosen
    return engine


def backend_of(conn: Connection | Engine) -> Backend:
    """The backend serving ``conn``'s engine (an engine not opened here: its database's
    default)."""
    engine = conn.engine
    found = _SERVING.get(engine)
    return found if found is not None else _DEFAULTS.get(engine.dialect.name, _POSTGRES)
