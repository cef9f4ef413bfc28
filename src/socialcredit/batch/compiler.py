"""``compile_plan(policies, as_of, dialect) -> Plan``: the policy as a named pipeline of SQL.

The steps, in order (each reads only earlier ones and the constant tables):

    validated          every input row with its canonical subject, kind and every reason
    records            the valid rows as known on the day (later facts masked)
    timeline           per record: effective from, term end, stops on, suspension, status
    parts              the counting set of each record (one or two parts)
    subjects           the subjects with at least one valid record
    card_records       decision date, amount and resolution of records, for scorecards
    card_segments      per subject and scorecard: the score on every segment of time
    card_values        per subject, scorecard and characteristic: its value on the day
    card_ticks         the next date a months value shown with a scorecard may change
    contributions      points of the records counting on the day
    scores             per subject and applicable model: value and grade on the day
    guarded_scores     the scores without the records protected by principle 13 (minors),
                       for the subjects that have such records
    point_segments     the score over time, for point models used by list conditions
    score_segments     those and the scorecards' segments
    windows            per record and list: its membership window
    condition_segments segments of time on which a list's score condition holds
    list_base          per subject and list: merged windows and condition segments
    list_days_<n>      level n of excluded_by applied (red lists minus black lists...)
    memberships        the runs containing the day
    next_change        the first later date on which the assessment may change
    membership_records records whose window overlaps the run
    conditions_now     score conditions of memoranda holding on the day
    reasons            active measures per service
    decisions          effect per service (allow is implicit)
    remedies           lists behind a deny or restrict

With links (``--links``) the plan also has, after ``membership_records``: ``link_lines`` (the
persons' links as known on the day), ``link_reaches`` (listed organisations reaching them) and
``next_changes`` (the next change with the links' dates), and ``reasons`` includes the measures
reaching persons (``linksql``). The organisations' memberships (``org_lists``), their records
(``org_list_records``) and next changes (``org_next``) come, in Spark, from steps over the
whole population (and ``link_orphans``, the
linked persons without a record, from a step before ``subjects``); with DuckDB, from a first
pass over every partition (``Plan.first_pass``: validation, then the steps up to
``membership_records`` for the organisations of links only), since an organisation and its
linked persons may be in different partitions.

Steps read only once (``records``, ``card_records``, ``card_values``, ``card_ticks``,
``point_segments``, ``condition_segments``, ``membership_records``, ``conditions_now``,
``remedies``) are marked not to be materialised: DuckDB keeps them as views.
"""

from __future__ import annotations

from datetime import date

from socialcredit.batch import (
    cardsql,
    changesql,
    decisionsql,
    linksql,
    listsql,
    scoresql,
    timelinesql,
    validatesql,
)
from socialcredit.batch.constants import constant_tables
from socialcredit.batch.dialect import SPARK, Dialect, date_literal, open_to_null
from socialcredit.batch.linkconstants import link_tables
from socialcredit.batch.plan import Output, Plan, Step
from socialcredit.policy import PolicySet


def _list_steps(max_depth: int, as_of: str) -> list[Step]:
    steps = [Step("list_days_0", listsql.list_level0_sql(), "lists excluded by nothing")]
    for level in range(1, max_depth + 1):
        sql = listsql.list_level_sql(level)
        steps.append(Step(f"list_days_{level}", sql, f"lists of exclusion level {level}"))
    days = listsql.list_days_sql(max_depth)
    steps.append(Step("memberships", listsql.memberships_sql(days, as_of), "runs on the day"))
    # a scorecard's segments bound the assessment like list runs do (only subject, s, e are read)
    bounds = (
        f"{days}\nUNION ALL SELECT subject, model, s, e FROM card_segments"
        "\nUNION ALL SELECT subject, model, d, d FROM card_ticks"
    )
    steps.append(Step("next_change", changesql.next_change_sql(bounds, as_of), "next change"))
    return steps


_SEGMENTS = "\nUNION ALL ".join(
    # ``concat(grade, '')``: a new column, not the checkpointed one; Spark (4.0) fails to plan
    # a union of its checkpointed steps' columns as they are ("key not found")
    f"SELECT subject, model, s, e, value, concat(grade, '') AS grade FROM {step}"
    for step in ("point_segments", "card_segments")
)


