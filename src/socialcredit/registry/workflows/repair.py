"""Credit repair (principle 8): a listed subject applies with what it did; a reviewer decides
within the list's ``repair.decision_days``.

An application names a list the subject is on today; the records that keep it there are noted.
Granting it means the exit condition is met: each of those records still counting is resolved on
the registry date (a status change through the lifecycle, in the decision's transaction), which
ends the membership that day under the engine's semantics. The decision, its reasons and whether
the listing ended are recorded and notified. An application not decided by its deadline
suspends the records it covers until its decision, as an overdue objection suspends its record
(``workflows.repaircases``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcredit.engine.workdays import deadline as decision_deadline
from socialcredit.errors import NotFoundError, RegistryError, RequestInvalidError
from socialcredit.identity import parse_subject
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.casework import RepairApplication
from socialcredit.registry.store.models import AssessmentList, AssessmentRow, RecordRow
from socialcredit.registry.workflows.objections import (
    PENDING,
    Page,
    QueueQuery,
    add_notice,
    overdue,
    pending_row,
    queue_page,
)
from socialcredit.registry.workflows.repaircases import (
    note_decided,
    note_filed,
    reassess_subject,
)
from socialcredit.registry.workflows.routing import ensure_routed, list_authority
from socialcredit.registry.writes.lifecycle import StatusChange, apply_change
from socialcredit.registry.writes.turns import lock_subjects

GRANTED, REFUSED = "granted", "refused"


def _membership(session: Session, subject: str, list_id: str) -> list[str]:
    """The records that keep ``subject`` on ``list_id`` today; refuse if it is not on it."""
    row = session.get(AssessmentRow, subject)
    lists = [] if row is None else row.body["lists"]
    found = [m for m in lists if m["list"] == list_id]
    if not found:
        raise RequestInvalidError(
            f"you are not on list {list_id!r} today: there is nothing to repair",
            {"list": list_id},
        )
    return list(found[0]["records"])


def apply_for_repair(
    reg: Registry,
    subject: str,
    list_id: str,
    statement: str,
    performed: tuple[bool, bool],
    actor: Actor,
) -> RepairApplication:
    """File an application; ``performed`` is (obligation performed, commitment made)."""
    sid = parse_subject(subject).value
    with reg.session() as session, session.begin():
        lock_subjects(session, [sid])  # before reading the membership and what is pending
        today = reg.state(session).as_of
        policy_set = reg.policies(session).policy_set
        lst = policy_set.lists.get(list_id)
        if lst is None:
            raise NotFoundError(f"no list {list_id!r} in the active policies", {"list": list_id})
        if lst.repair is None:  # pragma: no cover - the safeguards require a repair procedure
            raise RequestInvalidError(f"list {list_id!r} has no repair procedure", {})
        records = _membership(session, sid, list_id)
        open_one = select(RepairApplication.id).where(
            RepairApplication.subject_id == sid,
            RepairApplication.list_id == list_id,
            RepairApplication.status == PENDING,
        )
        if (earlier := session.execute(open_one).scalar()) is not None:
            raise RegistryError(
                f"your application {earlier} on list {list_id!r} is still pending",
                {"application": earlier, "list": list_id},
            )
        application = RepairApplication(
            subject_id=sid,
            list_id=list_id,
            authority=list_authority(policy_set, lst),
            records=records,
            filed_on=today,
            deadline=decision_deadline(
                today, lst.repair.decision_days, lst.repair.decision_in == "working_days"
            ),
            statement=statement,
            obligation_performed=performed[0],
            commitment=performed[1],
            status=PENDING,
            overdue_noticed=False,
            filed_at=datetime.now(UTC),
        )
        session.add(application)
        session.flush()
        note_filed(session, application)  # suspends its records if decided late
        reassess_subject(session, reg.policies(session), application, today, actor.name)
        body = {
            "application": application.id,
            "list": list_id,
            "deadline": application.deadline.isoformat(),
            "procedure": lst.repair.procedure,
        }
        add_notice(session, sid, "repair", body)
        details = {"application": application.id, "list": list_id}
        append(session, actor, [AuditEvent("write.repair.apply", sid, details)])
        return application


def repairs(reg: Registry, query: QueueQuery) -> Page:
    """A page of repair applications, earliest deadline first."""
    return queue_page(reg, RepairApplication, query)


def _resolve_triggers(
    session: Session, reg: Registry, found: RepairApplication, today: date, actor: Actor
) -> list[str]:
    resolved = []
    for key in found.records:
        row = session.get(RecordRow, int(str(key)[1:]))
        if row is None or row.resolved_on is not None or row.revoked_on is not None:
            continue
        change = StatusChange("resolve", row.agency, row.source_id, max(today, row.decided_on))
        apply_change(session, reg, change, actor, {"repair": found.id})
        resolved.append(row.key)
    return resolved


def decide_repair(
    reg: Registry,
    application_id: int,
    grant: bool,
    reason: str,
    actor: Actor,
    *,
    authority: str | None = None,
) -> RepairApplication:
    """Grant or refuse a pending application (final); a grant resolves the triggering records.
    ``authority``: the reviewer's (a reviewer of another authority is refused)."""
    ensure_routed(reg, RepairApplication, application_id, authority, actor)
    with reg.session() as session, session.begin():
        found: RepairApplication = pending_row(
            session, RepairApplication, application_id, "application"
        )
        today = reg.state(session).as_of
        note_decided(session, found, today)  # a suspension for lateness ends today
        resolved = _resolve_triggers(session, reg, found, today, actor) if grant else []
        reassess_subject(session, reg.policies(session), found, today, actor.name)
        still = session.get(AssessmentList, (found.subject_id, found.list_id)) is not None
        found.status, found.reason = (GRANTED if grant else REFUSED), reason
        found.decided_on, found.decided_by, found.listing_ended = today, actor.name, not still
        body = {
            "application": found.id,
            "list": found.list_id,
            "decision": found.status,
            "reason": reason,
            "resolved_records": resolved,
            "listing_ended": not still,
            "decided_on": today.isoformat(),
        }
        add_notice(session, found.subject_id, "repair", body)
        details = {"application": found.id, "decision": found.status, "ended": not still}
        append(session, actor, [AuditEvent("write.repair.decide", found.subject_id, details)])
        return found


def withdrawn_from_disclosure(session: Session, subject: str) -> set[str]:
    """The records (``r<id>``) that a granted repair covers: their public disclosure is
    withdrawn (Measures for the Administration of Credit Information Repair, 2023)."""
    query = select(RepairApplication.records).where(
        RepairApplication.subject_id == subject, RepairApplication.status == GRANTED
    )
    return {str(key) for keys in session.execute(query).scalars() for key in keys}


def notify_overdue_repairs(session: Session, today: date, actor: Actor) -> int:
    """Tell each subject whose application passed its deadline undecided (once)."""
    events = []
    for found in overdue(session, RepairApplication, today):
        found.overdue_noticed = True
        body = {
            "application": found.id,
            "list": found.list_id,
            "deadline": found.deadline.isoformat(),
            "records": list(found.records),
            "message": "your credit repair application was not decided by its deadline: "
            "the records it covers are suspended (they count for nothing, and the listing "
            "with them) until it is decided",
        }
        add_notice(session, found.subject_id, "repair-late", body)
        events.append(AuditEvent("write.repair.overdue", found.subject_id, {"id": found.id}))
    append(session, actor, events)
    return len(events)
