"""Bulk writes: rows sent with ``COPY`` (PostgreSQL) are stored exactly as an ``INSERT`` stores
them, awkward text included, and the registry's invariants hold on either path."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import psycopg
import pytest
from sqlalchemy import Connection, delete, event, select

from socialcredit.registry import Registry
from socialcredit.registry.store.background import BackgroundSink, cuts
from socialcredit.registry.store.choose import backend_of
from socialcredit.registry.store.models import RecordEvent, RecordRow, Subject, table
from socialcredit.registry.store.pgsettings import LOOKUPS_OFF, LOOKUPS_ON
from socialcredit.registry.store.postgres import PostgresTuning
from socialcredit.registry.store.sink import PairDeletes, Rows
from socialcredit.registry.writes import reassess
from socialcredit.registry.writes.lifecycle import StatusChange, change_status
from socialcredit.registry.writes.submit import Submission, submit_lines
from socialcredit.registry.writes.tick import tick
from tests.registry.conftest import OPERATOR, open_registry, tuned
from tests.registry.helpers import COURT, assert_stored_equal_engine, person, spc

COPYING = PostgresTuning().copy_min  # rows enough for the background sink

# Text that COPY's text format must escape and records may hold: backslashes (before "t", "n"
# and "N" too), quotes, Chinese. Tabs, newlines and other control characters never reach it
# from a record (engine.hygiene refuses them); test_copy_text.py covers their escaping.
AWKWARD = 'tab\\there, line\\nbreak, back\\slash, \\N, "quoted", 法院 ✓'


def _records(count: int) -> list[dict[str, Any]]:
    found = []
    for n in range(count):
        raw = spc(f"b-{n}\\t{n}", subject=person(n % (count // 2)), reference=f"{AWKWARD} {n}")
        found.append(raw | {"authority": AWKWARD, "amount": "12.50"})
    return found


@pytest.fixture(params=[1, 10**9], ids=["copy", "insert"])
def either_path(request: pytest.FixtureRequest, db_url: str) -> Iterator[Registry]:
    """A registry whose PostgreSQL backend copies from one row on, or never."""
    with open_registry(db_url, tuned(db_url, PostgresTuning(copy_min=request.param))) as reg:
        yield reg


def test_bulk_paths_store_the_same(either_path: Registry) -> None:
    registry = either_path
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
        found = conn.exec_driver_sql(
            "SELECT current_setting('enable_seqscan'), current_setting('jit')"
        )
        return "/".join(found.one())

    postgres = registry.engine.dialect.name == "postgresql"
    backend = backend_of(registry.engine)
    with registry.engine.connect() as conn, conn.begin():
        with backend.key_lookups(conn):
            with backend.key_lookups(conn):  # nested: one block
                pass
            if postgres:
                assert seqscan(conn) == "off/off"
        if postgres:
            assert seqscan(conn) == "on/on"
    with registry.engine.connect() as conn:
        with pytest.raises(ZeroDivisionError), conn.begin(), backend.key_lookups(conn):
            _ = 1 / 0
        with conn.begin():
            if postgres:
                assert seqscan(conn) == "on/on"
                conn.exec_driver_sql("SET LOCAL jit = off")  # a value of the caller's: kept
            with backend.key_lookups(conn):
                pass
            if postgres:
                assert seqscan(conn) == "on/off"


@pytest.mark.postgres
def test_every_key_lookup_is_planned_without_sequential_scans(registry: Registry) -> None:
    """However few records a submission, a reassessment or a status change has, each statement
    that looks rows up by a list of keys runs inside a key-lookups block. psycopg prepares a
    statement after five runs and PostgreSQL may keep the generic plan made then: a plan made
    once outside the block (a small submission, tables without statistics) scanned whole tables
    for every later chunk."""
    statements: list[str] = []

    def seen(_c: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(registry.engine, "before_cursor_execute", seen)
    try:
        raws = _records(4)
        submit_lines(registry, list(enumerate(raws[:1], 1)), Submission(COURT, OPERATOR))
        submit_lines(registry, list(enumerate(raws[1:], 2)), Submission(COURT, OPERATOR))
        change = StatusChange("dispute", COURT, raws[0]["id"], date(2025, 1, 2))
        change_status(registry, change, OPERATOR)
        tick(registry, date(2025, 6, 1), OPERATOR)
    finally:
        event.remove(registry.engine, "before_cursor_execute", seen)
    off, lookups = False, 0
    for statement in statements:
        if statement in (LOOKUPS_ON, LOOKUPS_OFF):
            off = statement == LOOKUPS_ON
        elif "= ANY" in statement:
            lookups += 1
            assert off, statement
    assert lookups >= 10  # the submissions' lookups, the reassessments', the tick's


def test_a_failing_read_of_the_next_lines_comes_after_the_chunk_before_commits(
    registry: Registry,
) -> None:
    """An error reading the next lines is raised once the chunk before has committed."""

    def lines() -> Iterator[tuple[int, dict[str, Any]]]:
        yield from enumerate(_records(50), 1)  # the fixture's chunk: 50 lines
        raise OSError("the file went away")

    with pytest.raises(OSError, match="went away"):
        submit_lines(registry, lines(), Submission(COURT, OPERATOR))
    with registry.session() as session:
        assert len(session.execute(select(RecordRow.id)).all()) == 50
    assert_stored_equal_engine(registry)


@pytest.mark.postgres
def test_background_copies_raise_the_first_error(registry: Registry) -> None:
    """A ``COPY`` that fails in the background raises in the caller when the block ends (the
    transaction then rolls back, nothing after the failure is sent), and the connection serves
    the next transaction."""
    event = {"kind": "registered", "on": date(2025, 1, 1), "actor": "t", "details": {}}
    now = datetime.now(UTC)
    subject = {"id": person(1), "kind": "person", "created_at": now}
    backend = backend_of(registry.engine)
    with registry.engine.connect() as conn:
        failing = pytest.raises(psycopg.errors.ForeignKeyViolation)
        with failing, conn.begin(), backend.sink(conn, COPYING) as sink:
            assert isinstance(sink, BackgroundSink)
            sink.write([(Rows(table(RecordEvent), [event | {"record_id": 10**6, "at": now}]),)])
            sink.write([(Rows(table(Subject), [subject]),)])
        assert conn.execute(select(table(Subject).c.id)).all() == []
        conn.rollback()
        with conn.begin():  # a later background block on the connection works
            with backend.sink(conn, COPYING) as sink:
                sink.write([(Rows(table(Subject), [subject]),)])
            assert conn.execute(select(table(Subject).c.id)).scalars().all() == [person(1)]


@pytest.mark.postgres
def test_background_copies_wait_for_the_server_and_drop_the_rest_on_an_error(
    registry: Registry,
) -> None:
    """Many tables' rows queued at once are all stored when the block ends; when the caller
    raises inside the block, the rows not yet sent are dropped and the error is the caller's."""
    now = datetime.now(UTC)
    subjects = [{"id": person(n), "kind": "person", "created_at": now} for n in range(300)]
    backend = backend_of(registry.engine)
    with registry.engine.connect() as conn:
        with conn.begin() as transaction:
            with backend.sink(conn, COPYING) as sink:
                for part in range(0, 300, 30):
                    sink.write([(Rows(table(Subject), subjects[part : part + 30]),)])
            assert len(conn.execute(select(table(Subject).c.id)).all()) == 300
            transaction.rollback()
        with pytest.raises(ZeroDivisionError), conn.begin(), backend.sink(conn, COPYING) as sink:
            for part in range(0, 300, 30):
                sink.write([(Rows(table(Subject), subjects[part : part + 30]),)])
            _ = 1 / 0
        assert conn.execute(select(table(Subject).c.id)).all() == []


