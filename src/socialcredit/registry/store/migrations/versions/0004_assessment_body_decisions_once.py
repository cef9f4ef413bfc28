"""assessment body holds each decision once

A decision other than ``allow`` is stored once, as the subject's ``assessment_decisions`` row
(which checks read), no longer also inside ``assessments.body``: there its place in the
service order holds ``null``, and reads put the row back
(``registry.writes.assessrows.full_body``). This rewrites the bodies already stored (in batches
of subjects); the downgrade puts the decisions back. No column changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 17:30:00.000000
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

BATCH = 1000
_ASSESSMENTS = sa.table(
    "assessments", sa.column("subject_id", sa.String()), sa.column("body", sa.JSON())
)
_DECISIONS = sa.table(
    "assessment_decisions",
    sa.column("subject_id", sa.String()),
    sa.column("service", sa.String()),
    sa.column("decision", sa.JSON()),
)
_UPDATE = (
    sa.update(_ASSESSMENTS)
    .where(_ASSESSMENTS.c.subject_id == sa.bindparam("sid"))
    .values(body=sa.bindparam("new_body", type_=sa.JSON()))
)

Rewrite = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


def _once(body: dict[str, Any], rows: dict[str, Any]) -> dict[str, Any]:
    """``null`` in place of each decision that has its row."""
    decisions = body["decisions"]
    return body | {"decisions": {s: None if s in rows else d for s, d in decisions.items()}}


def _whole(body: dict[str, Any], rows: dict[str, Any]) -> dict[str, Any]:
    """Each ``null`` decision replaced by its row."""
    decisions = body["decisions"]
    return body | {"decisions": {s: rows[s] if d is None else d for s, d in decisions.items()}}


def _rewrite(change: Rewrite) -> None:
    bind = op.get_bind()
    last = ""
    while True:
        found = bind.execute(
            sa.select(_ASSESSMENTS.c.subject_id, _ASSESSMENTS.c.body)
            .where(_ASSESSMENTS.c.subject_id > last)
            .order_by(_ASSESSMENTS.c.subject_id)
            .limit(BATCH)
        ).all()
        if not found:
            return
        subjects = [sid for sid, _ in found]
        rows: dict[str, dict[str, Any]] = defaultdict(dict)
        query = sa.select(_DECISIONS).where(_DECISIONS.c.subject_id.in_(subjects))
        for sid, service, decision in bind.execute(query):
            rows[sid][service] = decision
        changed = [
            {"sid": sid, "new_body": change(body, rows[sid])} for sid, body in found if rows[sid]
        ]
        if changed:
            bind.execute(_UPDATE, changed)
        last = subjects[-1]


def upgrade() -> None:
    _rewrite(_once)


def downgrade() -> None:
    _rewrite(_whole)
