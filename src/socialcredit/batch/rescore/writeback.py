"""Write a bucket's batch results back into the registry, in one transaction.

The registry's own reassessment path stores them (assessment tables, list entry and exit
notices, time-driven status events), with an assessor that hands it the batch result. A
subject whose records changed after the export (a new or removed record, or a status event
newer than the export) is assessed by the engine instead, so nothing stale is ever stored; so
is a subject with credit repair casework on a record (``Record.repairs``: registry casework
that the exported records files do not carry, and which may suspend a record).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcredit.batch.assessments import assessments, partition_rows
from socialcredit.batch.options import BatchError
from socialcredit.engine import Assessment, Record, assess_with_next_change
from socialcredit.policy import PolicySet
from socialcredit.registry import Actor, Registry
from socialcredit.registry.audit import AuditEvent, append
from socialcredit.registry.policystore import ActivePolicies
from socialcredit.registry.store.models import RecordEvent, RecordRow
from socialcredit.registry.writes.reassess import Scope, reassess

Result = tuple[Assessment, date | None]


@dataclass
class Precomputed:
    """An assessor for :func:`reassess`: the batch result while the records are as exported."""

    policies: PolicySet
    day: date
    results: dict[str, Result]
    exported: dict[str, frozenset[str]]
    changed: frozenset[str]
    fallbacks: int = 0

    def __call__(self, subject: str, records: list[Record]) -> Result:
        found = self.results.get(subject)
        same = self.exported.get(subject) == frozenset(r.id for r in records)
        casework = any(r.repairs for r in records)
        if found is None or not same or subject in self.changed or casework:
            self.fallbacks += 1
            return assess_with_next_change(self.policies, records, subject, self.day)
        return found


@dataclass(frozen=True)
class Bucket:
    """One exported bucket: its records file and the batch outputs of its partition."""

    name: str
    records: Path
    out: Path


@dataclass(frozen=True)
class Expected:
    """What the batch run was made under; a write under anything else is refused."""

    hashes: tuple[str, ...]
    day: date
    last_event: int
    actor: Actor
    chunk: int


def exported_keys(path: Path) -> dict[str, frozenset[str]]:
    table = pq.read_table(path, columns=["id", "subject"])
    keys: dict[str, set[str]] = defaultdict(set)
    for key, subject in zip(table["id"].to_pylist(), table["subject"].to_pylist(), strict=True):
        keys[subject].add(key)
    return {subject: frozenset(found) for subject, found in keys.items()}


def _changed_since(session: Session, last_event: int) -> frozenset[str]:
    query = (
        select(RecordRow.subject_id)
        .join(RecordEvent, RecordEvent.record_id == RecordRow.id)
        .where(RecordEvent.id > last_event)
        .distinct()
    )
    return frozenset(session.execute(query).scalars())


def _active(reg: Registry, session: Session, expected: Expected) -> ActivePolicies:
    active = reg.policies(session)
    if active.hashes != expected.hashes:
        raise BatchError("the active policies changed during the rescore: run it again")
    if reg.state(session).as_of != expected.day:
        raise BatchError("the registry's date moved (a tick) during the rescore: run it again")
    return active


def _chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def write_bucket(reg: Registry, bucket: Bucket, expected: Expected) -> tuple[int, int]:
    """Store the bucket's assessments; return (subjects written, subjects left to the engine)."""
    exported = exported_keys(bucket.records)
    with reg.session() as session, session.begin():
        active = _active(reg, session, expected)
        rows = partition_rows(bucket.out, bucket.name)
        results = {a.subject: (a, n) for a, n in assessments(active.policy_set, rows, expected.day)}
        changed = _changed_since(session, expected.last_event)
        assessor = Precomputed(active.policy_set, expected.day, results, exported, changed)
        subjects = sorted(exported)
        for chunk in _chunks(subjects, expected.chunk):
            reassess(session, active, Scope(chunk, expected.day, expected.actor.name), assessor)
        events = [AuditEvent("write.assessment.rescore", s, {}) for s in subjects]
        append(session, expected.actor, events)
    return len(subjects), assessor.fallbacks
