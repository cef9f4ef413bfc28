"""A subject's scores over time, for the chart of the own file: the engine's assessment on the
first of each month of the records the registry holds today (a record registered later but
decided earlier counts from its own dates, as it does in the assessment of today)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from socialcredit.engine import assess
from socialcredit.identity import parse_subject
from socialcredit.registry import Registry
from socialcredit.registry.store.models import RecordRow
from socialcredit.registry.writes.assessrows import to_record

MONTHS = 24


@dataclass(frozen=True)
class ScoreSeries:
    model: str
    title: str
    low: int
    high: int
    points: list[tuple[date, int]]


def _firsts(today: date, count: int) -> list[date]:
    found, month = [today], today.replace(day=1)
    for _ in range(count - 1):
        if month != today:
            found.append(month)
        month = (month - date.resolution).replace(day=1)
    return sorted(found)[-count:]


def score_history(reg: Registry, subject: str, months: int = MONTHS) -> list[ScoreSeries]:
    """Each score model's value for ``subject`` on the first of the last ``months`` months and
    today (call only after the caller was admitted to the file: it reads the records)."""
    sid = parse_subject(subject)
    with reg.session() as session:
        today = reg.state(session).as_of
        policies = reg.policies(session).policy_set
        rows = session.execute(select(RecordRow).where(RecordRow.subject_id == sid.value))
        records = [to_record(r, str(sid.kind)) for r in rows.scalars()]
    values: dict[str, list[tuple[date, int]]] = {}
    for day in _firsts(today, months):
        for score in assess(policies, records, sid, day).scores:
            values.setdefault(score.model, []).append((day, score.value))
    return [
        ScoreSeries(m, policies.models[m].title, policies.models[m].min, policies.models[m].max, p)
        for m, p in values.items()
    ]
