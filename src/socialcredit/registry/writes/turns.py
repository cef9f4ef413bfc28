"""Writers of the same subject take turns: a workflow takes the subject's lock before it reads
the state it depends on (a record's status, a pending objection or application), so that two
requests at once cannot both find "nothing pending" and both write.

Every writer takes subject locks before any row lock (a workflow that starts from an
objection's or an application's id reads it once without a lock to learn the subject, then
locks the subject, then reads it again under a row lock), so two writers never wait for each
other in a cycle. On SQLite one writer at a time holds the database, and the lock is a no-op.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from socialcredit.registry.store.choose import backend_of


def lock_subjects(session: Session, subjects: Iterable[str]) -> None:
    """Hold the writer's lock on each subject until the session's transaction ends."""
    lock_keys(session, subjects)


def lock_keys(session: Session, keys: Iterable[str]) -> None:
    """Hold a writer's lock on each key (any text naming what writers take turns on) until the
    session's transaction ends."""
    conn = session.connection()
    backend_of(conn).lock_keys(conn, keys)