def _with(sql: str, cards: str) -> str:
    """A step's rows followed by the scorecards' rows of the same columns (the step's own
    CTEs stay at the top: Spark does not resolve them inside a subquery of a union)."""
    return f"{sql}\nUNION ALL {cards}"


def _steps(max_depth: int, dialect: Dialect, as_of: str, links: bool = False) -> list[Step]:
    """Every step up to ``membership_records`` (the list memberships and their records)."""
    return [
        Step("validated", validatesql.validated_sql(dialect), "rows with reasons"),
        Step("records", timelinesql.records_sql(dialect, as_of), "records known on the day", False),
        Step("timeline", timelinesql.timeline_sql(dialect, as_of), "record timelines"),
        Step("parts", timelinesql.parts_sql(), "counting parts"),
        Step("subjects", timelinesql.subjects_sql(links), "subjects"),
        Step("card_records", cardsql.card_records_sql(as_of), "for scorecards", False),
        Step("card_segments", cardsql.card_segments_sql(dialect), "scorecards over time"),
        Step("card_values", cardsql.card_values_sql(dialect, as_of), "characteristics", False),
        Step("card_ticks", cardsql.card_ticks_sql(dialect, as_of), "months values", False),
        Step("contributions", scoresql.contributions_sql(as_of), "points on the day"),
        Step("scores", _with(scoresql.scores_sql(), cardsql.card_scores_sql(as_of)), "scores"),
        Step("guarded_scores", scoresql.guarded_scores_sql(), "scores without minors' records"),
        Step("point_segments", scoresql.score_segments_sql(), "point scores over time", False),
        Step("score_segments", _SEGMENTS, "scores over time"),
        Step("windows", listsql.windows_sql(dialect), "record windows on lists"),
        Step("condition_segments", listsql.condition_segments_sql(), "conditions", False),
        Step("list_base", listsql.list_base_sql(), "merged list days"),
        *_list_steps(max_depth, as_of),
        Step("membership_records", listsql.membership_records_sql(), "records of runs", False),
    ]


def _decision_steps(links: bool) -> list[Step]:
    return [
        Step("conditions_now", decisionsql.conditions_now_sql(), "conditions on the day", False),
        Step("reasons", decisionsql.reasons_sql(links), "active measures"),
        Step("decisions", decisionsql.decisions_sql(), "effects"),
        Step("remedies", decisionsql.remedies_sql(), "lists behind restrictions", False),
    ]


def _link_steps(dialect: Dialect, as_of: str) -> list[Step]:
    return [
        Step("link_lines", linksql.link_lines_sql(dialect, as_of), "links known on the day"),
        Step("link_reaches", linksql.link_reaches_sql(dialect, as_of), "organisations reaching"),
        Step("next_changes", linksql.next_changes_sql(dialect, as_of), "with the links' dates"),
    ]


def _single_pass(max_depth: int, dialect: Dialect, as_of: str) -> list[Step]:
    """Spark, with links: the organisations' memberships are steps over the population."""
    orphans = Step("link_orphans", linksql.link_orphans_sql(), "linked persons, no record")
    own = _steps(max_depth, dialect, as_of, links=True)
    return [
        own[0],
        orphans,
        *own[1:],
        Step("org_lists", linksql.org_lists_sql(), "organisations' memberships"),
        Step("org_list_records", linksql.org_list_records_sql(), "their records"),
        Step("org_next", linksql.org_next_sql(), "organisations' next changes"),
        *_link_steps(dialect, as_of),
        *_decision_steps(links=True),
    ]


def _first_pass(max_depth: int, dialect: Dialect, as_of: str) -> list[Step]:
    """DuckDB, with links: the steps of the organisations of links, over every partition."""
    own = _steps(max_depth, dialect, as_of)
    wanted = (
        "SELECT * FROM validated_all WHERE reasons = '' "
        "AND c_subject IN (SELECT organisation FROM links)"
    )
    return [
        Step("validated_all", own[0].sql, "rows with reasons"),
        Step("validated", wanted, "rows of the organisations of links"),
        *own[1:],
    ]


