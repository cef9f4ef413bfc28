"""Submitted lines before anything is written: read in chunks, validated, scoped to the
agency, and classified against what the registry holds.

A record is identified by (source agency, source record id). The same payload again is
``unchanged`` (nothing is written); a different payload under the same id is refused, as is a
record retention deleted. The payload compared is the record's fields with surrounding spaces
and empty values removed, so the same record sent as JSON Lines or as CSV is the same payload.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Select, bindparam, select
from sqlalchemy.orm import Session

from socialcredit.engine import RECORD_FIELDS, Record, validate_record
from socialcredit.engine.validation import Checked as Validated
from socialcredit.policy.policyset import PolicySet
from socialcredit.registry.audit import Actor, canonical
from socialcredit.registry.policystore import ActivePolicies
from socialcredit.registry.store.backend import Backend
from socialcredit.registry.store.choose import backend_of
from socialcredit.registry.store.models import RecordRow, RetiredRecord, Subject, table

RawLine = Mapping[str, Any] | str  # a raw record, or why its line could not be read


@dataclass(frozen=True)
class LineOutcome:
    line: int
    record_id: str | None
    status: str  # registered | unchanged | refused
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    conflict: bool = False


@dataclass
class SubmitReport:
    outcomes: list[LineOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def refused(self) -> list[LineOutcome]:
        return [o for o in self.outcomes if o.status == "refused"]


@dataclass(frozen=True)
class Candidate:
    line: int
    record: Record
    payload: dict[str, str]
    sha256: str
    warnings: tuple[str, ...]


def payload_of(raw: Mapping[str, Any]) -> dict[str, str]:
    """The compared payload: known fields, stripped, empty values left out."""
    out = {}
    for key in RECORD_FIELDS:
        value = raw.get(key)
        text = "" if value is None else str(value).strip()
        if text:
            out[key] = text
    return out


def source_hash(agency: str, source_id: str) -> str:
    return hashlib.sha256(canonical({"agency": agency, "id": source_id})).hexdigest()


def checked_for(raw: Mapping[str, Any], policies: PolicySet, agency: str) -> Validated:
    """A raw record validated and scoped to the agency (it submits only its own items)."""
    checked = validate_record(raw, policies)
    item = policies.items.get(str(raw.get("item") or "").strip())
    if item is not None and item.authority != agency:
        checked.reasons.append(
            f"agency {agency!r} does not establish item {item.code!r} (its authority is "
            f"{item.authority!r}); agencies submit only their own items (principle 12)"
        )
    return checked


def check_line(
    line: int, raw: RawLine, policies: ActivePolicies, agency: str
) -> Candidate | LineOutcome:
    if isinstance(raw, str):
        return LineOutcome(line, None, "refused", (raw,))
    checked = checked_for(raw, policies.policy_set, agency)
    record_id = None if raw.get("id") is None else str(raw.get("id")).strip()
    if checked.reasons or checked.record is None:
        return LineOutcome(line, record_id, "refused", tuple(checked.reasons))
    payload = payload_of(raw)
    digest = hashlib.sha256(canonical(payload)).hexdigest()
    return Candidate(line, checked.record, payload, digest, tuple(checked.warnings))


@dataclass(frozen=True)
class Submission:
    """Who submits: the agency (matched exactly against an item's ``authority``) and actor."""

    agency: str
    actor: Actor


_RECORDS, _SUBJECTS, _RETIRED = table(RecordRow), table(Subject), table(RetiredRecord)


@dataclass(frozen=True)
class _Known:
    """What the registry already holds of a chunk's records and subjects."""

    records: Select[Any]
    retired: Select[Any]
    subjects: Select[Any]


def known_statements(backend: Backend) -> _Known:
    """Built once per backend (SQLAlchemy caches their compiled form)."""
    return _Known(
        records=select(_RECORDS.c.source_id, _RECORDS.c.payload_sha256).where(
            _RECORDS.c.agency == bindparam("agency"),
            backend.in_list(_RECORDS.c.source_id, "ids"),
        ),
        retired=select(_RETIRED.c.source_hash).where(
            backend.in_list(_RETIRED.c.source_hash, "hashes")
        ),
        subjects=select(_SUBJECTS.c.id).where(backend.in_list(_SUBJECTS.c.id, "ids")),
    )


def _known(
    conn: Connection, agency: str, candidates: list[Candidate]
) -> tuple[dict[str, str], set[str]]:
    """The payload hashes of the candidates already registered, and the ids of those that
    retention deleted, by the agency's record id."""
    q = backend_of(conn).statements(known_statements)
    ids = [c.record.id for c in candidates]
    existing = {
        source: sha for source, sha in conn.execute(q.records, {"agency": agency, "ids": ids})
    }
    by_hash = {source_hash(agency, i): i for i in ids}
    found = conn.execute(q.retired, {"hashes": list(by_hash)}).scalars()
    return existing, {by_hash[h] for h in found}


def classify(
    session: Session, sub: Submission, candidates: list[Candidate], report: SubmitReport
) -> list[Candidate]:
    """Tell new records from those already registered (unchanged, or a conflict) or deleted
    by retention; report the others and return the new ones."""
    existing, retired = _known(session.connection(), sub.agency, candidates)
    new = []
    for c in candidates:
        rid = c.record.id
        if rid in retired:
            reason = f"record {rid!r} of {sub.agency!r} was deleted by retention"
            report.outcomes.append(LineOutcome(c.line, rid, "refused", (reason,)))
        elif rid not in existing:
            new.append(c)
        elif existing[rid] == c.sha256:
            report.outcomes.append(LineOutcome(c.line, rid, "unchanged", (), c.warnings))
        else:
            reason = (
                f"record {rid!r} of {sub.agency!r} is already registered with a different "
                "payload; change a registered record with `records resolve|revoke|dispute|"
                "decide-dispute`, or submit the correction under a new id"
            )
            report.outcomes.append(LineOutcome(c.line, rid, "refused", (reason,), conflict=True))
    return new


def chunks(lines: Iterable[tuple[int, RawLine]], size: int) -> Iterator[list[tuple[int, RawLine]]]:
    it = iter(lines)
    while chunk := list(islice(it, size)):
        yield chunk


Checked = Candidate | LineOutcome
Lines = list[tuple[int, RawLine]]


def candidates_of(
    checked: list[Checked], seen: dict[str, int], report: SubmitReport
) -> list[Candidate]:
    """The valid records of a chunk, each record id once in the whole submission."""
    candidates = []
    for found in checked:
        if isinstance(found, LineOutcome):
            report.outcomes.append(found)
        elif found.record.id in seen:
            first = seen[found.record.id]
            reason = f"record id {found.record.id!r} already appears on line {first}"
            report.outcomes.append(LineOutcome(found.line, found.record.id, "refused", (reason,)))
        else:
            seen[found.record.id] = found.line
            candidates.append(found)
    return candidates


def check_lines(chunk: Lines, active: ActivePolicies, agency: str) -> list[Checked]:
    return [check_line(line, raw, active, agency) for line, raw in chunk]


def not_after(checked: list[Checked], today: date) -> list[Checked]:
    """Refuse the records decided after the registry's date: a decision dated in the future
    has not been taken (and one dated 2100 would count for decades). Later facts (a
    resolution, a revocation) may be filed ahead, as an agency's export of a whole history
    is; they take effect as the registry's date reaches them."""
    return [_not_after(found, today) for found in checked]


def _not_after(found: Checked, today: date) -> Checked:
    if isinstance(found, LineOutcome) or found.record.decided_on <= today:
        return found
    reason = f"decided_on {found.record.decided_on} is after the registry's date {today}"
    return LineOutcome(found.line, found.record.id, "refused", (reason,))


def record_keys_of(candidates: list[Candidate], agency: str) -> list[str]:
    """What a chunk locks besides its records' subjects: its agency record ids."""
    return [f"record:{source_hash(agency, c.record.id)}" for c in candidates]
