"""Whole engine assessments rebuilt from a batch run's output tables, one partition at a time.

The batch scorer writes long tables (scores, contributions, scorecard characteristics, lists,
list records, decisions, records and subjects with their next change). This module joins them
back, per subject, into :class:`socialcredit.engine.Assessment` objects, the form the registry
stores (a scorecard's bins, points and reasons rebuilt from its characteristics' values): the same
values, in the engine's order (models and lists by id, records by record id). Decisions are
written out by the engine's own ``decide`` from the rebuilt memberships and scores, so that
their reasons and remedies carry the policy's wording; each is checked against the effect the
batch scorer computed, and a disagreement is an error, never silently resolved. The records
protected by principle 13 are likewise the engine's own ``protections``, checked against the
batch scorer's ``minor`` column. With links (a run with ``--links``, given the same links),
the reasons given through links are the engine's own too: its link timelines and the
organisations' memberships the batch scorer found reaching each person; the link states must
agree with the batch scorer's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from socialcredit.batch.options import BatchError
from socialcredit.engine import Assessment, LinkState, RecordState
from socialcredit.engine.decisions import Decision, Situation, decide
from socialcredit.engine.intervals import OPEN_END, OPEN_START
from socialcredit.engine.links import Link
from socialcredit.engine.lists import Membership
from socialcredit.engine.minors import (
    Decided,
    Protection,
    guarded_scores,
    minor_on,
    protections,
)
from socialcredit.engine.reach import Reach, adult_from, link_lines
from socialcredit.engine.scorecard import card_result
from socialcredit.engine.scoring import Contribution, Score
from socialcredit.engine.timeline import RecordStatus
from socialcredit.identity import SubjectId, SubjectKind, birth_date
from socialcredit.policy import PolicySet

TABLES = (
    "subjects",
    "scores",
    "contributions",
    "characteristics",
    "lists",
    "list_records",
    "decisions",
    "records",
)
LINK_TABLES = ("links", "link_reaches", "link_records")
"""Written by a run with links only."""
Row = dict[str, Any]


def partition_rows(out: Path, partition: str) -> dict[str, list[Row]]:
    """The rows of one partition's output tables, as the DuckDB executor writes them."""
    rows = {
        table: pq.read_table(out / table / f"part-{partition}.parquet").to_pylist()
        for table in TABLES
    }
    for table in LINK_TABLES:
        path = out / table / f"part-{partition}.parquet"
        rows[table] = pq.read_table(path).to_pylist() if path.is_file() else []
    return rows