FIRST_OUTPUTS = (
    Output("org_lists", linksql.org_lists_sql()),
    Output("org_list_records", linksql.org_list_records_sql()),
    Output("org_next", linksql.org_next_sql()),
    Output(
        "link_seen",
        "SELECT DISTINCT c_subject AS subject FROM validated_all "
        "WHERE reasons = '' AND c_subject IN (SELECT person FROM links)",
    ),
)
"""What the first pass appends, partition by partition: the organisations' memberships and
next changes, and the linked persons who have a record (assessed in their own partition)."""


def _subjects(next_change: str) -> Output:
    return Output(
        "subjects",
        "SELECT s.subject, s.kind, s.records, n.next_change "
        f"FROM subjects s LEFT JOIN {next_change} n ON n.subject = s.subject",
    )


OUTPUTS = (
    _subjects("next_change"),
    Output(
        "records",
        "SELECT subject, record, item, status, "
        f"{open_to_null('start')} AS effective_from, "
        f"{open_to_null('stops_on')} AS counts_until, decided_on, minor FROM timeline",
    ),
    Output("scores", "SELECT subject, kind, model, value, grade FROM scores"),
    Output("contributions", "SELECT subject, model, record, item, points FROM contributions"),
    Output(
        "characteristics",
        "SELECT subject, model, char_id AS characteristic, value FROM card_values",
    ),
    Output(
        "lists",
        "SELECT subject, list_id AS list, list_kind AS kind, "
        f"{open_to_null('since')} AS since, {open_to_null('until')} AS until FROM memberships",
    ),
    Output("list_records", "SELECT subject, list_id AS list, record FROM membership_records"),
    Output("decisions", "SELECT subject, service, effect, reasons FROM decisions"),
    Output(
        "reasons",
        "SELECT subject, service, memorandum, measure, effect, list_id AS list, score_model, "
        "value, grade, organisation, link FROM reasons",
    ),
    Output(
        "remedies",
        "SELECT subject, service, list_id AS list, organisation, link FROM remedies",
    ),
)
"""The tables written per partition, in the long form analysts join."""

LINK_OUTPUTS = (
    _subjects("next_changes"),
    *OUTPUTS[1:],
    Output(
        "links",
        "SELECT subject, link, organisation, role, status, valid_from, "
        f"{open_to_null('ends_on')} AS ends_on FROM link_lines",
    ),
    Output(
        "link_reaches",
        "SELECT subject, link, organisation, list_id AS list, list_kind AS kind, "
        f"{open_to_null('since')} AS since, {open_to_null('until')} AS until, "
        f"{open_to_null('listed_since')} AS listed_since, "
        f"{open_to_null('listed_until')} AS listed_until FROM link_reaches",
    ),
    Output(
        "link_records",
        "SELECT l.subject, l.link, l.list_id AS list, r.record FROM link_reaches l "
        "JOIN org_list_records r ON r.organisation = l.organisation AND r.list_id = l.list_id",
    ),
)
"""With links: the subjects' next changes include the links' dates, and two more tables."""


def compile_plan(policies: PolicySet, as_of: date, dialect: Dialect, links: bool = False) -> Plan:
    """The plan that assesses every subject of the input on ``as_of`` under ``policies``;
    with ``links``, also the persons reached through links (and the linked persons)."""
    constants = {**constant_tables(policies), **link_tables(policies)}
    # The exclusion levels were computed for ``c_lists``: its ``depth`` column, not again.
    max_depth = max(constants["c_lists"].column("depth").to_pylist(), default=0)
    day = date_literal(as_of)
    quarantine = validatesql.quarantine_sql()
    if not links:
        steps = [*_steps(max_depth, dialect, day), *_decision_steps(links=False)]
        return Plan(constants, tuple(steps), OUTPUTS, quarantine)
    if dialect == SPARK:
        steps = _single_pass(max_depth, dialect, day)
        return Plan(constants, tuple(steps), LINK_OUTPUTS, quarantine, links=True)
    steps = [
        *_steps(max_depth, dialect, day, links=True),
        *_link_steps(dialect, day),
        *_decision_steps(links=True),
    ]
    first = tuple(_first_pass(max_depth, dialect, day))
    return Plan(constants, tuple(steps), LINK_OUTPUTS, quarantine, True, first, FIRST_OUTPUTS)
