"""Stored links as the engine reads them, and what a reassessment needs of them.

A person's assessment depends on the links naming the person and on the records of the linked
organisations (principle 7): :func:`lock_linked_persons` finds whom a change of an organisation's
records reaches, and :func:`person_links` reads, for the persons being reassessed, their links
and the records of the organisations those links name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Select, select
from sqlalchemy.orm import Session

from socialcredit.engine import DisputeOutcome, Record
from socialcredit.engine.links import Link, LinkSource
from socialcredit.errors import IdentifierError
from socialcredit.identity import SubjectKind, parse_subject
from socialcredit.registry.store.backend import Backend
from socialcredit.registry.store.choose import backend_of
from socialcredit.registry.store.links import LinkEvent, LinkRow, link_key
from socialcredit.registry.store.models import RecordRow, Subject, table
from socialcredit.registry.writes.assessrows import ENGINE_COLUMNS, to_record

LINK_EVENT_KINDS = ("submitted", "disputed", "decided", "revoked", "expired")

_LINKS, _EVENTS = table(LinkRow), table(LinkEvent)
_RECORDS, _SUBJECTS = table(RecordRow), table(Subject)


def to_link(row: Any) -> Link:
    """The engine's view of a stored link; its id is the registry key ``l<id>``."""
    return Link(
        id=link_key(row.id),
        organisation=row.organisation_id,
        person=row.person_id,
        role=row.role,
        valid_from=row.valid_from,
        source=LinkSource(row.source),
        authority=row.authority,
        reference=row.reference,
        valid_to=row.valid_to,
        revoked_on=row.revoked_on,
        disputed_on=row.disputed_on,
        dispute_decided_on=row.dispute_decided_on,
        dispute_outcome=None
        if row.dispute_outcome is None
        else DisputeOutcome(row.dispute_outcome),
    )


def link_event(
    link_id: int, kind: str, on: date, at: datetime, actor: str, details: dict[str, Any]
) -> dict[str, Any]:
    """The column values of a link's status event."""
    if kind not in LINK_EVENT_KINDS:
        raise ValueError(f"unknown link event kind {kind!r}")
    return {"link_id": link_id, "kind": kind, "on": on, "at": at, "actor": actor} | {
        "details": details
    }


@dataclass(frozen=True)
class _Statements:
    persons_of: Select[Any]
    of_persons: Select[Any]
    records_of: Select[Any]
    expired: Select[Any]


def _statements(backend: Backend) -> _Statements:
    """Built once per backend (SQLAlchemy caches their compiled form)."""
    return _Statements(
        persons_of=select(_LINKS.c.person_id)
        .where(backend.in_list(_LINKS.c.organisation_id, "subjects"))
        .distinct(),
        of_persons=select(_LINKS).where(backend.in_list(_LINKS.c.person_id, "subjects")),
        records_of=select(*(_RECORDS.c[name] for name in ENGINE_COLUMNS), _SUBJECTS.c.kind)
        .join_from(_RECORDS, _SUBJECTS, _RECORDS.c.subject_id == _SUBJECTS.c.id)
        .where(backend.in_list(_RECORDS.c.subject_id, "subjects")),
        expired=select(_EVENTS.c.link_id).where(
            backend.in_list(_EVENTS.c.link_id, "links"), _EVENTS.c.kind == "expired"
        ),
    )


def lock_in_turn(
    conn: Connection,
    subjects: Sequence[str],
    keys: Sequence[str] = (),
    kinds: Mapping[str, str] | None = None,
) -> None:
    """Lock ``subjects``, the persons linked to the organisations among them and ``keys`` in
    the order every writer of records and links takes them: the organisations first, then the
    persons and the other keys together (a link's submission locks its organisation, then its
    person). A person's lock taken before an organisation's could wait, in a cycle, for a link
    submission holding the organisation; the linked persons are found under the organisations'
    locks, so :func:`lock_linked_persons` then finds them all held already. ``kinds`` gives
    the subjects' kinds where the caller knows them (``organisation_key``)."""
    backend = backend_of(conn)
    given = list(dict.fromkeys(subjects))
    orgs = [s for s in given if organisation_key(s, kinds or {})]
    backend.lock_keys(conn, orgs)
    rest = [s for s in given if s not in set(orgs)]
    if orgs:
        found = conn.execute(backend.statements(_statements).persons_of, {"subjects": orgs})
        rest += found.scalars()
    backend.lock_keys(conn, [*rest, *keys])


