"""The transaction of point-of-service checks, run on the database driver's own connection.

Checks are the registry's hottest path: every one reads the stored decisions, appends an audit
entry under the chain's locked head and commits before it is answered. Through SQLAlchemy's
``Connection`` most of a check's time went to the execution layer, not to the database:
processing parameters and setting up results per statement, and rendering each expanding ``IN``
list anew for every list length (so SQLite prepared a new statement each time). Here the
statements are still SQLAlchemy Core, compiled once per dialect to text, and run on the DBAPI
connection. One statement reads everything but the head: a row per (subject, service) pair
asked, with the registry's date, the newest policy version id, the subject's assessment date
and the pair's stored decision. The pairs are one parameter (a JSON array read with
``json_each`` on SQLite, two arrays to ``unnest`` on PostgreSQL), so the statement's text is
the same for any number of checks and stays prepared.

The read comes before the head is locked, so the lock (one writer at a time) covers only the
audit append: on SQLite the read is a statement of its own (its own snapshot) and the write
transaction (``BEGIN IMMEDIATE``) starts after it; on PostgreSQL the read and the head's
``SELECT ... FOR UPDATE`` go in one round trip and the writes with the commit in another
(psycopg's pipeline mode). An answer is thus the state at a moment before its audit entry is
written, never older than the check itself.

:func:`run` is the whole transaction: read, lock, append the audit rows that the caller makes
of what was read, commit. The caller decides what to audit and what to refuse (an exception
rolls everything back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    Dialect,
    Select,
    Subquery,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ClauseElement

from socialcredit.registry.audit import AUDIT_INSERT, LOCK_HEAD, MOVE_HEAD, Head
from socialcredit.registry.bulk import copy_rows, is_postgres, to_json
from socialcredit.registry.context import Registry
from socialcredit.registry.database import driver_date
from socialcredit.registry.models import (
    AssessmentDecision,
    AssessmentRow,
    AuditEntry,
    PolicyVersion,
    RegistryState,
    table,
)
from socialcredit.registry.policystore import ActivePolicies

_STATE, _ASSESSMENTS, _DECISIONS, _ENTRIES = (
    table(RegistryState),
    table(AssessmentRow),
    table(AssessmentDecision),
    table(AuditEntry),
)


@dataclass(frozen=True)
class Found:
    """What the transaction read, and the audit head it locked. Decisions are kept as their
    stored JSON text, to be decoded after the commit (outside the writer's lock)."""

    head: Head
    today: date
    policies: ActivePolicies
    assessed: dict[str, date]
    stored: dict[tuple[str, str], str]


COPY_FROM = 64
"""From this many audit rows on (a batch request, not a group of single checks), PostgreSQL
gets them by ``COPY``: two more round trips, but one statement for the server instead of one
per row. The threshold is a judgement, not a measured crossover. The change that brought
``COPY`` here (from 16 rows, with the reads pipelined in the same change) gave 9,500 batch
subject-checks/s against 6,700 before it, in one API benchmark run each (load about 2.7)."""

GENERIC_PLANS = "SET LOCAL plan_cache_mode = force_generic_plan"
"""PostgreSQL plans the check's read once per connection, not at every check. With the
default plan cache it kept planning the read for its parameters: its bind took 0.23 ms of the
server's time at p50 in the statement log, for the same plan as the generic one. The pairs'
``unnest`` is estimated at ten rows in the generic plan and at their number in a custom one,
so the generic plan always looked dearer."""

AuditRows = Callable[[Found], list[dict[str, Any]]]
"""Makes the audit rows to append (``audit.chain``'s rows) from what was read; may raise to
refuse, which rolls the transaction back."""


def _pairs(postgres: bool) -> Subquery:
    """The (subject, service) pairs bound as one parameter, as a table of ``sid`` and
    ``service``: on PostgreSQL two arrays of the same length (``sids``, ``services``), on
    SQLite one JSON array of two-element arrays (``pairs``)."""
    if postgres:
        texts = postgresql.ARRAY(Text)
        both = func.unnest(bindparam("sids", type_=texts), bindparam("services", type_=texts))
        return select(both.table_valued("sid", "service").render_derived()).subquery()
    each = func.json_each(bindparam("pairs")).table_valued("value").alias("p")
    sid, service = (func.json_extract(each.c.value, literal_column(f"'$[{i}]'")) for i in (0, 1))
    return select(sid.label("sid"), service.label("service")).subquery()


def _checked(postgres: bool) -> Select[Any]:
    """One row per pair: the registry's date, the newest policy version id, the pair, its
    subject's assessment date and the pair's stored decision as JSON text (one index lookup in
    each table per pair)."""
    pairs, state, assessed, decided = _pairs(postgres), _STATE.c, _ASSESSMENTS.c, _DECISIONS.c
    latest = select(func.max(PolicyVersion.id)).scalar_subquery()
    match = and_(decided.subject_id == pairs.c.sid, decided.service == pairs.c.service)
    tables = (
        _STATE.join(pairs, true())
        .outerjoin(_ASSESSMENTS, assessed.subject_id == pairs.c.sid)
        .outerjoin(_DECISIONS, match)
    )
    pair = (pairs.c.sid, pairs.c.service, assessed.as_of, cast(decided.decision, Text))
    return select(state.as_of, latest, *pair).select_from(tables)


@dataclass(frozen=True)
class _Sql:
    """The check's statements as text for one dialect, and how it binds the pairs."""

    postgres: bool
    checked: str
    lock_head: str
    insert: str
    move_head: str

    @classmethod
    def compile(cls, dialect: Dialect, postgres: bool) -> _Sql:
        def text(statement: ClauseElement) -> str:
            return str(statement.compile(dialect=dialect))

        return cls(
            postgres=postgres,
            checked=text(_checked(postgres)),
            lock_head=text(LOCK_HEAD),
            insert=text(AUDIT_INSERT),
            move_head=text(MOVE_HEAD),
        )

    def paired(self, pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
        """The parameters of ``_pairs``."""
        if self.postgres:
            return {"sids": [sid for sid, _ in pairs], "services": [s for _, s in pairs]}
        return {"pairs": orjson.dumps(pairs).decode()}


_SQLITE = _Sql.compile(sqlite.dialect(paramstyle="named"), postgres=False)
_POSTGRES = _Sql.compile(postgresql.psycopg.dialect(), postgres=True)  # type: ignore[no-untyped-call]


def _read(sql: _Sql, raw: Any, pairs: Sequence[tuple[str, str]]) -> Any:
    """Send ``_checked`` for ``pairs``; the cursor to fetch its rows from."""
    cursor = raw.cursor()
    cursor.execute(sql.checked, sql.paired(pairs))
    return cursor


def _lock(sql: _Sql, raw: Any) -> Any:
    """Lock the audit head (SQLite: start the write transaction); the cursor to fetch it from."""
    if not sql.postgres:
        raw.execute("BEGIN IMMEDIATE")  # the driver is in autocommit mode (database.py)
    cursor = raw.cursor()
    cursor.execute(sql.lock_head)
    return cursor


def _found(rows: list[tuple[Any, ...]], policies: ActivePolicies, head: Head) -> Found:
    return Found(
        head=head,
        today=driver_date(rows[0][0]),
        policies=policies,
        assessed={row[2]: driver_date(row[4]) for row in rows if row[4] is not None},
        stored={(row[2], row[3]): row[5] for row in rows if row[5] is not None},
    )


class _Unknown(Exception):
    """The active policy set named by the read is not loaded yet (rolled back)."""

    def __init__(self, mark: int | None) -> None:
        self.mark = mark


def _append(sql: _Sql, raw: Any, rows: list[dict[str, Any]], copy: bool) -> None:
    """Append ``rows`` (by ``COPY`` if ``copy``), move the head and commit."""
    if copy:
        copy_rows(raw, _ENTRIES, rows)
    elif rows:
        json = [row | {"details": to_json(row["details"])} for row in rows]
        raw.cursor().executemany(sql.insert, json)
    if rows:
        moved = {"new_seq": rows[-1]["seq"], "new_head": rows[-1]["hash"]}
        raw.cursor().execute(sql.move_head, moved)
    if sql.postgres:
        raw.execute("COMMIT")  # queued in the pipeline with the writes (see _own_transaction)
    else:
        raw.commit()


def _locked_read(reg: Registry, sql: _Sql, raw: Any, pairs: Sequence[tuple[str, str]]) -> Found:
    """Read the pairs, then lock the head. On SQLite the read is fetched before the write
    transaction starts; on PostgreSQL both statements are sent before either is fetched."""
    read = _read(sql, raw, pairs)
    early: list[tuple[Any, ...]] | None = None if sql.postgres else read.fetchall()
    head = _lock(sql, raw)
    rows: list[tuple[Any, ...]] = read.fetchall() if early is None else early
    locked = head.fetchone()
    if not rows or locked is None:
        raise LookupError("registry state missing")
    policies = reg.known_policies(rows[0][1])
    if policies is None:
        raise _Unknown(rows[0][1])
    return _found(rows, policies, Head(*locked))


def _transaction(
    reg: Registry, raw: Any, sql: _Sql, pairs: Sequence[tuple[str, str]], rows: AuditRows
) -> Found:
    """Read, lock, audit, commit on ``raw`` (rolled back on any exception). On PostgreSQL the
    whole transaction is one pipeline (two round trips: the ``BEGIN`` with the read and the
    lock, then the writes with the ``COMMIT``), except that many audit rows go by ``COPY`` after
    it (COPY cannot be pipelined)."""
    try:
        with raw.pipeline() if sql.postgres else nullcontext():
            if sql.postgres:
                raw.execute("BEGIN")  # queued before the read (see _own_transaction)
                raw.execute(GENERIC_PLANS)
            found = _locked_read(reg, sql, raw, pairs)
            audit = rows(found)
            copy = sql.postgres and len(audit) >= COPY_FROM
            if not copy:
                _append(sql, raw, audit, copy=False)
        if copy:
            _append(sql, raw, audit, copy=True)
    except BaseException:
        raw.rollback()
        raise
    return found


@contextmanager
def _own_transaction(conn: Connection, raw: Any, postgres: bool) -> Iterator[None]:
    """PostgreSQL: the check sends its own ``BEGIN`` and ``COMMIT``, queued in its pipeline
    with the other statements. In pipeline mode psycopg waits for the server after the
    ``BEGIN`` it starts a transaction with and after ``commit()``, and the pipeline's end waits
    once more: four round trips a check instead of two. The driver connection is in autocommit
    mode meanwhile; if it cannot be put back (not idle) it is invalidated, never pooled in
    autocommit mode."""
    if not postgres:
        yield
        return
    raw.autocommit = True
    try:
        yield
    finally:
        try:
            raw.autocommit = False
        except Exception:  # not idle: broken, or left in a transaction
            conn.invalidate()


def run(
    reg: Registry, conn: Connection, pairs: Sequence[tuple[str, str]], rows: AuditRows
) -> Found:
    """The check transaction on ``conn``'s driver connection (``conn`` must not be in a
    transaction): read the assessments of the subjects of ``pairs`` (distinct (subject,
    service) pairs) and the stored decision of each pair, lock the audit head, append
    ``rows(found)`` to the audit chain and commit. Raise ``LookupError`` if the registry has no
    state row.

    The active policy set is named by the newest policy version id, read with the pairs: if this
    process has not met that set yet, it is loaded outside the transaction and the transaction
    is run again.
    """
    sql = _POSTGRES if is_postgres(conn) else _SQLITE
    raw: Any = conn.connection.driver_connection
    for _ in range(2):
        try:
            with _own_transaction(conn, raw, sql.postgres):
                return _transaction(reg, raw, sql, pairs, rows)
        except _Unknown as unknown:
            with conn.begin():
                reg.policies_at(conn, unknown.mark)
    raise RuntimeError("the active policies changed twice during one check")