def test_a_chunks_assessment_rows_go_out_in_a_few_batches_in_the_background() -> None:
    assert cuts(1000) == {500, 800}
    assert cuts(150) == {75}  # what is left is a batch too
    assert cuts(99) == set()  # too few to split


def test_an_immediate_sink_stores_a_write_call_in_one_statement_per_table(db_url: str) -> None:
    """Stored at once (SQLite; few rows on PostgreSQL), the consecutive writes of the same
    tables given to one call are combined: one insert per table, in the order given, even for
    a thousand writes; a delete of pairs comes after the rows before it. (On PostgreSQL the
    insert is made an ``INSERT`` here, not a ``COPY``, to be seen.)"""
    now = datetime.now(UTC)
    subjects = table(Subject)
    writes = [
        (Rows(subjects, [{"id": person(n), "kind": "person", "created_at": now}]),)
        for n in range(1000)
    ]
    gone = [(person(n), "person") for n in range(0, 1000, 2)]
    statements: list[str] = []

    def seen(_c: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.split(maxsplit=1)[0].upper())

    inserting = tuned(db_url, PostgresTuning(copy_min=10**9))
    with open_registry(db_url, inserting) as registry, registry.engine.connect() as conn:
        with conn.begin(), backend_of(conn).sink(conn, 1) as sink:
            assert not isinstance(sink, BackgroundSink)
            event.listen(conn, "before_cursor_execute", seen)
            sink.write(writes)
            sink.write([(PairDeletes(subjects, ("id", "kind"), gone),)])
            event.remove(conn, "before_cursor_execute", seen)
        stored = conn.execute(select(subjects.c.id)).scalars().all()
    assert statements == ["INSERT", "DELETE"]
    assert sorted(stored) == sorted(person(n) for n in range(1, 1000, 2))


