"""Bulk writes: rows sent with ``COPY`` (PostgreSQL) are stored exactly as an ``INSERT`` stores
them, awkward text included, and the registry's invariants hold on either path."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import psycopg
import pytest
from sqlalchemy import Connection, select

from socialcredit.registry import Registry, bulk, live
from socialcredit.registry.lifecycle import StatusChange, change_status
from socialcredit.registry.models import RecordEvent, RecordRow, Subject, table
from socialcredit.registry.submit import Submission, _Ahead, submit_lines
from socialcredit.registry.tick import tick
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, assert_stored_equal_engine, person, spc

# Text that COPY's text format must escape: tab, newline, carriage return, backslash, "\N".
AWKWARD = 'tab\there, line\nbreak, cr\r, back\\slash, \\N, "quoted", 法院 ✓'


def _records(count: int) -> list[dict[str, Any]]:
    found = []
    for n in range(count):
        raw = spc(f"b-{n}\t{n}", subject=person(n % (count // 2)), reference=f"{AWKWARD} {n}")
        found.append(raw | {"authority": AWKWARD, "amount": "12.50"})
    return found


@pytest.mark.parametrize("copy_min", [1, 10**9], ids=["copy", "insert"])
def test_bulk_paths_store_the_same(
    registry: Registry, monkeypatch: pytest.MonkeyPatch, copy_min: int
) -> None:
    monkeypatch.setattr(bulk, "COPY_MIN", copy_min)
    raws = _records(60)
    report = submit_lines(registry, list(enumerate(raws, 1)), Submission(COURT, OPERATOR))
    assert report.count("registered") == 60, report.refused
    with registry.session() as session:
        rows = {r.source_id: r for r in session.execute(select(RecordRow)).scalars()}
    for raw in raws:
        row = rows[raw["id"]]
        assert row.reference == raw["reference"]
        assert row.authority == AWKWARD
        assert row.payload["reference"] == raw["reference"]
        assert row.payload["id"] == raw["id"]
    assert sorted(r.id for r in rows.values()) == [r.id for r in rows.values()]  # line order
    assert_stored_equal_engine(registry)
    again = submit_lines(registry, list(enumerate(raws, 1)), Submission(COURT, OPERATOR))
    assert again.count("unchanged") == 60
    change = StatusChange("dispute", COURT, raws[0]["id"], date(2025, 1, 2))
    change_status(registry, change, OPERATOR)
    tick(registry, date(2025, 6, 1), OPERATOR)
    assert_stored_equal_engine(registry)


def test_key_lookups_is_scoped_to_its_block(registry: Registry) -> None:
    def seqscan(conn: Connection) -> str:
        return str(conn.exec_driver_sql("SHOW enable_seqscan").scalar_one())

    postgres = registry.engine.dialect.name == "postgresql"
    with registry.engine.connect() as conn, conn.begin():
        with bulk.key_lookups(conn, 1000):
            with bulk.key_lookups(conn, 1000):  # nested: one block
                pass
            if postgres:
                assert seqscan(conn) == "off"
        with bulk.key_lookups(conn, 1):  # a few keys: nothing set
            if postgres:
                assert seqscan(conn) == "on"
        if postgres:
            assert seqscan(conn) == "on"
    with registry.engine.connect() as conn:
        with pytest.raises(ZeroDivisionError), conn.begin(), bulk.key_lookups(conn, 1000):
            _ = 1 / 0
        with conn.begin():
            if postgres:
                assert seqscan(conn) == "on"
            with bulk.key_lookups(conn, 1000):
                pass


def test_a_failing_read_of_the_next_lines_comes_after_the_chunk_before_commits(
    registry: Registry,
) -> None:
    """The next chunk is read while the current one is stored (in the background on
    PostgreSQL): an error reading it is raised once the current chunk has committed, as when
    the lines were read one chunk at a time."""

    def lines() -> Iterator[tuple[int, dict[str, Any]]]:
        yield from enumerate(_records(50), 1)  # the fixture's chunk: 50 lines
        raise OSError("the file went away")

    with pytest.raises(OSError, match="went away"):
        submit_lines(registry, lines(), Submission(COURT, OPERATOR))
    with registry.session() as session:
        assert len(session.execute(select(RecordRow.id)).all()) == 50
    assert_stored_equal_engine(registry)


def test_lines_checked_in_advance_are_checked_again_under_other_policies(
    registry: Registry,
) -> None:
    with registry.session() as session:
        active = registry.policies(session)
    chunk: list[tuple[int, Any]] = [(1, spc("x-1")), (2, "unreadable line")]
    ahead = _Ahead(iter([chunk]))
    ahead.prepare(active, COURT)
    assert ahead.next() == chunk
    early = ahead.checked
    assert ahead.take(chunk, active, COURT) is early  # the same policies: not checked again
    ahead.prepare(active, COURT)  # nothing left to read
    assert ahead.next() is None
    other = dataclasses.replace(active)  # another set of policies in force
    ahead.active, ahead.checked = active, early
    again = ahead.take(chunk, other, COURT)
    assert again is not early and len(again) == 2


def test_background_copies_raise_the_first_error_and_restore_the_switch_interval(
    registry: Registry,
) -> None:
    """A ``COPY`` that fails in the background raises in the caller when the block ends (the
    transaction then rolls back, nothing after the failure is sent), and the interpreter's
    switch interval is what it was."""
    if registry.engine.dialect.name != "postgresql":
        pytest.skip("the background sender is PostgreSQL's")
    before = sys.getswitchinterval()
    event = {"kind": "registered", "on": date(2025, 1, 1), "actor": "t", "details": {}}
    now = datetime.now(UTC)
    failing = pytest.raises(psycopg.errors.ForeignKeyViolation)
    with registry.engine.connect() as conn:
        with failing, conn.begin(), bulk.copies(conn, True) as out, bulk.copies(conn, True) as two:
            assert out.background and two.background
            assert sys.getswitchinterval() == pytest.approx(min(bulk.SWITCH_INTERVAL, before))
            two.close()  # nested: the interval stays short until the last one ends
            assert sys.getswitchinterval() == pytest.approx(min(bulk.SWITCH_INTERVAL, before))
            out.put(table(RecordEvent), [event | {"record_id": 10**6, "at": now}])
            out.put(table(Subject), [{"id": person(1), "kind": "person", "created_at": now}])
        assert sys.getswitchinterval() == before
        assert conn.execute(select(table(Subject).c.id)).all() == []
    with registry.engine.connect() as conn, conn.begin():  # a later background block works
        with bulk.copies(conn, background=True) as out:
            out.put(table(Subject), [{"id": person(1), "kind": "person", "created_at": now}])
        assert conn.execute(select(table(Subject).c.id)).scalars().all() == [person(1)]
    assert sys.getswitchinterval() == before


def test_a_chunks_assessment_rows_go_out_in_a_few_batches_in_the_background() -> None:
    assert live._cuts(1000, background=True) == {500, 800}
    assert live._cuts(150, background=True) == {75}  # what is left is a batch too
    assert live._cuts(99, background=True) == set()  # too few to split
    assert live._cuts(1000, background=False) == set()  # inline: one insert per table
