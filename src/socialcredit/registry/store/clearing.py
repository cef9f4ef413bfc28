"""Clearing subjects' stored assessments before they are written again.

Portable form: read the lists the subjects were on, then one ``DELETE`` per assessment table.
PostgreSQL's form (:func:`clear_in_one`) does all of it in one round trip.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Delete,
    Select,
    String,
    TextClause,
    bindparam,
    delete,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY

from socialcredit.registry.store.backend import Backend
from socialcredit.registry.store.models import (
    AssessmentDecision,
    AssessmentList,
    AssessmentRow,
    AssessmentScore,
    table,
)
from socialcredit.registry.store.sink import Cleared

ASSESSMENT_TABLES = (AssessmentScore, AssessmentList, AssessmentDecision, AssessmentRow)
_LISTS, _DECISIONS = table(AssessmentList), table(AssessmentDecision)


@dataclass(frozen=True)
class ClearStatements:
    old_lists: Select[Any]
    deletes: tuple[Delete, ...]


def clear_statements(backend: Backend) -> ClearStatements:
    return ClearStatements(
        old_lists=select(_LISTS.c.subject_id, _LISTS.c.list_id).where(
            backend.in_list(_LISTS.c.subject_id, "subjects")
        ),
        deletes=tuple(
            delete(t).where(backend.in_list(t.c.subject_id, "subjects"))
            for t in (table(m) for m in ASSESSMENT_TABLES)
        ),
    )


def clear_each(conn: Connection, q: ClearStatements, subjects: list[str]) -> Cleared:
    """The portable form: every decision row deleted."""
    found = [(*row, None) for row in conn.execute(q.old_lists, {"subjects": subjects})]
    for deleting in q.deletes:
        conn.execute(deleting, {"subjects": subjects})
    return gathered(found, keep_decisions=False)


def gathered(found: Iterable[Any], keep_decisions: bool) -> Cleared:
    """Rows of (subject, list or service, digest or None) as a :class:`Cleared`."""
    old_lists: dict[str, set[str]] = defaultdict(set)
    kept: dict[str, dict[str, str]] = defaultdict(dict)
    for sid, key, digest in found:
        if digest is None:
            old_lists[sid].add(key)
        else:
            kept[sid][key] = digest
    return Cleared(old_lists, kept if keep_decisions else None)


def clear_in_one(keep_decisions: bool) -> TextClause:
    """PostgreSQL: delete the subjects' assessment rows and return the lists they were on
    (digest null), in one round trip (data-modifying ``WITH``: every part runs once, on the
    same snapshot). ``keep_decisions``: the decision rows stay, and each comes back with the
    SHA-256 of its stored JSON text (a ``json`` value keeps the text it was given)."""
    kept = (AssessmentDecision,) if keep_decisions else ()
    names = [table(m).name for m in ASSESSMENT_TABLES if m not in kept]
    parts = [
        f"d{n} AS (DELETE FROM {name} WHERE subject_id = ANY(:subjects)"
        + (" RETURNING subject_id, list_id)" if name == _LISTS.name else ")")
        for n, name in enumerate(names)
    ]
    lists = f"d{names.index(_LISTS.name)}"
    found = f"SELECT subject_id, list_id, NULL AS digest FROM {lists}"
    if keep_decisions:
        digest = "encode(sha256(convert_to(decision::text, 'UTF8')), 'hex')"
        found += (
            f" UNION ALL SELECT subject_id, service, {digest} FROM {_DECISIONS.name}"
            " WHERE subject_id = ANY(:subjects)"
        )
    statement = text(f"WITH {', '.join(parts)} {found}")
    return statement.bindparams(bindparam("subjects", type_=ARRAY(String())))