def _decision_rows(registry: Registry) -> dict[tuple[str, str], tuple[str, Any]]:
    """(subject, service) -> (the row's physical place, its decision)."""
    with registry.engine.connect() as conn:
        found = conn.exec_driver_sql(
            "SELECT subject_id, service, ctid::text, decision FROM assessment_decisions"
        )
        return {(s, service): (place, d) for s, service, place, d in found}


@pytest.mark.postgres
def test_background_reassessments_keep_decision_rows_they_repeat(registry: Registry) -> None:
    """On PostgreSQL a chunk's reassessment leaves a stored decision row in place when the
    new assessment repeats it word for word, and replaces the others; either way the stored
    assessments equal the engine's."""
    subjects = [person(n) for n in range(20)]
    first = [(n, spc(f"k-{n}", subject=s)) for n, s in enumerate(subjects, 1)]
    assert submit_lines(registry, first, Submission(COURT, OPERATOR)).count("registered") == 20
    before = _decision_rows(registry)
    assert before
    with registry.session() as session, session.begin():
        active = registry.policies(session)
        today = registry.state(session).as_of
        reassess.reassess(session, active, reassess.Scope(subjects, today, "t"))
    assert _decision_rows(registry) == before  # nothing changed: every row stays in place
    second = [
        (n, spc(f"k2-{n}", subject=subjects[n % 10], decided=date(2024, 11, 1 + n % 20)))
        for n in range(20)
    ]
    assert submit_lines(registry, second, Submission(COURT, OPERATOR)).count("registered") == 20
    after = _decision_rows(registry)
    assert_stored_equal_engine(registry)
    changed = {key for key in before.keys() & after.keys() if before[key][1] != after[key][1]}
    assert changed, "the second records changed some decisions"
    for key in before.keys() & after.keys():
        assert (before[key][0] == after[key][0]) == (key not in changed)


@pytest.mark.postgres
def test_background_reassessment_of_subjects_without_records_keeps_no_decision(
    registry: Registry,
) -> None:
    """A subject whose records are gone (retention) keeps no decision row of its own either,
    when its reassessment runs in the background."""
    subjects = [person(n) for n in range(20)]
    lines = [(n, spc(f"g-{n}", subject=s)) for n, s in enumerate(subjects, 1)]
    assert submit_lines(registry, lines, Submission(COURT, OPERATOR)).count("registered") == 20
    assert _decision_rows(registry)
    with registry.session() as session, session.begin():
        ids = select(RecordRow.id).where(RecordRow.subject_id.in_(subjects[:10]))
        session.execute(delete(RecordEvent).where(RecordEvent.record_id.in_(ids)))
        session.execute(delete(RecordRow).where(RecordRow.subject_id.in_(subjects[:10])))
        active = registry.policies(session)
        today = registry.state(session).as_of
        reassess.reassess(session, active, reassess.Scope(subjects, today, "t"))
        session.execute(delete(Subject).where(Subject.id.in_(subjects[:10])))
    assert {s for s, _ in _decision_rows(registry)} == set(subjects[10:])
    assert_stored_equal_engine(registry)
