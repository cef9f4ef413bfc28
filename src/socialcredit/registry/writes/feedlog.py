"""The decision-change log: what a service provider's feed holds.

Whenever a subject's stored assessment changes, the entries into, changes of and exits from
``deny`` and ``restrict`` at each service are appended to ``feed_changes`` by the writer of the
assessment, in the same transaction (:mod:`socialcredit.registry.writes.reassess`): the
decisions restricting the subjects are read before their assessment rows are cleared, and
compared with the new ones.

A change holds only what the provider's check would answer, and less: the subject's identifier
as the check takes it, the service, the effect, and for each reason that restricts, its list,
memorandum, measure, effect and since/until (no record keys, no scores, no remedies), with the
registry's date on which the change was made. The engine never restricts a minor (principle 13),
so no minor ever appears in a feed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, select

from socialcredit.registry.store.backend import Backend
from socialcredit.registry.store.choose import backend_of
from socialcredit.registry.store.models import AssessmentDecision, table

RESTRICTING = ("deny", "restrict")
REASON_FIELDS = ("list", "memorandum", "measure", "effect", "since", "until")
ENTER, UPDATE, EXIT = "enter", "update", "exit"

_DECISIONS = table(AssessmentDecision)
Decisions = Mapping[str, Mapping[str, Any]]  # service -> decision JSON


def _restricting_query(backend: Backend) -> Select[Any]:
    return select(_DECISIONS.c.subject_id, _DECISIONS.c.service, _DECISIONS.c.decision).where(
        backend.in_list(_DECISIONS.c.subject_id, "subjects"),
        _DECISIONS.c.effect.in_(RESTRICTING),
    )


def restricting(conn: Connection, subjects: list[str]) -> dict[str, dict[str, Any]]:
    """The stored decisions that deny or restrict ``subjects``, by subject and service (read
    before the subjects' assessments are cleared)."""
    query = backend_of(conn).statements(_restricting_query)
    found: dict[str, dict[str, Any]] = defaultdict(dict)
    for sid, service, decision in conn.execute(query, {"subjects": subjects}):
        found[sid][service] = decision
    return found


def view(decision: Mapping[str, Any] | None) -> tuple[str, list[dict[str, Any]]] | None:
    """What a feed shows of ``decision``: its effect and restricting reasons (None: it neither
    denies nor restricts)."""
    if decision is None or decision["effect"] not in RESTRICTING:
        return None
    reasons = [
        {key: reason[key] for key in REASON_FIELDS if key in reason}
        for reason in decision["reasons"]
        if reason.get("effect") in RESTRICTING
    ]
    return str(decision["effect"]), reasons


def span(reasons: list[dict[str, Any]]) -> tuple[date | None, date | None]:
    """The earliest ``since`` and the latest ``until`` of the reasons (no ``until``: open)."""
    since = [r["since"] for r in reasons if r.get("since")]
    until = [r.get("until") for r in reasons]
    first = date.fromisoformat(min(since)) if since else None
    if not until or None in until:
        return first, None
    return first, date.fromisoformat(max(u for u in until if u is not None))


def changes(sid: str, before: Decisions, after: Decisions, day: date) -> list[dict[str, Any]]:
    """The feed rows of a subject whose decisions went from ``before`` to ``after``."""
    rows: list[dict[str, Any]] = []
    for service in sorted(before.keys() | after.keys()):
        old, new = view(before.get(service)), view(after.get(service))
        if old == new:
            continue
        row = {"subject_id": sid, "service": service, "on": day, "position": None}
        if new is None:
            effect = after.get(service, {}).get("effect", "allow")
            rows.append(row | {"change": EXIT, "effect": effect, "reasons": []} | _open())
            continue
        since, until = span(new[1])
        change = ENTER if old is None else UPDATE
        rows.append(
            row
            | {"change": change, "effect": new[0], "reasons": new[1]}
            | {"since": since, "until": until}
        )
    return rows


def _open() -> dict[str, Any]:
    return {"since": None, "until": None}
