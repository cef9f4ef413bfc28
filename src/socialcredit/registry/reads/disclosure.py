"""What the public may see (principles 10 and 12): public-tier records of organisations within
their disclosure period (not those a granted credit repair covers: repair withdraws their
disclosure), memberships of lists that are public by their legal basis, and organisation
names. Natural persons are never looked up publicly; they appear only as members of a public
list, with the identity number masked, and never by a membership that rests on a record decided
while they were minors (principle 13). Every lookup of a subject is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from socialcredit.engine.minors import minor_on
from socialcredit.errors import IdentifierError, NotFoundError
from socialcredit.identity import SubjectId, SubjectKind, birth_date, parse_lookup
from socialcredit.identity.embedding import UNMATCHED
from socialcredit.policy import PolicySet
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.reads.orgcodes import registered_subject
from socialcredit.registry.reads.publicreads import public_showings
from socialcredit.registry.store.models import (
    AssessmentList,
    AssessmentRow,
    Organisation,
    RecordRow,
    Subject,
)
from socialcredit.registry.workflows.objections import Page, page_of
from socialcredit.registry.workflows.repair import withdrawn_from_disclosure

HIDDEN_STATUSES = ("pending", "revoked", "suspended")


def mask(subject: str, kind: str) -> str:
    """A person's number with the birth date and sequence hidden; a credit code in full."""
    if kind != str(SubjectKind.PERSON):
        return subject
    return f"{subject[:6]}********{subject[-4:]}"


@dataclass(frozen=True)
class PublicView:
    subject: str
    name: str | None
    as_of: date
    records: list[dict[str, Any]]
    lists: list[dict[str, Any]]


def _disclosed(
    policies: PolicySet, row: RecordRow, state: dict[str, Any], day: date
) -> dict[str, Any] | None:
    item = policies.items.get(row.item)
    if item is None or item.disclosure.tier != "public" or state["status"] in HIDDEN_STATUSES:
        return None
    start = date.fromisoformat(state["effective_from"])
    until = item.disclosure.period.after(start)
    if not start <= day < until:
        return None
    return {
        "record": row.key,
        "item": item.code,
        "title": item.title,
        "authority": row.authority,
        "reference": row.reference,
        "decided_on": row.decided_on.isoformat(),
        "status": state["status"],
        "disclosed_until": until.isoformat(),
        "legal_basis": item.legal_basis,
    }


