"""The check's statements: SQLAlchemy Core, compiled once per dialect to text.

One statement reads everything but the head: a row per (subject, service) pair asked, with the
registry's date, the newest policy version id, the subject's assessment date and the pair's
stored decision. The pairs are one parameter (a JSON array read with ``json_each`` on SQLite,
two arrays to ``unnest`` on PostgreSQL), so the statement's text is the same for any number of
checks and stays prepared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
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
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ClauseElement

from socialcredit.registry.store.headsql import AUDIT_INSERT, LOCK_HEAD, MOVE_HEAD, STATE
from socialcredit.registry.store.models import (
    AssessmentDecision,
    AssessmentRow,
    PolicyVersion,
    table,
)

_ASSESSMENTS, _DECISIONS = table(AssessmentRow), table(AssessmentDecision)


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
    subject's assessment date, the pair's stored decision as JSON text and the assessment's next
    change date (one index lookup in each table per pair)."""
    pairs, state, assessed, decided = _pairs(postgres), STATE.c, _ASSESSMENTS.c, _DECISIONS.c
    latest = select(func.max(PolicyVersion.id)).scalar_subquery()
    match = and_(decided.subject_id == pairs.c.sid, decided.service == pairs.c.service)
    tables = (
        STATE.join(pairs, true())
        .outerjoin(_ASSESSMENTS, assessed.subject_id == pairs.c.sid)
        .outerjoin(_DECISIONS, match)
    )
    pair = (
        pairs.c.sid,
        pairs.c.service,
        assessed.as_of,
        cast(decided.decision, Text),
        assessed.next_change_on,
    )
    return select(state.as_of, latest, *pair).select_from(tables)


@dataclass(frozen=True)
class CheckSql:
    """The check's statements as text for one dialect, and how it binds the pairs."""

    postgres: bool
    checked: str
    lock_head: str
    insert: str
    move_head: str

    @classmethod
    def compile(cls, dialect: Dialect, postgres: bool) -> CheckSql:
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
        """The parameters of the pairs."""
        if self.postgres:
            return {"sids": [sid for sid, _ in pairs], "services": [s for _, s in pairs]}
        return {"pairs": orjson.dumps(pairs).decode()}