def organisation_key(subject: str, kinds: Mapping[str, str]) -> bool:
    """Whether the registry's identifier ``subject`` is an organisation's: by ``kinds``, else by
    its format (one that reads as no one's without its kind is an all-digit credit code, which
    records must declare)."""
    if subject in kinds:
        return kinds[subject] == SubjectKind.ORGANISATION
    try:
        return parse_subject(subject).kind is SubjectKind.ORGANISATION
    except IdentifierError:
        return True


def lock_linked_persons(conn: Connection, subjects: Sequence[str]) -> list[str]:
    """The persons linked (in any link, holding or not) to the organisations among
    ``subjects``, not themselves among them, locked as the subjects are (writers of the same
    person take turns)."""
    backend = backend_of(conn)
    found = conn.execute(backend.statements(_statements).persons_of, {"subjects": list(subjects)})
    given = set(subjects)
    persons = sorted(p for p in set(found.scalars()) if p not in given)
    backend.lock_keys(conn, persons)
    return persons


@dataclass(frozen=True)
class PersonLinks:
    """The links of the persons being reassessed and the records of the organisations they
    name (by organisation)."""

    links: Mapping[str, list[Link]] = field(default_factory=dict)
    records: Mapping[str, list[Record]] = field(default_factory=dict)

    def of(self, person: str) -> tuple[list[Link], list[Record]]:
        """The person's links and the records of the organisations they name."""
        links = self.links.get(person, [])
        orgs = dict.fromkeys(link.organisation for link in links)
        return links, [r for org in orgs for r in self.records.get(org, [])]


def person_links(
    conn: Connection,
    subjects: Sequence[str],
    known: Mapping[str, list[Record]],
    fresh: Sequence[Record] = (),
) -> PersonLinks:
    """The links naming any of ``subjects`` as the person, and the records of the linked
    organisations: from ``known`` (already read, by subject) where there, else read, with the
    ``fresh`` records (written in this transaction) of those organisations."""
    q = backend_of(conn).statements(_statements)
    links: dict[str, list[Link]] = defaultdict(list)
    for row in conn.execute(q.of_persons, {"subjects": list(subjects)}):
        links[row.person_id].append(to_link(row))
    if not links:
        return PersonLinks()
    orgs = sorted({link.organisation for found in links.values() for link in found})
    records: dict[str, list[Record]] = {org: list(known[org]) for org in orgs if org in known}
    missing = [org for org in orgs if org not in records]
    if missing:
        ids = {r.id for r in fresh}
        for row in conn.execute(q.records_of, {"subjects": missing}):
            record = to_record(row, row.kind)
            if record.id not in ids:
                records.setdefault(row.subject_id, []).append(record)
        for record in fresh:
            if record.subject in missing:
                records.setdefault(record.subject, []).append(record)
    return PersonLinks(dict(links), records)


def link_history(session: Session, link_ids: list[int]) -> dict[int, list[LinkEvent]]:
    """Events of the links, oldest first (by date, then by write order)."""
    found: dict[int, list[LinkEvent]] = {i: [] for i in link_ids}
    query = (
        select(LinkEvent)
        .where(LinkEvent.link_id.in_(link_ids))
        .order_by(LinkEvent.on, LinkEvent.id)
    )
    for event in session.execute(query).scalars():
        found[event.link_id].append(event)
    return found


def expiry_events(
    conn: Connection, linked: PersonLinks, day: date, actor: str, now: datetime
) -> list[dict[str, Any]]:
    """The ``expired`` events of the links that ended (``valid_to``) by ``day`` and have none
    yet: time-driven, as a record's ``expired`` is, written by the reassessment that sees it."""
    ended = {
        int(link.id[1:]): link.valid_to
        for found in linked.links.values()
        for link in found
        if link.valid_to is not None and link.valid_to <= day
    }
    if not ended:
        return []
    q = backend_of(conn).statements(_statements)
    written = set(conn.execute(q.expired, {"links": list(ended)}).scalars())
    return [
        link_event(i, "expired", on, now, actor, {})
        for i, on in sorted(ended.items())
        if i not in written
    ]
