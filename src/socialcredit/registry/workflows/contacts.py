"""The contact directory: each subject's own channels for notices (an e-mail address, a phone
number), the channel its notices go through (``email`` or ``sms``; without one, e-mail when it
gave an address, else SMS when it gave a phone) and the language it reads them in. Personal
data: setting it is audited, and retention deletes it with the subject (``writes.retention``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from socialcredit.errors import RequestInvalidError
from socialcredit.identity import parse_subject
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.casework import Contact
from socialcredit.registry.workflows.templating import LOCALES

CHANNELS: dict[str | None, str] = {None: "", "email": "email", "sms": "phone"}
PHONE = re.compile(r"\+?[0-9]{5,20}")


@dataclass(frozen=True)
class ContactSpec:
    """A subject's channels and language."""

    locale: str
    email: str | None = None
    phone: str | None = None
    channel: str | None = None


def set_contact(reg: Registry, subject: str, spec: ContactSpec, actor: Actor) -> Contact:
    """Set (or replace) the subject's contact entry; refuse a language without templates."""
    if spec.locale not in LOCALES:
        raise RequestInvalidError(
            f"locale {spec.locale!r} has no notice templates (one of: {', '.join(LOCALES)})",
            {"locale": spec.locale},
        )
    if spec.email is not None and "@" not in spec.email:
        raise RequestInvalidError(f"{spec.email!r} is not an e-mail address", {})
    if spec.phone is not None and not PHONE.fullmatch(spec.phone):
        raise RequestInvalidError(f"{spec.phone!r} is not a phone number (+ and digits)", {})
    if spec.channel not in CHANNELS:
        raise RequestInvalidError(f"no channel {spec.channel!r} (email or sms)", {})
    if spec.channel is not None and getattr(spec, CHANNELS[spec.channel]) is None:
        needed = CHANNELS[spec.channel]
        raise RequestInvalidError(f"the {spec.channel} channel needs a {needed}", {})
    sid = parse_subject(subject).value
    with reg.session() as session, session.begin():
        reg.state(session)
        row = session.get(Contact, sid) or Contact(subject_id=sid)
        row.locale, row.email, row.phone = spec.locale, spec.email, spec.phone
        row.channel = spec.channel
        row.updated_at = datetime.now(UTC)
        session.add(row)
        details = {
            "locale": spec.locale,
            "email": spec.email is not None,
            "phone": spec.phone is not None,
            "channel": spec.channel,
        }
        append(session, actor, [AuditEvent("write.contact.set", sid, details)])
        return row
