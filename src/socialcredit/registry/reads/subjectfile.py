"""Reads of a subject's data, each one audited: the file and who accessed it.

A subject the registry holds nothing about is assessed by the engine on the spot with no
records (the base scores, every service ``allow``). Checks at a service are in ``checks``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from socialcredit.engine import assess
from socialcredit.identity import SubjectId
from socialcredit.registry.audit import (
    Actor,
    AuditEvent,
    accesses,
    append,
)
from socialcredit.registry.context import Registry
from socialcredit.registry.reads.orgcodes import read_lookup, registered_subject
from socialcredit.registry.store.links import LinkEvent, LinkRow
from socialcredit.registry.store.models import (
    AssessmentDecision,
    AssessmentRow,
    AuditEntry,
    Notice,
    RecordEvent,
    RecordRow,
)
from socialcredit.registry.writes.assessrows import full_body
from socialcredit.registry.writes.events import history
from socialcredit.registry.writes.linkrows import link_history


@dataclass(frozen=True)
class SubjectFile:
    """Everything the registry holds about one subject."""

    subject: str
    kind: str
    registry_date: str
    records: list[RecordRow]
    events: dict[int, list[RecordEvent]]
    assessment: dict[str, Any]
    next_change_on: str | None
    notices: list[Notice]
    # the links naming the subject, as organisation or as person, with their status history
    links: list[LinkRow] = field(default_factory=list)
    link_events: dict[int, list[LinkEvent]] = field(default_factory=dict)


def _assessment(
    session: Session, reg: Registry, sid: SubjectId, today: date
) -> tuple[dict[str, Any], str | None]:
    """The subject's stored assessment made whole again (its decisions other than ``allow``
    are its decision rows) and its next change; the engine's on no records if none is stored."""
    subject = sid.value
    row = session.get(AssessmentRow, subject)
    if row is not None:
        nxt = None if row.next_change_on is None else row.next_change_on.isoformat()
        found = select(AssessmentDecision.service, AssessmentDecision.decision).where(
            AssessmentDecision.subject_id == subject
        )
        return full_body(row.body, {s: d for s, d in session.execute(found)}), nxt
    return assess(reg.policies(session).policy_set, [], sid, today).to_dict(), None


def looked_up(reg: Registry, subject: str, kind: str | None) -> SubjectId:
    """The subject a lookup by ``subject`` (of ``kind``, if said; eighteen digits of both kinds
    as the kind the registry holds: ``read_lookup``) names; an
    organisation code names the registry's organisation whose credit code embeds it."""
    return registered_subject(reg, read_lookup(reg, subject, kind))


def subject_file(
    reg: Registry, subject: str | SubjectId, actor: Actor, kind: str | None = None
) -> SubjectFile:
    """The whole file of ``subject`` (text is read by ``looked_up``): records with history,
    the links naming it with theirs, assessment, notices; audited."""
    sid = subject if isinstance(subject, SubjectId) else looked_up(reg, subject, kind)
    with reg.session() as session, session.begin():
        state = reg.state(session)
        query = select(RecordRow).where(RecordRow.subject_id == sid.value).order_by(RecordRow.id)
        records = list(session.execute(query).scalars())
        body, nxt = _assessment(session, reg, sid, state.as_of)
        links = list(
            session.execute(
                select(LinkRow)
                .where(or_(LinkRow.person_id == sid.value, LinkRow.organisation_id == sid.value))
                .order_by(LinkRow.id)
            ).scalars()
        )
        notices = session.execute(
            select(Notice).where(Notice.subject_id == sid.value).order_by(Notice.id)
        ).scalars()
        found = SubjectFile(
            subject=sid.value,
            kind=str(sid.kind),
            registry_date=state.as_of.isoformat(),
            records=records,
            events=history(session, [r.id for r in records]),
            assessment=body,
            next_change_on=nxt,
            notices=list(notices),
            links=links,
            link_events=link_history(session, [link.id for link in links]),
        )
        # a link shows the other subject too: its person (or organisation) sees the read
        others = [
            AuditEvent(
                "read.subject.link",
                link.person_id if link.organisation_id == sid.value else link.organisation_id,
                {"link": link.key},
            )
            for link in links
        ]
        append(session, actor, [AuditEvent("read.subject.file", sid.value, {}), *others])
        return found


def subject_accesses(
    reg: Registry, subject: str, actor: Actor, kind: str | None = None
) -> list[AuditEntry]:
    """Who read the subject's data (audit entries ``read.*``); this listing is audited too."""
    sid = looked_up(reg, subject, kind)
    with reg.session() as session, session.begin():
        found = accesses(session, sid.value)
        append(session, actor, [AuditEvent("read.subject.accesses", sid.value, {})])
        return found
