"""A service provider's feed: the changes of decisions at its services, oldest first.

The log (:mod:`socialcredit.registry.writes.feedlog`) is written by whichever transaction
changes an assessment, and those commit in any order. A change gets its feed ``position`` only
once committed: every read of the feed first numbers the committed changes that have none,
under the audit head's lock (:func:`sequence`), after every position given so far. A reader
that has passed position *n* therefore never meets a change below *n* later.

Each page read is one transaction: lock the audit head, number, read the page, append one
``read.subject.feed`` audit entry per change shown (the subject sees it in its access listing),
commit. The cursor (:mod:`.feedcursor`) names the last position read.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Row, Text, func, select, type_coerce, update
from sqlalchemy.orm import Session

from socialcredit.errors import NotFoundError
from socialcredit.registry.audit import Actor, AuditEvent, Head, chain, write_chain
from socialcredit.registry.context import Registry
from socialcredit.registry.reads import feedcursor
from socialcredit.registry.reads.feedcursor import CURSOR_TTL
from socialcredit.registry.store.casework import Principal
from socialcredit.registry.store.feeds import FeedChange
from socialcredit.registry.store.headsql import LOCK_HEAD
from socialcredit.registry.store.models import table

MAX_LIMIT = 1000
FEED_READ = "read.subject.feed"
_CHANGES = table(FeedChange)
# The reasons as their stored JSON text (decoded by orjson in ``change_out``: the JSON type's
# own decoder is the standard library's, several times slower).
_COLUMNS = [c if c.name != "reasons" else type_coerce(c, Text).label(c.name) for c in _CHANGES.c]
Change = Row[Any]
"""A row of ``feed_changes`` (read with Core: a page is read in one statement, no objects)."""


NUMBER_AT_ONCE = 50_000
"""The most changes one numbering statement numbers: the audit head stays locked while it
runs, and checks wait for that lock (a rescore can leave millions to number)."""


@dataclass(frozen=True)
class Numbered:
    top: int  # the highest position given
    left: bool  # whether committed changes are still without a position


def sequence(conn: Connection, most: int = NUMBER_AT_ONCE) -> Numbered:
    """Number up to ``most`` committed changes that have no position yet, after every position
    given so far (in the order of their ids). The caller holds the audit head's lock (one
    numbering at a time)."""
    top = conn.execute(select(func.max(FeedChange.position))).scalar_one() or 0
    unnumbered = FeedChange.position.is_(None)
    low = conn.execute(select(func.min(FeedChange.id)).where(unnumbered)).scalar_one()
    if low is None:
        return Numbered(int(top), False)
    # ids from ``low`` on only: a change committed after ``low`` was read, with a smaller id,
    # would get a position already given; it is numbered by the next numbering instead.
    conn.execute(
        update(FeedChange)
        .where(unnumbered, FeedChange.id >= low, FeedChange.id < low + most)
        .values(position=FeedChange.id - low + top + 1)
    )
    found = conn.execute(select(func.max(FeedChange.position))).scalar_one() or 0
    left = conn.execute(select(FeedChange.id).where(unnumbered).limit(1)).first() is not None
    return Numbered(int(found), left)


def sequence_all(conn: Connection) -> int:
    """Number every committed change that has none; return the highest position."""
    while (numbered := sequence(conn)).left:
        pass
    return numbered.top


def lock_head(conn: Connection) -> Head:
    found = conn.execute(LOCK_HEAD).one_or_none()
    if found is None:
        raise RuntimeError("registry state missing")  # guarded by Registry.open
    return Head(*found)


def change_out(row: Change) -> dict[str, Any]:
    """A change as the feed, the files and the webhooks show it."""
    return {
        "position": row.position,
        "subject": row.subject_id,
        "service": row.service,
        "change": row.change,
        "effect": row.effect,
        "reasons": orjson.loads(row.reasons) if isinstance(row.reasons, str) else row.reasons,
        "since": _iso(row.since),
        "until": _iso(row.until),
        "on": row.on.isoformat(),
    }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def changes_after(
    session: Session, services: Collection[str], after: int, limit: int, upto: int | None = None
) -> list[Change]:
    """Up to ``limit`` numbered changes at ``services`` after position ``after`` (and at or
    before ``upto``), oldest first."""
    query = select(*_COLUMNS).where(
        FeedChange.service.in_(sorted(services)), FeedChange.position > after
    )
    if upto is not None:
        query = query.where(FeedChange.position <= upto)
    return list(session.execute(query.order_by(FeedChange.position).limit(limit)))


Read = tuple[str, str, int | None]
"""A change handed to a provider, as audited: subject, service, feed position."""


def handed(rows: Sequence[Change]) -> list[Read]:
    return [(r.subject_id, r.service, r.position) for r in rows]


def audit_reads(
    conn: Connection, head: Head, actor: Actor, reads: Sequence[Read], how: str
) -> Head:
    """One ``read.subject.feed`` entry per change handed to the provider (``how``: the feed
    API, a file, a webhook); return the chain's new head."""
    events = [
        AuditEvent(FEED_READ, subject, {"service": service, "position": position, "via": how})
        for subject, service, position in reads
    ]
    if not events:
        return head
    written = chain(head, actor, events)
    write_chain(conn, written)
    return Head(head.key, written[-1]["seq"], written[-1]["hash"])


@dataclass(frozen=True)
class Provider:
    """A service provider as the feed sees it: its principal and the services it checks."""

    principal: int
    services: frozenset[str]


def provider_named(session: Session, name: str) -> Provider:
    """The active service principal called ``name``."""
    row = session.execute(select(Principal).where(Principal.name == name)).scalar_one_or_none()
    if row is None or row.role != "service" or row.revoked_at is not None:
        raise NotFoundError(
            f"no active service provider named {name!r} (see `socialcredit principal list`)",
            {"provider": name},
        )
    return Provider(row.id, frozenset(str(s) for s in row.services or ()))


@dataclass(frozen=True)
class FeedPage:
    changes: list[dict[str, Any]]
    next_cursor: str
    more: bool
    position: int


def read_feed(
    reg: Registry,
    provider: Provider,
    actor: Actor,
    cursor: str | None,
    limit: int,
    now: datetime | None = None,
) -> FeedPage:
    """The provider's changes after ``cursor`` (None or empty: from its first change), at most
    ``limit``, oldest first, and the cursor to continue from; audited per change."""
    moment = now or datetime.now(UTC)
    limit = max(1, min(limit, MAX_LIMIT))
    with reg.session() as session, session.begin():
        conn = session.connection()
        head = lock_head(conn)
        key = feedcursor.cursor_key(head.key)
        after = 0
        if cursor:
            after = feedcursor.read(key, cursor, provider.principal, moment).position
        while True:  # number until the page is full or nothing is left to number
            left = sequence(conn).left
            rows = changes_after(session, provider.services, after, limit + 1)
            if len(rows) > limit or not left:
                break
        more, rows = len(rows) > limit, rows[:limit]
        audit_reads(conn, head, actor, handed(rows), "api")
        last = rows[-1].position if rows else after
        assert last is not None
        token = feedcursor.issue(key, provider.principal, last, moment, CURSOR_TTL)
    return FeedPage([change_out(r) for r in rows], token, more, last)


def cursor_at(reg: Registry, principal: int, position: int, ttl: timedelta = CURSOR_TTL) -> str:
    """A cursor for ``principal`` at ``position`` (a full export hands it out with the
    snapshot)."""
    with reg.session() as session:
        state = reg.state(session)
        key = feedcursor.cursor_key(state.audit_key)
    return feedcursor.issue(key, principal, position, datetime.now(UTC), ttl)
