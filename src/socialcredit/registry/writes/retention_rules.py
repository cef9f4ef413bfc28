"""How long the registry keeps a record (design.md principle 6), as a pure rule.

A record is kept until the later of its term end (``effective_from + counts_for``) and the end
of its disclosure period (``effective_from + disclosure.period``). From that day on (the
registry's date on or after it) and unless an objection is still undecided, retention deletes
it. Resolution or revocation does not shorten the time: the subject's file keeps its history.
A record whose notice is not served yet is kept as if it had been served on its decision date,
and its time is computed again when its notice is served (``writes.service``).

A link (:func:`link_retain_until`) is kept for five years after it ends (its ``valid_to``, its
revocation, or an objection decided ``revoked``), the longest any record counts: a measure that
reached the person through it can be explained for as long as the records behind it may be.
An open link is kept while it holds; its time is computed again whenever it ends.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from socialcredit.engine import Record
from socialcredit.engine.records import UNSERVED
from socialcredit.engine.timeline import timeline
from socialcredit.policy import PolicySet


def retain_until(policies: PolicySet, record: Record) -> date:
    """The first day the record may be deleted."""
    item = policies.items[record.item]
    if record.notice in UNSERVED:
        record = replace(record, notice=None, notified_on=None)
    line = timeline(
        record, item, policies.review_days(record.item), policies.review_working(record.item)
    )
    return max(line.term_end, item.disclosure.period.after(line.effective_from))


LINK_YEARS = 5
"""How many years a link is kept after it ends."""


def link_retain_until(ends: date) -> date:
    """The first day the link may be deleted: ``LINK_YEARS`` after ``ends`` (the first day it
    no longer holds; ``date.max`` while it is open)."""
    if ends == date.max:
        return date.max
    try:
        return ends.replace(year=ends.year + LINK_YEARS)
    except ValueError:  # 29 February
        return ends.replace(year=ends.year + LINK_YEARS, day=28)
