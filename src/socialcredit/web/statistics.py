"""Public statistics, aggregates only (no subject is named): today's size of each public list,
entries and exits of public lists by month (from the list notices the registry sent), and
records by area of the catalogue."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from socialcredit.registry import Registry
from socialcredit.registry.store.models import AssessmentList, Notice, RecordRow

MONTHS = 12


@dataclass(frozen=True)
class ListSize:
    list_id: str
    title: str
    kind: str
    members: int


@dataclass(frozen=True)
class MonthFlow:
    month: date
    entries: int
    exits: int
    size: int


@dataclass(frozen=True)
class PublicStatistics:
    registry_date: date
    lists: list[ListSize]
    months: list[MonthFlow]
    areas: list[tuple[str, int]]


def _month(day: date) -> date:
    return day.replace(day=1)


def _months_until(last: date, count: int) -> list[date]:
    found, month = [], _month(last)
    for _ in range(count):
        found.append(month)
        month = (month.replace(day=1) - date.resolution).replace(day=1)
    return found[::-1]


def public_statistics(reg: Registry) -> PublicStatistics:
    """The figures of the statistics page, for the public lists in force."""
    with reg.session() as session:
        today = reg.state(session).as_of
        policies = reg.policies(session).policy_set
        public = {k: v for k, v in policies.lists.items() if v.public}
        counted = session.execute(
            select(AssessmentList.list_id, func.count())
            .where(AssessmentList.list_id.in_(list(public)))
            .group_by(AssessmentList.list_id)
        )
        sizes: dict[str, int] = {list_id: n for list_id, n in counted}
        flows = list(
            session.execute(
                select(Notice.kind, Notice.created_on, func.count())
                .where(
                    Notice.kind.in_(("list-entry", "list-exit")), Notice.list_id.in_(list(public))
                )
                .group_by(Notice.kind, Notice.created_on)
            )
        )
        by_item = session.execute(select(RecordRow.item, func.count()).group_by(RecordRow.item))
        areas: Counter[str] = Counter()
        for item, count in by_item:
            found = policies.items.get(item)
            areas[str(found.area) if found else "other"] += count
    entries: Counter[date] = Counter()
    exits: Counter[date] = Counter()
    for kind, day, count in flows:
        (entries if kind == "list-entry" else exits)[_month(day)] += count
    months = _months_until(today, MONTHS)
    before = sum(n for m, n in entries.items() if m < months[0])
    before -= sum(n for m, n in exits.items() if m < months[0])
    series, size = [], before
    for month in months:
        size += entries[month] - exits[month]
        series.append(MonthFlow(month, entries[month], exits[month], size))
    lists = [ListSize(k, v.title, v.kind, sizes.get(k, 0)) for k, v in public.items()]
    return PublicStatistics(today, lists, series, sorted(areas.items()))
