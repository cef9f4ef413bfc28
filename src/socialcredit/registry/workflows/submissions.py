"""An agency's own submissions: scoping, reads (audited), corrections and organisation names.

An agency reaches only the records it submitted (addressed by its own record ids) and submits
only the items its authority establishes (principle 12). A correction registers the corrected
record under a new id and ends the old one (revoked, with a note naming its replacement); the
engine's semantics of a corrected record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select

from socialcredit.errors import AccessDeniedError, IdentifierError, LifecycleError, NotFoundError
from socialcredit.identity import SubjectKind, parse_lookup, parse_subject
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.reads.orgcodes import registered_subject
from socialcredit.registry.store.links import LinkEvent, LinkRow
from socialcredit.registry.store.models import Organisation, RecordEvent, RecordRow
from socialcredit.registry.workflows.objections import Page, page_of
from socialcredit.registry.writes.events import history
from socialcredit.registry.writes.lifecycle import StatusChange, apply_change
from socialcredit.registry.writes.linkrows import link_history
from socialcredit.registry.writes.submit import Submission, submit_record


def check_items(
    reg: Registry, raws: Sequence[Mapping[str, Any]], agency: str, actor: Actor
) -> None:
    """Refuse (403, audited) a submission naming an item another authority establishes."""
    with reg.session() as session:
        items = reg.policies(session).policy_set.items
    foreign = []
    for raw in raws:
        item = items.get(str(raw.get("item") or "").strip())
        if item is not None and item.authority != agency:
            foreign.append((raw, item.code, item.authority))
    if not foreign:
        return
    events = []
    for raw, code, _ in foreign:
        try:
            subject: str | None = parse_subject(str(raw.get("subject") or "")).value
        except Exception:  # an invalid identifier: nothing personal was touched
            subject = None
        events.append(AuditEvent("denied.record.submit", subject, {"item": code}))
    with reg.session() as session, session.begin():
        append(session, actor, events)
    _, code, authority = foreign[0]
    raise AccessDeniedError(
        f"agency {agency!r} does not establish item {code!r} (its authority is {authority!r}); "
        "agencies submit only their own items",
        {"items": sorted({c for _, c, _ in foreign}), "agency": agency},
    )


@dataclass(frozen=True)
class Submitted:
    row: RecordRow
    events: list[RecordEvent]


def agency_records_query(agency: str) -> Select[Any]:
    """The agency's own records, oldest first (a range of ``ix_records_agency_id``)."""
    return select(RecordRow).where(RecordRow.agency == agency).order_by(RecordRow.id)


def agency_records(reg: Registry, agency: str, limit: int, offset: int, actor: Actor) -> Page:
    """A page of the agency's own records with their history; each record read is audited."""
    with reg.session() as session, session.begin():
        found = page_of(session, agency_records_query(agency), limit, offset)
        rows = found.rows
        events = history(session, [r.id for r in rows])
        audit = [AuditEvent("read.record.agency", r.subject_id, {"record": r.key}) for r in rows]
        append(session, actor, audit)
        return Page([Submitted(r, events[r.id]) for r in rows], found.total)


@dataclass(frozen=True)
class SubmittedLink:
    row: LinkRow
    events: list[LinkEvent]


def agency_links(reg: Registry, agency: str, limit: int, offset: int, actor: Actor) -> Page:
    """A page of the links the agency submitted, oldest first, with their events; each link
    read is audited for its person and its organisation."""
    query = select(LinkRow).where(LinkRow.agency == agency).order_by(LinkRow.id)
    with reg.session() as session, session.begin():
        found = page_of(session, query, limit, offset)
        rows: list[LinkRow] = found.rows
        events = link_history(session, [r.id for r in rows])
        audit = [
            AuditEvent("read.link.agency", subject, {"link": r.key})
            for r in rows
            for subject in (r.person_id, r.organisation_id)
        ]
        append(session, actor, audit)
        return Page([SubmittedLink(r, events.get(r.id, [])) for r in rows], found.total)


def agency_record(reg: Registry, agency: str, source_id: str, actor: Actor) -> Submitted:
    """One of the agency's own records with its history; audited."""
    with reg.session() as session, session.begin():
        row = session.execute(
            select(RecordRow).where(RecordRow.agency == agency, RecordRow.source_id == source_id)
        ).scalar_one_or_none()
        if row is None:
            raise NotFoundError(
                f"no record {source_id!r} of agency {agency!r} is registered",
                {"record": source_id},
            )
        append(session, actor, [AuditEvent("read.record.agency", row.subject_id, {})])
        return Submitted(row, history(session, [row.id])[row.id])


def correct_record(
    reg: Registry, agency: str, source_id: str, corrected: Mapping[str, Any], actor: Actor
) -> str:
    """Register ``corrected`` (a new record id) and end the old record as replaced by it."""
    old = agency_record(reg, agency, source_id, actor).row
    if old.revoked_on is not None:
        raise LifecycleError(
            f"record {source_id!r} was revoked on {old.revoked_on}: nothing to correct",
            {"record": source_id},
        )
    new_id = str(corrected.get("id") or "")
    if new_id == source_id:
        raise LifecycleError(
            "a correction is registered under a new record id", {"record": source_id}
        )
    status = submit_record(reg, corrected, Submission(agency, actor))
    with reg.session() as session, session.begin():
        today = reg.state(session).as_of
        change = StatusChange("revoke", agency, source_id, max(today, old.decided_on))
        apply_change(session, reg, change, actor, {"corrected_by": new_id})
    return status


def name_organisation(reg: Registry, code: str, name: str, actor: Actor) -> Organisation:
    """Register (or change) an organisation's name for the public lookup; audited with the old
    and the new name (an organisation's registered name is public, not personal data), so a
    rename can be traced and undone. ``code`` is a credit code (18 digits too, when its check
    character passes) or an old organisation code of a registered organisation."""
    try:
        sid = parse_lookup(code, among=SubjectKind.ORGANISATION)
    except IdentifierError:
        person = parse_lookup(code, among=SubjectKind.PERSON)  # or the refusal, if not one
        raise NotFoundError(
            "only organisations have a public name", {"kind": str(person.kind)}
        ) from None
    sid = registered_subject(reg, sid)
    with reg.session() as session, session.begin():
        reg.state(session)
        found = session.get(Organisation, sid.value)
        now = datetime.now(UTC)
        details = {"old": None if found is None else found.name, "new": name}
        if found is None:
            found = Organisation(id=sid.value, name=name, updated_at=now, updated_by=actor.name)
            session.add(found)
        else:
            found.name, found.updated_at, found.updated_by = name, now, actor.name
        append(session, actor, [AuditEvent("write.organisation.name", sid.value, details)])
        return found
