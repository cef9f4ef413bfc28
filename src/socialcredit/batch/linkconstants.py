"""The constant tables of the link steps (``linksql``), from the loaded policies.

- ``c_reaching``: one row per (list, service, measure, role) of a measure that reaches persons
  linked to a listed organisation (``engine.compiled``: a list's deny or restrict measure for
  organisations whose targets name the role);
- ``c_link_terms``: the distinct objection review deadlines of the policies in force (days,
  counted in working days or not); an objection to a link is suspended from the earliest of
  them (``engine.reach.review_terms``).
"""

from __future__ import annotations

import pyarrow as pa

from socialcredit.batch.constants import EFFECT_RANK
from socialcredit.engine.compiled import compiled
from socialcredit.engine.reach import review_terms
from socialcredit.policy import PolicySet

REACHING_SCHEMA = pa.schema(
    [
        ("list_id", pa.string()),
        ("service", pa.string()),
        ("memorandum", pa.string()),
        ("measure", pa.string()),
        ("effect", pa.string()),
        ("effect_rank", pa.int32()),
        ("role", pa.string()),
    ]
)


def _reaching(policies: PolicySet) -> pa.Table:
    rows: list[dict[str, object]] = []
    for list_id, by_service in compiled(policies).reaching.items():
        for service, rules in by_service.items():
            for rule in rules:
                measure = rule.bound.measure
                rows.extend(
                    {
                        "list_id": list_id,
                        "service": service,
                        "memorandum": rule.bound.memorandum.id,
                        "measure": measure.id,
                        "effect": measure.effect,
                        "effect_rank": EFFECT_RANK[measure.effect],
                        "role": role,
                    }
                    for role in sorted(set(measure.targets) - {"subject"})
                )
    return pa.Table.from_pylist(rows, REACHING_SCHEMA)


def link_tables(policies: PolicySet) -> dict[str, pa.Table]:
    """The link constants, by name."""
    terms = [{"days": days, "working": working} for days, working in review_terms(policies)]
    schema = pa.schema([("days", pa.int32()), ("working", pa.bool_())])
    return {"c_reaching": _reaching(policies), "c_link_terms": pa.Table.from_pylist(terms, schema)}