def _public_lists(policies: PolicySet, body: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for m in body["lists"]:
        lst = policies.lists.get(m["list"])
        if lst is not None and lst.public:
            found.append({k: m[k] for k in ("list", "kind", "since", "until")})
    return found


def public_code(code: str) -> SubjectId:
    """The organisation a public lookup names: only organisations are looked up publicly, so
    18 digits are read as a credit code (``parse_lookup`` among organisations); refuse a
    person's identifier as not found."""
    try:
        return parse_lookup(code, among=SubjectKind.ORGANISATION)
    except IdentifierError:
        person = parse_lookup(code, among=SubjectKind.PERSON)  # or the refusal, if not one
    raise NotFoundError(
        "natural persons are not looked up publicly; members of public lists are listed by list",
        {"kind": str(person.kind)},
    )


def _registered(reg: Registry, sid: SubjectId) -> SubjectId:
    try:
        return registered_subject(reg, sid)
    except IdentifierError as error:
        if error.details["reason"] != UNMATCHED:
            raise
        raise NotFoundError(error.message, {"identifier": error.details["identifier"]}) from None


def organisation_view(reg: Registry, code: str, actor: Actor) -> PublicView:
    """The public part of an organisation's file (an organisation code names the registry's
    organisation whose credit code embeds it); audited."""
    sid = _registered(reg, public_code(code))
    with reg.session() as session, session.begin():
        today = reg.state(session).as_of
        policies = reg.policies(session).policy_set
        assessment = session.get(AssessmentRow, sid.value)
        body = {"records": [], "lists": []} if assessment is None else assessment.body
        states = {s["record"]: s for s in body["records"]}
        rows = session.execute(select(RecordRow).where(RecordRow.subject_id == sid.value))
        withdrawn = withdrawn_from_disclosure(session, sid.value)
        records = []
        for row in rows.scalars():
            if row.key in withdrawn:
                continue
            shown = _disclosed(policies, row, states.get(row.key) or {"status": "pending"}, today)
            if shown is not None:
                records.append(shown)
        organisation = session.get(Organisation, sid.value)
        append(session, actor, [AuditEvent("read.public.lookup", sid.value, {})])
        name = None if organisation is None else organisation.name
        return PublicView(sid.value, name, today, records, _public_lists(policies, body))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_organisations(reg: Registry, name: str, limit: int, offset: int) -> Page:
    """Organisations whose registered name contains ``name`` (case-insensitive)."""
    query = select(Organisation).where(Organisation.name.ilike(f"%{_escape(name)}%", escape="\\"))
    with reg.session() as session:
        return page_of(session, query.order_by(Organisation.name, Organisation.id), limit, offset)


def _names(session: Session, ids: list[str]) -> dict[str, str]:
    query = select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    return {code: name for code, name in session.execute(query)}


def members_query(list_id: str) -> Select[Any]:
    """The memberships of one list, in subject order (a range of the list's index)."""
    query = select(AssessmentList).where(AssessmentList.list_id == list_id)
    return query.order_by(AssessmentList.subject_id)


def _membership_records(
    session: Session, list_id: str, subjects: list[str]
) -> list[tuple[str, int]]:
    """(subject, record id) for every record behind the subjects' stored membership of a list."""
    query = select(AssessmentRow.subject_id, AssessmentRow.body)
    bodies = session.execute(query.where(AssessmentRow.subject_id.in_(subjects)))
    return [
        (sid, int(key[1:]))
        for sid, body in bodies
        for m in body["lists"]
        if m["list"] == list_id
        for key in m["records"]
    ]


def _minors_memberships(session: Session, list_id: str, kinds: dict[str, str]) -> set[str]:
    """The persons whose stored membership of ``list_id`` rests on a record decided while they
    were minors (principle 13; the engine keeps such records off black and watch lists, so
    this holds back red lists, and assessments stored before that rule)."""
    born = {
        sid: day
        for sid, kind in kinds.items()
        if (day := birth_date(SubjectId(SubjectKind(kind), sid))) is not None
    }
    if not born:
        return set()
    behind = _membership_records(session, list_id, list(born))
    query = select(RecordRow.id, RecordRow.decided_on)
    rows = session.execute(query.where(RecordRow.id.in_([i for _, i in behind])))
    decided = {record_id: day for record_id, day in rows}
    return {sid for sid, i in behind if i in decided and minor_on(born[sid], decided[i])}


def list_members(reg: Registry, list_id: str, limit: int, offset: int, actor: Actor) -> Page:
    """The members of a public list today (persons masked, minors' memberships held back);
    each member's first showing of the day is audited
    (:mod:`~socialcredit.registry.reads.publicreads`)."""
    with reg.session() as session, session.begin():
        lst = reg.policies(session).policy_set.lists.get(list_id)
        if lst is None or not lst.public:
            raise NotFoundError(f"no public list {list_id!r}", {"list": list_id})
        found = page_of(session, members_query(list_id), limit, offset)
        ids = [r.subject_id for r in found.rows]
        query = select(Subject.id, Subject.kind).where(Subject.id.in_(ids))
        kinds: dict[str, str] = {sid: kind for sid, kind in session.execute(query)}
        withheld = _minors_memberships(session, list_id, kinds)
        rows = [r for r in found.rows if r.subject_id not in withheld]
        names = _names(session, list(kinds))
        members = [
            {
                "subject": mask(r.subject_id, kinds[r.subject_id]),
                "kind": kinds[r.subject_id],
                "name": names.get(r.subject_id),
                "since": None if r.since is None else r.since.isoformat(),
                "until": None if r.until is None else r.until.isoformat(),
            }
            for r in rows
        ]
        today = reg.state(session).as_of
        shown = [r.subject_id for r in rows]
        append(session, actor, public_showings(session, list_id, shown, today))
        return Page(members, found.total - len(withheld))
