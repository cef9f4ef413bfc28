"""Copies of a subject's own file (portability): at least two free copies a calendar year.

Every copy handed over is counted; the first ``FREE_COPIES`` of a year (of the registry date)
are free, later ones are still handed over and marked as such (the registry itself charges
nothing; an operator may).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from socialcredit.identity import parse_subject
from socialcredit.registry.audit import Actor
from socialcredit.registry.context import Registry
from socialcredit.registry.reads.subjectfile import SubjectFile, subject_file
from socialcredit.registry.store.casework import FileCopy

FREE_COPIES = 2


@dataclass(frozen=True)
class CopyInfo:
    year: int
    number: int  # this copy's number in the year
    free: bool
    free_left: int


def file_copy(reg: Registry, subject: str, actor: Actor) -> tuple[SubjectFile, CopyInfo]:
    """The subject's whole file (the read is audited) and the count of copies this year."""
    parsed = parse_subject(subject)  # a subject's own key, as its principal holds it
    sid = parsed.value
    found = subject_file(reg, parsed, actor)
    year = int(found.registry_date[:4])
    with reg.session() as session, session.begin():
        made = session.execute(
            select(func.count())
            .select_from(FileCopy)
            .where(FileCopy.subject_id == sid, FileCopy.year == year)
        ).scalar_one()
        free = made < FREE_COPIES
        session.add(FileCopy(subject_id=sid, year=year, free=free, made_at=datetime.now(UTC)))
    return found, CopyInfo(year, made + 1, free, max(FREE_COPIES - made - 1, 0))
