"""The contact directory: each subject's own channels for notices (an e-mail address, a phone
number) and the language it reads them in. Personal data: setting it is audited, and retention
deletes it with the subject (``writes.retention``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from socialcredit.errors import RequestInvalidError
from socialcredit.identity import parse_subject
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.casework import Contact
from socialcredit.registry.workflows.templating import LOCALES


@dataclass(frozen=True)
class ContactSpec:
    """A subject's channels and language."""

    locale: str
    email: str | None = None
    phone: str | None = None


def set_contact(reg: Registry, subject: str, spec: ContactSpec, actor: Actor) -> Contact:
    """Set (or replace) the subject's contact entry; refuse a language without templates."""
    if spec.locale not in LOCALES:
        raise RequestInvalidError(
            f"locale {spec.locale!r} has no notice templates (one of: {', '.join(LOCALES)})",
            {"locale": spec.locale},
        )
    if spec.email is not None and "@" not in spec.email:
        raise RequestInvalidError(f"{spec.email!r} is not an e-mail address", {})
    sid = parse_subject(subject).value
    with reg.session() as session, session.begin():
        reg.state(session)
        row = session.get(Contact, sid) or Contact(subject_id=sid)
        row.locale, row.email, row.phone = spec.locale, spec.email, spec.phone
        row.updated_at = datetime.now(UTC)
        session.add(row)
        details = {"locale": spec.locale, "email": spec.email is not None}
        append(session, actor, [AuditEvent("write.contact.set", sid, details)])
        return row
