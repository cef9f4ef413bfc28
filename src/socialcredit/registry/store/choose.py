"""Which backend serves an engine: one per engine, chosen by its URL's database."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, exc
from sqlalchemy.engine import URL, make_url

from socialcredit.errors import InputError
from socialcredit.registry.store.backend import Backend
from socialcredit.registry.store.postgres import PostgresBackend
from socialcredit.registry.store.sqlite import SqliteBackend

_SERVING: WeakKeyDictionary[Engine, Backend] = WeakKeyDictionary()
_POSTGRES = PostgresBackend()
_DEFAULTS: dict[str, Backend] = {"sqlite": SqliteBackend(), "postgresql": _POSTGRES}


def parse_database_url(url: str | URL) -> URL:
    """``url`` parsed, or an :class:`InputError` that names what is wrong without repeating
    the URL (it may hold a password)."""
    try:
        parsed = make_url(url)
        _ = parsed.port  # a port that is not a number fails only when read
    except (exc.ArgumentError, ValueError) as error:
        raise InputError(
            "not a database URL: expected sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST:PORT/DATABASE",
            {"reason": type(error).__name__},
        ) from None
    if parsed.get_backend_name() not in _DEFAULTS:
        raise InputError(
            f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL",
            {"backend": parsed.get_backend_name()},
        )
    return parsed


def backend_for(url: str | URL) -> Backend:
    """A new backend for the database of ``url`` (SQLite or PostgreSQL), with its default
    settings."""
    if parse_database_url(url).get_backend_name() == "sqlite":
        return SqliteBackend()
    return PostgresBackend()


def open_engine(url: str | URL, backend: Backend | None = None) -> Engine:
    """An engine for ``url`` served by ``backend`` (default: :func:`backend_for`)."""
    chosen = backend or backend_for(url)
    engine = chosen.create_engine(parse_database_url(url))
    _SERVING[engine] = chosen
    return engine


def backend_of(conn: Connection | Engine) -> Backend:
    """The backend serving ``conn``'s engine (an engine not opened here: its database's
    default)."""
    engine = conn.engine
    found = _SERVING.get(engine)
    return found if found is not None else _DEFAULTS.get(engine.dialect.name, _POSTGRES)
