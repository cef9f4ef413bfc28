"""What retention erases of the feeds (principle 6): for subjects left without records, every
change of theirs in the decision-change log, and their changes in the webhook deliveries
still held (pending or dead: a dead letter sent again never carries an erased subject; a
delivered one keeps no payload).

Their listings ended when their records stopped counting, long before retention, and that exit
was in the feed from that day on."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import orjson
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from socialcredit.registry.store.feeds import DELIVERED, FeedChange, FeedDelivery


def erase_feeds(session: Session, subjects: Sequence[str]) -> Counter[str]:
    """Delete the subjects' feed changes and take them out of the deliveries kept."""
    erased: Counter[str] = Counter()
    found = session.execute(delete(FeedChange).where(FeedChange.subject_id.in_(subjects)))
    erased["feed_changes"] += int(getattr(found, "rowcount", 0) or 0)
    gone = set(subjects)
    mentions = or_(*(FeedDelivery.body.contains(f'"subject":"{s}"') for s in sorted(gone)))
    waiting = select(FeedDelivery).where(FeedDelivery.status != DELIVERED, mentions)
    for delivery in session.execute(waiting).scalars():
        body = orjson.loads(delivery.body)
        kept = [c for c in body["changes"] if c["subject"] not in gone]
        erased["feed_delivery_changes"] += len(body["changes"]) - len(kept)
        delivery.body, delivery.count = orjson.dumps(body | {"changes": kept}).decode(), len(kept)
    return erased
