"""The transaction of point-of-service checks.

Checks are the registry's hottest path: every one reads the stored decisions, appends an audit
entry under the chain's locked head and commits before it is answered. The backend runs the
transaction on the driver's own connection (:meth:`~socialcredit.registry.store.backend.
Backend.run_check`): read the pairs asked, lock the audit head, append the audit rows that the
caller makes of what was read, commit. The read comes before the head is locked, so the lock
(one writer at a time) covers only the audit append: an answer is the state at a moment before
its audit entry is written, never older than the check itself. The caller decides what to
audit and what to refuse (an exception rolls everything back).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from socialcredit.registry.audit import Head
from socialcredit.registry.context import Registry
from socialcredit.registry.policystore import ActivePolicies
from socialcredit.registry.store.backend import CheckRow, HeadRow
from socialcredit.registry.store.choose import backend_of
from socialcredit.registry.store.engines import driver_date


@dataclass(frozen=True)
class Found:
    """What the transaction read, and the audit head it locked. Decisions are kept as their
    stored JSON text, to be decoded after the commit (outside the writer's lock)."""

    head: Head
    today: date
    policies: ActivePolicies
    assessed: dict[str, date]
    stored: dict[tuple[str, str], str]


AuditRows = Callable[[Found], list[dict[str, Any]]]
"""Makes the audit rows to append (``audit.chain``'s rows) from what was read; may raise to
refuse, which rolls the transaction back."""


class _Unknown(Exception):
    """The active policy set named by the read is not loaded yet (rolled back)."""

    def __init__(self, mark: int | None) -> None:
        self.mark = mark


def _found(reg: Registry, rows: list[CheckRow], head: HeadRow) -> Found:
    """What was read, under the active policy set it names (the newest policy version id)."""
    policies = reg.known_policies(rows[0][1])
    if policies is None:
        raise _Unknown(rows[0][1])
    today = driver_date(rows[0][0])
    return Found(
        head=Head(*head),
        today=today,
        policies=policies,
        assessed={row[2]: _valid_on(row, today) for row in rows if row[4] is not None},
        stored={(row[2], row[3]): row[5] for row in rows if row[5] is not None},
    )


def _valid_on(row: CheckRow, today: date) -> date:
    """The date the subject's stored assessment answers for: the registry's date while the
    assessment holds (its next change is after it: a tick reassesses only the subjects whose
    assessment changes), else the date it was made (a tick still under way)."""
    next_change = row[6]
    if next_change is None or driver_date(next_change) > today:
        return today
    return driver_date(row[4])


def run(
    reg: Registry, conn: Connection, pairs: Sequence[tuple[str, str]], rows: AuditRows
) -> Found:
    """The check transaction on ``conn`` (not in a transaction): read the assessments of the
    subjects of ``pairs`` (distinct (subject, service) pairs) and the stored decision of each
    pair, lock the audit head, append ``rows(found)`` to the audit chain and commit. Raise
    ``LookupError`` if the registry has no state row.

    If this process has not met the active policy set yet, it is loaded outside the
    transaction and the transaction is run again.
    """
    backend = backend_of(conn)
    for _ in range(2):
        reading = _Reading(reg, rows)
        try:
            backend.run_check(conn, pairs, reading.audit)
            return reading.found()
        except _Unknown as unknown:
            with conn.begin():
                reg.policies_at(conn, unknown.mark)
    raise RuntimeError("the active policies changed twice during one check")


class _Reading:
    """One run of the transaction: what it read, and the audit rows made of it."""

    def __init__(self, reg: Registry, rows: AuditRows) -> None:
        self._reg, self._rows = reg, rows
        self._found: Found | None = None

    def audit(self, checked: list[CheckRow], head: HeadRow) -> list[dict[str, Any]]:
        self._found = _found(self._reg, checked, head)
        return self._rows(self._found)

    def found(self) -> Found:
        if self._found is None:
            raise RuntimeError("the check transaction read nothing")
        return self._found