@dataclass
class _Subject:
    kind: str
    next_change: date | None
    contributions: dict[str, list[Contribution]] = field(default_factory=lambda: defaultdict(list))
    values: dict[str, dict[str, int | None]] = field(default_factory=lambda: defaultdict(dict))
    scores: list[Score] = field(default_factory=list)
    lists: list[Membership] = field(default_factory=list)
    records: list[RecordState] = field(default_factory=list)
    decided: list[Decided] = field(default_factory=list)
    minors: set[str] = field(default_factory=set)
    effects: dict[str, str] = field(default_factory=dict)
    link_states: dict[str, Row] = field(default_factory=dict)
    reaches: list[Row] = field(default_factory=list)
    link_records: dict[tuple[str, str], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _group(rows: dict[str, list[Row]]) -> dict[str, _Subject]:
    subjects = {r["subject"]: _Subject(r["kind"], r["next_change"]) for r in rows["subjects"]}
    for r in rows["contributions"]:
        subjects[r["subject"]].contributions[r["model"]].append(
            Contribution(r["record"], r["item"], int(r["points"]))
        )
    for r in rows["characteristics"]:
        value = None if r["value"] is None else int(r["value"])
        subjects[r["subject"]].values[r["model"]][r["characteristic"]] = value
    for r in rows["scores"]:
        found = subjects[r["subject"]]
        own = tuple(sorted(found.contributions[r["model"]], key=lambda c: c.record))
        found.scores.append(Score(r["model"], int(r["value"]), r["grade"], own))
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows["list_records"]:
        members[(r["subject"], r["list"])].append(r["record"])
    for r in rows["lists"]:
        since, until = r["since"] or OPEN_START, r["until"] or OPEN_END
        records = tuple(sorted(members[(r["subject"], r["list"])]))
        subjects[r["subject"]].lists.append(Membership(r["list"], r["kind"], since, until, records))
    for r in rows["records"]:
        state = RecordState(
            r["record"],
            r["item"],
            RecordStatus(r["status"]),
            r["effective_from"] or OPEN_END,  # NULL: a notice not served, never effective
            r["counts_until"] or OPEN_END,
        )
        found = subjects[r["subject"]]
        found.records.append(state)
        found.decided.append(Decided(r["record"], r["item"], r["decided_on"]))
        if r["minor"]:
            found.minors.add(r["record"])
    for r in rows["decisions"]:
        subjects[r["subject"]].effects[r["service"]] = r["effect"]
    for r in rows["links"]:
        subjects[r["subject"]].link_states[r["link"]] = r
    for r in rows["link_reaches"]:
        subjects[r["subject"]].reaches.append(r)
    for r in rows["link_records"]:
        subjects[r["subject"]].link_records[(r["link"], r["list"])].append(r["record"])
    return subjects


def _checked(decision: Decision, effect: str, subject: str) -> Decision:
    if decision.effect != effect:
        raise BatchError(
            f"the batch scorer and the engine disagree for {subject} at {decision.service}: "
            f"{effect} against {decision.effect}"
        )
    return decision


def _protections(policies: PolicySet, subject: str, found: _Subject) -> tuple[Protection, ...]:
    """The engine's protections of the subject's records, which must be the batch's minors."""
    born = birth_date(SubjectId(SubjectKind(found.kind), subject))
    found_protections = protections(policies, found.kind, born, found.decided)
    ids = {p.record for p in found_protections}
    if ids != found.minors:
        raise BatchError(
            f"the batch scorer and the engine disagree on the records of {subject} protected as "
            f"a minor's: {sorted(found.minors)} against {sorted(ids)}"
        )
    return found_protections


def _with_card(policies: PolicySet, score: Score, values: dict[str, int | None]) -> Score:
    """A scorecard's score with its characteristics and reasons, by the engine's own rule."""
    card = policies.models[score.model].scorecard
    if card is None:
        return score
    result = card_result(card, [values[ch.id] for ch in card.characteristics])
    return replace(score, card=result)


def _linked(
    policies: PolicySet, subject: str, found: _Subject, as_of: date, links: Sequence[Link]
) -> tuple[tuple[Reach, ...], tuple[LinkState, ...]]:
    """The engine's link timelines of the person and the reaches the batch scorer found."""
    lines = {line.link.id: line for line in link_lines(policies, links, subject, as_of)}
    born = birth_date(SubjectId(SubjectKind(found.kind), subject))
    adult = adult_from(born) if links and born is not None and minor_on(born, as_of) else None
    states = tuple(LinkState.of(line, as_of, adult) for line in lines.values())
    mine = {s.link: (s.status, s.ends_on) for s in states}
    theirs = {k: (r["status"], r["ends_on"] or OPEN_END) for k, r in found.link_states.items()}
    if mine != theirs:
        raise BatchError(
            f"the batch scorer and the engine disagree on the links of {subject}: "
            f"{sorted(theirs.items())} against {sorted(mine.items())}"
        )
    reaches = []
    for r in sorted(found.reaches, key=lambda r: (r["link"], r["list"])):
        records = tuple(sorted(found.link_records[(r["link"], r["list"])]))
        since, until = r["listed_since"] or OPEN_START, r["listed_until"] or OPEN_END
        member = Membership(r["list"], r["kind"], since, until, records)
        line = lines[r["link"]]
        reaches.append(Reach(line, member, r["since"] or OPEN_START, r["until"] or OPEN_END))
    return tuple(reaches), states


def _assessment(
    policies: PolicySet, subject: str, found: _Subject, as_of: date, links: Sequence[Link]
) -> Assessment:
    scores = tuple(
        _with_card(policies, s, found.values[s.model])
        for s in sorted(found.scores, key=lambda s: s.model)
    )
    lists = tuple(sorted(found.lists, key=lambda m: m.list))
    records = tuple(sorted(found.records, key=lambda r: r.record))
    protected = _protections(policies, subject, found)
    ids = frozenset(p.record for p in protected)
    guarded = guarded_scores(policies, scores, ids) if ids else None
    memberships = {m.list: m for m in lists}
    reaches, states = _linked(policies, subject, found, as_of, links)
    by_model = {s.model: s for s in scores}
    situation = Situation(found.kind, memberships, by_model, guarded, reaches)
    review_days = {r.record: policies.review_term(r.item) for r in records}
    # Where the batch scorer found no active measure the decision is ``allow`` with no
    # reasons and no remedies, exactly what ``decide`` gives then; elsewhere ``decide`` writes
    # the reasons and remedies, and must agree with the batch scorer's effect.
    decisions = tuple(
        Decision(service, "allow", (), ())
        if (effect := found.effects.get(service)) is None
        else _checked(decide(policies, service, situation, review_days), effect, subject)
        for service in policies.service_ids()
    )
    return Assessment(
        subject,
        found.kind,
        as_of,
        scores,
        lists,
        decisions,
        records,
        policies.policies,
        protected,
        states,
    )


def assessments(
    policies: PolicySet, rows: dict[str, list[Row]], as_of: date, links: Iterable[Link] = ()
) -> Iterator[tuple[Assessment, date | None]]:
    """Every subject of the partition's rows: its assessment and its next change date;
    ``links``: the links the run was given (none: a run without links)."""
    by_person: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        by_person[link.person].append(link)
    for subject, found in sorted(_group(rows).items()):
        own = by_person.get(subject, [])
        yield _assessment(policies, subject, found, as_of, own), found.next_change
