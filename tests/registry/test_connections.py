"""PostgreSQL connections from the pool: pinged only after they idled, and put back as they
were taken after a check sent its own ``BEGIN`` and ``COMMIT`` (``registry/store/pgcheck.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import create_engine, text

from socialcredit.errors import NotFoundError
from socialcredit.registry import Actor, Registry
from socialcredit.registry.reads import checkrun
from socialcredit.registry.reads.checks import CheckRequest, check, check_many
from socialcredit.registry.store import pgcheck
from socialcredit.registry.store.postgres import PostgresBackend, PostgresTuning
from tests.registry.conftest import PG_URL, open_registry
from tests.registry.helpers import P1

AIRLINE = Actor("airline", "service", "ticket sale")


pytestmark = pytest.mark.postgres


@contextmanager
def _pg_registry(db_url: str, tuning: PostgresTuning) -> Iterator[Registry]:
    with open_registry(db_url, PostgresBackend(tuning)) as registry:
        registry.engine.dispose()  # one pooled connection from here on: the one a test drops
        yield registry


@pytest.fixture
def pg_registry(db_url: str) -> Iterator[Registry]:
    with _pg_registry(db_url, PostgresTuning()) as registry:
        yield registry


def _backend(reg: Registry) -> int:
    """The server process of the connection the pool hands out next (the one last returned)."""
    with reg.engine.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        conn.rollback()
    assert isinstance(pid, int)
    return pid


def _terminate(pid: int) -> None:
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
    finally:
        admin.dispose()


@pytest.fixture
def always_pinging(db_url: str) -> Iterator[Registry]:
    """Every returned connection has idled."""
    with _pg_registry(db_url, PostgresTuning(ping_after_s=0.0)) as registry:
        yield registry


@pytest.fixture
def never_pinging(db_url: str) -> Iterator[Registry]:
    with _pg_registry(db_url, PostgresTuning(ping_after_s=3600.0)) as registry:
        yield registry


def test_an_idle_connection_the_server_dropped_is_replaced(always_pinging: Registry) -> None:
    pg_registry = always_pinging
    dropped = _backend(pg_registry)
    _terminate(dropped)
    assert check(pg_registry, P1, "flight-booking", AIRLINE).decision["effect"] == "allow"
    assert _backend(pg_registry) != dropped


def test_a_connection_used_a_moment_ago_is_not_pinged(never_pinging: Registry) -> None:
    """The trade-off: a connection dropped less than ``ping_after_s`` after its last use fails
    the one call that is handed it (nothing is written), and is then replaced."""
    pg_registry = never_pinging
    dropped = _backend(pg_registry)
    _terminate(dropped)
    with pytest.raises(psycopg.OperationalError):
        check(pg_registry, P1, "flight-booking", AIRLINE)
    assert check(pg_registry, P1, "flight-booking", AIRLINE).decision["effect"] == "allow"
    assert _backend(pg_registry) != dropped


def _driver_state(reg: Registry) -> tuple[bool, str]:
    with reg.engine.connect() as conn:
        raw: Any = conn.connection.driver_connection
        return raw.autocommit, raw.info.transaction_status.name


def test_a_check_puts_its_connection_back_as_it_took_it(pg_registry: Registry) -> None:
    check(pg_registry, P1, "flight-booking", AIRLINE)
    assert _driver_state(pg_registry) == (False, "IDLE")
    with pytest.raises(NotFoundError):  # refused after the read: rolled back
        check_many(pg_registry, [CheckRequest(P1, "no-such-service")], AIRLINE)
    assert _driver_state(pg_registry) == (False, "IDLE")


def test_a_connection_broken_during_a_check_is_not_pooled_again(
    pg_registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The driver connection is in autocommit mode during the check: one broken midway fails
    the check and is replaced, and the next transaction runs on a connection in its usual
    mode."""
    dropped = _backend(pg_registry)
    chain = checkrun.run

    def broken_midway(reg: Registry, conn: Any, pairs: Any, rows: Any) -> checkrun.Found:
        def terminated(found: checkrun.Found) -> list[dict[str, Any]]:
            _terminate(dropped)  # after the read, before the writes
            made: list[dict[str, Any]] = rows(found)
            return made

        return chain(reg, conn, pairs, terminated)

    monkeypatch.setattr(checkrun, "run", broken_midway)
    with pytest.raises(psycopg.OperationalError):
        check(pg_registry, P1, "flight-booking", AIRLINE)
    monkeypatch.setattr(checkrun, "run", chain)
    assert _backend(pg_registry) != dropped
    assert _driver_state(pg_registry) == (False, "IDLE")


def test_a_connection_left_in_a_transaction_is_not_pooled_in_autocommit_mode(
    pg_registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If a check ends with its connection alive but still in the transaction it began (an
    interruption before its rollback), the driver connection cannot leave autocommit mode: it
    is invalidated, so no later transaction runs on it in autocommit mode."""
    left_open = _backend(pg_registry)

    def interrupted(raw: Any, *_args: Any) -> None:
        raw.execute("BEGIN")
        raise KeyboardInterrupt  # before any rollback

    monkeypatch.setattr(pgcheck, "_transaction", interrupted)
    with pytest.raises(KeyboardInterrupt):
        check(pg_registry, P1, "flight-booking", AIRLINE)
    monkeypatch.undo()
    assert _driver_state(pg_registry) == (False, "IDLE")
    assert _backend(pg_registry) != left_open
