"""Writers of the same subjects, or of the same agency record, take turns (PostgreSQL).

SQLite has one writer at a time (``BEGIN IMMEDIATE``). PostgreSQL runs writers side by side,
and two that register records about the same subject, or reassess it, would otherwise both
insert its new subject row or its new assessment (one of them failing on the primary key), or
assess it without the other's records; two that register the same agency record id would both
find it new, and the second would fail on the unique key instead of being told "unchanged" or
refused as a conflict. So a writing transaction first takes a lock per subject (and per agency
record) it is about to touch, held until it ends: an advisory lock on a 64-bit hash of the
key, all of a statement's locks in ascending order (two writers never wait for each other in a
cycle through these locks; the audit head, locked last by every writer, comes after them all).
A writer that waited then reads what the other committed (each statement of a ``READ
COMMITTED`` transaction sees the latest commits). Checks take no such lock.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, String, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY

from socialcredit.registry.bulk import is_postgres

_LOCK = text(
    "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT DISTINCT hashtextextended(s, 0) AS k"
    " FROM unnest(:keys) AS s ORDER BY k) AS found"
).bindparams(bindparam("keys", type_=ARRAY(String())))


def lock_keys(conn: Connection, keys: Iterable[str]) -> None:
    """Hold a lock on each of ``keys`` (subject identifiers, or any other text, such as a hash
    of an agency's record id) until ``conn``'s transaction ends (PostgreSQL; a no-op on
    SQLite). Taking one again in the same transaction costs nothing more."""
    if not is_postgres(conn):
        return
    found = sorted(set(keys))
    if found:
        conn.execute(_LOCK, {"keys": found})
