"""The registry's date is read without a write transaction (health probes, due dates)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from socialcredit.errors import NotFoundError
from socialcredit.registry import Registry, RegistrySettings
from socialcredit.registry.store.schema import upgrade


def test_today_is_the_state_rows_date(registry: Registry) -> None:
    with registry.session() as session:
        assert registry.today() == registry.state(session).as_of


def test_today_does_not_wait_for_a_writer(registry: Registry) -> None:
    """A writer holds its transaction open (on SQLite: the writer's lock); the date is read
    meanwhile, where a session would have waited for the writer."""
    found: list[object] = []
    with registry.session() as session, session.begin():
        registry.state(session)  # the writer's transaction has begun (and locked, on SQLite)
        reader = threading.Thread(target=lambda: found.append(registry.today()))
        reader.start()
        reader.join(timeout=10)
        assert not reader.is_alive() and len(found) == 1


def test_today_without_a_state_row_says_so(tmp_path: Path) -> None:
    """Tables but no registry (migrated, never initialised): the error the session path gives."""
    empty = Registry.open(RegistrySettings(database_url=f"sqlite:///{tmp_path}/empty.db"))
    try:
        upgrade(empty.engine)
        with pytest.raises(NotFoundError, match="holds no registry"):
            empty.today()
    finally:
        empty.close()
