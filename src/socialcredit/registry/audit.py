"""The append-only, hash-chained audit log (principle 11).

Each entry's hash is the SHA-256 of a canonical JSON object (sorted keys, no spaces, UTF-8)
holding the entry's fields and the previous entry's hash. Appends lock the registry's state row
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite transactions are ``BEGIN IMMEDIATE``), which
holds the chain's head, so the chain never forks. Subjects are named by a keyed pseudonym
(HMAC-SHA256 under a per-registry key), so the log holds no identifier and survives retention.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, or_, select
from sqlalchemy.orm import Session

from socialcredit.registry.store.choose import backend_of
from socialcredit.registry.store.headsql import ENTRIES, LOCK_HEAD, MOVE_HEAD
from socialcredit.registry.store.models import AuditEntry, RegistryState

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who acts, in which role, and why (the purpose is recorded with every entry)."""

    name: str
    role: str = "operator"
    purpose: str = "registry operation"


@dataclass(frozen=True)
class AuditEvent:
    """What happened; ``details`` never holds personal payload, only keys and codes."""

    action: str
    subject: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


def canonical(value: Mapping[str, Any]) -> bytes:
    """The exact bytes an entry's hash covers: sorted keys, no spaces, UTF-8 (the standard
    library's ``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)``).

    orjson writes the same bytes ten times faster for strings, integers, booleans, null, lists
    and objects with string keys (a property test holds them equal); anything else (floats,
    which orjson writes differently, and integers beyond 64 bits) goes to the standard library.
    """
    if _plain(value):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _plain(value: Any) -> bool:
    """Whether orjson writes ``value`` exactly as the standard library does (see above)."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is int:
        return bool(_INT_MIN <= value <= _INT_MAX)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (type(item) not in _SCALARS and not _plain(item)):
                return False
        return True
    if kind is list:
        return all(type(item) in _SCALARS or _plain(item) for item in value)
    return False


_SCALARS = frozenset({str, bool, type(None)})
_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1


def subject_ref(key: str, subject: str) -> str:
    """The keyed pseudonym of ``subject`` used in the audit log."""
    return hmac.new(_key(key), subject.encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=16)
def _key(key: str) -> bytes:
    return bytes.fromhex(key)


def entry_hash(entry: Mapping[str, Any], prev_hash: str) -> str:
    fields = {k: entry[k] for k in ("seq", "at", "actor", "role", "action", "subject_ref")}
    fields |= {"purpose": entry["purpose"], "details": entry["details"], "prev": prev_hash}
    return hashlib.sha256(canonical(fields)).hexdigest()


@dataclass(frozen=True)
class Head:
    """The chain's head as read under the state row's lock."""

    key: str
    seq: int
    hash: str


def chain(head: Head, actor: Actor, events: Sequence[AuditEvent]) -> list[dict[str, Any]]:
    """The rows that append ``events`` after ``head`` (their hashes computed here)."""
    prev, seq = head.hash, head.seq
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    rows: list[dict[str, Any]] = []
    for event in events:
        seq += 1
        ref = None if event.subject is None else subject_ref(head.key, event.subject)
        entry = {
            "seq": seq,
            "at": at,
            "actor": actor.name,
            "role": actor.role,
            "action": event.action,
            "subject_ref": ref,
            "purpose": actor.purpose,
            "details": dict(event.details),
        }
        digest = entry_hash(entry, prev)
        rows.append(entry | {"prev_hash": prev, "hash": digest})
        prev = digest
    return rows


def write_chain(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` and move the head; the head must be locked."""
    backend_of(connection).insert(connection, ENTRIES, rows)
    last = rows[-1]
    connection.execute(MOVE_HEAD, {"new_seq": last["seq"], "new_head": last["hash"]})


def append_core(connection: Connection, actor: Actor, events: Sequence[AuditEvent]) -> None:
    """Append ``events`` inside the connection's transaction: lock the head, hash the entries
    after it, insert them, move the head."""
    if not events:
        return
    found = connection.execute(LOCK_HEAD).one_or_none()
    if found is None:
        raise RuntimeError("registry state missing")  # guarded by Registry.open
    write_chain(connection, chain(Head(*found), actor, events))


def append(session: Session, actor: Actor, events: Sequence[AuditEvent]) -> None:
    """Append ``events`` to the chain inside the caller's transaction."""
    if events:
        session.flush()  # the entries follow what they record
        append_core(session.connection(), actor, events)


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    broken_at: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _as_entry(row: AuditEntry) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at,
        "actor": row.actor,
        "role": row.role,
        "action": row.action,
        "subject_ref": row.subject_ref,
        "purpose": row.purpose,
        "details": row.details,
    }


def _check_row(row: AuditEntry, seq: int, prev: str) -> str | None:
    if row.seq != seq:
        return f"entry {seq} is missing (next entry is {row.seq})"
    if row.prev_hash != prev:
        return f"entry {seq} does not link to the hash of entry {seq - 1}"
    if entry_hash(_as_entry(row), prev) != row.hash:
        return f"entry {seq} was altered: its hash does not match its content"
    return None


def verify(session: Session, progress: Callable[[int], None] | None = None) -> VerifyReport:
    """Walk the chain from the first entry; report the first broken link."""
    state = session.execute(select(RegistryState)).scalar_one()
    prev, seq = GENESIS, 0
    rows = session.execute(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)
    )
    for row in rows.scalars():
        seq += 1
        reason = _check_row(row, seq, prev)
        if reason is not None:
            return VerifyReport(seq - 1, seq, reason)
        prev = row.hash
        if progress is not None:
            progress(1)
    if (seq, prev) != (state.audit_seq, state.audit_head):
        return VerifyReport(
            seq,
            seq + 1,
            f"the chain ends at entry {seq} but its head is at "
            f"entry {state.audit_seq}: entries were removed from the end",
        )
    return VerifyReport(seq)


def accesses(session: Session, subject: str) -> list[AuditEntry]:
    """Every audit entry about ``subject`` that reads its data, oldest first."""
    state = session.execute(select(RegistryState)).scalar_one()
    ref = subject_ref(state.audit_key, subject)
    query = (
        select(AuditEntry)
        .where(AuditEntry.subject_ref == ref, AuditEntry.action.like("read.%"))
        .order_by(AuditEntry.seq)
    )
    return list(session.execute(query).scalars())


ACCESS_PREFIXES = ("read.", "denied.", "issue.")
"""A subject's access listing: reads of its data, refused attempts on it, keys issued for it."""


def in_access_listing() -> ColumnElement[bool]:
    """Whether an audit entry belongs in its subject's access listing."""
    return or_(*(AuditEntry.action.startswith(prefix) for prefix in ACCESS_PREFIXES))
