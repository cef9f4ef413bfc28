"""Principals of the HTTP API and their keys (principle 12: least access).

A key is a high-entropy random token shown once, when it is created; the registry keeps only its
SHA-256. Each principal has one role and the scope that role needs: an agency its catalogue
``authority``, a reviewer the authority whose cases it decides, a service provider its services,
a subject its one identifier. Creating and
revoking principals is audited.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from socialcredit.errors import NotFoundError, RegistryError, RequestInvalidError
from socialcredit.identity import parse_subject
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.casework import Principal
from socialcredit.registry.workflows.revocations import signal_revocation

ROLES = ("agency", "service", "subject", "reviewer", "admin")
KEY_PREFIX = "sck_"


@dataclass(frozen=True)
class PrincipalSpec:
    """What to create: a unique name, a role and the scope the role needs."""

    name: str
    role: str
    authority: str | None = None
    services: tuple[str, ...] = ()
    subject: str | None = None
    verification: str | None = None
    """subject: how the subject's identity was verified before its key was issued (the
    documented procedure and its reference); required, and shown in the subject's access
    listing."""


ISSUED_KEY = "issue.subject.key"
"""The audit action of a subject key issued by the documented procedure (an ``issue.*`` entry
is part of the subject's access listing)."""


@dataclass(frozen=True)
class Identity:
    """An authenticated principal, as the API sees it (no key, no hash)."""

    id: int
    name: str
    role: str
    authority: str | None
    services: frozenset[str]
    subject: str | None

    @property
    def label(self) -> str:
        """The name in the audit log: ``principal:<id>:<name>``."""
        return f"principal:{self.id}:{self.name}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _refuse(message: str, spec: PrincipalSpec) -> RequestInvalidError:
    return RequestInvalidError(message, {"name": spec.name, "role": spec.role})


_NEEDS = {
    "agency": "authority",
    "reviewer": "authority",
    "service": "service",
    "subject": "subject",
}
"""The scope each role needs: an agency and a reviewer their authority (whose catalogue items
the agency submits, whose objections and repair applications the reviewer decides)."""


def _scope(spec: PrincipalSpec) -> PrincipalSpec:
    """``spec`` with its scope checked (and the subject identifier normalised)."""
    if spec.role not in ROLES:
        raise _refuse(f"unknown role {spec.role!r} (one of: {', '.join(ROLES)})", spec)
    scope = {"authority": spec.authority, "service": spec.services, "subject": spec.subject}
    need = _NEEDS.get(spec.role)
    if need is not None and not scope[need]:
        raise _refuse(f"a {spec.role} principal needs --{need}", spec)
    others = sorted(k for k, v in scope.items() if k != need and v)
    if spec.role != "subject" and spec.verification:
        others.append("verification")
    if others:
        raise _refuse(f"a {spec.role} principal takes no {', '.join(sorted(others))}", spec)
    if spec.subject is None:
        return spec
    if not (spec.verification or "").strip():
        raise _refuse(
            "a subject's key is issued only after the subject's identity was verified: give "
            "the procedure and its reference (--verified-by); it is shown to the subject",
            spec,
        )
    sid = parse_subject(spec.subject).value
    return PrincipalSpec(spec.name, spec.role, subject=sid, verification=spec.verification)


def create_principal(reg: Registry, spec: PrincipalSpec, actor: Actor) -> tuple[Principal, str]:
    """Create a principal; return it and its key (the only time the key is seen)."""
    spec = _scope(spec)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = Principal(
        name=spec.name,
        role=spec.role,
        authority=spec.authority,
        services=sorted(spec.services) or None,
        subject_id=spec.subject,
        key_hash=hash_key(key),
        key_prefix=key[:10],
        created_at=datetime.now(UTC),
        created_by=actor.name,
        revoked_at=None,
    )
    try:
        with reg.session() as session, session.begin():
            reg.state(session)
            session.add(row)
            session.flush()
            details = {"principal": row.id, "name": row.name, "role": row.role}
            events = [AuditEvent("write.principal.create", spec.subject, details)]
            if spec.subject is not None:  # in the subject's access listing, as what it is
                issued = {"principal": row.id, "verification": spec.verification}
                events.append(AuditEvent(ISSUED_KEY, spec.subject, issued))
            append(session, actor, events)
    except IntegrityError as exc:
        raise RegistryError(f"a principal named {spec.name!r} exists", {"name": spec.name}) from exc
    return row, key


def list_principals(
    reg: Registry, limit: int, offset: int, actor: Actor | None = None
) -> tuple[list[Principal], int]:
    """A page of principals, oldest first, and how many there are; with ``actor``, the listing
    is recorded in the audit log (``read.admin.principals``) in the same transaction."""
    with reg.session() as session, session.begin():
        total = session.execute(select(func.count()).select_from(Principal)).scalar_one()
        query = select(Principal).order_by(Principal.id).limit(limit).offset(offset)
        rows = list(session.execute(query).scalars())
        if actor is not None:
            append(session, actor, [AuditEvent("read.admin.principals", None, {})])
        return rows, total


def revoke_principal(reg: Registry, principal_id: int, actor: Actor) -> Principal:
    """Revoke a principal's key from now on (a revoked principal stays listed); this host's
    servers drop their cached keys at once (:mod:`.revocations`)."""
    with reg.session() as session, session.begin():
        row = session.get(Principal, principal_id)
        if row is None:
            raise NotFoundError(f"no principal {principal_id}", {"principal": principal_id})
        if row.revoked_at is not None:
            raise RegistryError(
                f"principal {principal_id} was already revoked at {row.revoked_at.isoformat()}",
                {"principal": principal_id},
            )
        row.revoked_at = datetime.now(UTC)
        details = {"principal": row.id, "name": row.name, "role": row.role}
        append(session, actor, [AuditEvent("write.principal.revoke", None, details)])
    signal_revocation(reg.settings.database_url)
    return row


def identity_of(row: Principal) -> Identity:
    return Identity(
        row.id,
        row.name,
        row.role,
        row.authority,
        frozenset(row.services or ()),
        row.subject_id,
    )


def authenticate(session: Session, key: str) -> Identity | None:
    """The active principal holding ``key``, or None (unknown or revoked key)."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    digest = hash_key(key)
    row = session.execute(
        select(Principal).where(Principal.key_hash == digest)
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    return identity_of(row)
