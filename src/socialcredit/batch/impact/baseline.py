"""The assessment of a subject with no valid record, per subject kind, from the engine.

A record can be valid under one policy set and refused under the other (an item only one of
them catalogues), so a subject may have records on one side only. The batch scorer lists only
subjects with at least one valid record; on the other side such a subject is assessed as a
subject with no records, which depends only on its kind. The engine gives that assessment once
per kind, so the comparison uses the engine's own meaning for it.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from socialcredit.engine import Assessment, assess
from socialcredit.identity import SubjectKind
from socialcredit.identity.examples import example_credit_code, example_resident_id
from socialcredit.policy import PolicySet

_EXAMPLE = {
    SubjectKind.PERSON: example_resident_id(0),
    SubjectKind.ORGANISATION: example_credit_code(0),
}

_STRING = pa.string()
SCORES = pa.schema([("kind", _STRING), ("model", _STRING), ("grade", _STRING)])
LISTS = pa.schema([("kind", _STRING), ("list", _STRING)])
DECISIONS = pa.schema([("kind", _STRING), ("service", _STRING), ("effect", _STRING)])


def _empty_assessments(policies: PolicySet, as_of: date) -> dict[str, Assessment]:
    return {str(kind): assess(policies, [], subject, as_of) for kind, subject in _EXAMPLE.items()}


def baseline_tables(policies: PolicySet, as_of: date) -> dict[str, pa.Table]:
    """``base_scores``, ``base_lists`` and ``base_decisions`` (non-allow) by subject kind."""
    scores, lists, decisions = [], [], []
    for kind, a in _empty_assessments(policies, as_of).items():
        scores += [{"kind": kind, "model": s.model, "grade": s.grade} for s in a.scores]
        lists += [{"kind": kind, "list": m.list} for m in a.lists]
        decisions += [
            {"kind": kind, "service": d.service, "effect": d.effect}
            for d in a.decisions
            if d.effect != "allow"
        ]
    return {
        "base_scores": pa.Table.from_pylist(scores, SCORES),
        "base_lists": pa.Table.from_pylist(lists, LISTS),
        "base_decisions": pa.Table.from_pylist(decisions, DECISIONS),
    }
