"""The result of evaluating one subject on one date under a policy set, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from socialcredit.engine.decisions import Decision
from socialcredit.engine.intervals import render
from socialcredit.engine.links import LinkLine
from socialcredit.engine.lists import Membership
from socialcredit.engine.minors import Protection
from socialcredit.engine.scoring import Score
from socialcredit.policy.policyset import PolicyInfo


@dataclass(frozen=True)
class RecordState:
    """Why a record does or does not count on the assessment date."""

    record: str
    item: str
    status: str
    effective_from: date
    counts_until: date


@dataclass(frozen=True)
class LinkState:
    """Where one of a person's links stands on the assessment date, and until when it holds."""

    link: str
    organisation: str
    role: str
    source: str
    status: str
    valid_from: date
    ends_on: date
    protection: str | None = None
    """Why the link reaches nothing although it holds (the person is a minor on the day)."""

    @classmethod
    def of(cls, line: LinkLine, day: date, adult_from: date | None = None) -> LinkState:
        """``adult_from``: for a minor on ``day``, the first day as an adult."""
        link = line.link
        status = str(line.status_on(day))
        protection = None
        if adult_from is not None:
            protection = (
                "the person is under 18: no measure reaches them through a link before "
                f"{adult_from.isoformat()}, the day after the 18th birthday (principle 13)"
            )
        return cls(
            link.id,
            link.organisation,
            link.role,
            str(link.source),
            status,
            link.valid_from,
            line.ends_on,
            protection,
        )


@dataclass(frozen=True)
class Assessment:
    subject: str
    subject_kind: str
    as_of: date
    scores: tuple[Score, ...]
    lists: tuple[Membership, ...]
    decisions: tuple[Decision, ...]
    records: tuple[RecordState, ...]
    policies: tuple[PolicyInfo, ...]
    protections: tuple[Protection, ...] = ()
    """The records protected by principle 13 (decided while the subject was a minor)."""
    links: tuple[LinkState, ...] = ()
    """A person's links to organisations as known on the date, by link id."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``socialcredit assess --json`` (docs/semantics.md)."""
        return {
            "subject": self.subject,
            "subject_kind": self.subject_kind,
            "as_of": self.as_of.isoformat(),
            "scores": {s.model: _score(s) for s in self.scores},
            "lists": [_membership(m) for m in self.lists],
            "decisions": {
                d.service: {
                    "effect": d.effect,
                    "reasons": list(d.reasons),
                    "remedies": list(d.remedies),
                }
                for d in self.decisions
            },
            "records": [_record(r) for r in self.records],
            "links": [_link(k) for k in self.links],
            "protections": [p.to_dict() for p in self.protections],
            "policies": [p.as_dict() for p in self.policies],
        }


def _score(score: Score) -> dict[str, Any]:
    out: dict[str, Any] = {
        "value": score.value,
        "grade": score.grade,
        "contributions": [
            {"record": c.record, "item": c.item, "points": c.points} for c in score.contributions
        ],
    }
    if score.card is not None:
        out["characteristics"] = [
            {"id": f.characteristic, "value": f.value, "bin": f.bin, "points": f.points}
            for f in score.card.factors
        ]
        out["reasons"] = [
            {"code": r.code, "reason": r.text, "points_short": r.points_short}
            for r in score.card.reasons
        ]
    return out


def _membership(m: Membership) -> dict[str, Any]:
    return {
        "list": m.list,
        "kind": m.kind,
        "since": render(m.since),
        "until": render(m.until),
        "records": list(m.records),
    }


def _day(day: date) -> str | None:
    """A date, or ``None`` for the open end (a record whose notice is not served)."""
    return None if day == date.max else day.isoformat()


def _record(r: RecordState) -> dict[str, Any]:
    return {
        "record": r.record,
        "item": r.item,
        "status": r.status,
        "effective_from": _day(r.effective_from),
        "counts_until": _day(r.counts_until),
    }


def _link(k: LinkState) -> dict[str, Any]:
    return {
        "link": k.link,
        "organisation": k.organisation,
        "role": k.role,
        "source": k.source,
        "status": k.status,
        "valid_from": k.valid_from.isoformat(),
        "ends_on": _day(k.ends_on),
        "protection": k.protection,
    }
