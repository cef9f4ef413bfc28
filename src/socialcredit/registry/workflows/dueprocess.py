"""Due-process deadlines over time: after the registry date moves, tell subjects whose objection
or repair application passed its deadline undecided (the engine has already suspended the
records of a late objection or application), and escalate the cases near their deadline to
their authority (``workflows.escalation``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from socialcredit.registry.audit import Actor
from socialcredit.registry.context import Registry
from socialcredit.registry.workflows.escalation import ESCALATE_DAYS, escalate_near_deadline
from socialcredit.registry.workflows.objections import notify_overdue_objections
from socialcredit.registry.workflows.repair import notify_overdue_repairs
from socialcredit.registry.writes.tick import TickReport, tick


@dataclass(frozen=True)
class SweepReport:
    objections: int
    repairs: int
    escalated: int = 0


def sweep_overdue(reg: Registry, actor: Actor, escalate_days: int = ESCALATE_DAYS) -> SweepReport:
    """Queue one notice per objection and application newly past its deadline, and escalate
    the cases due within ``escalate_days`` working days."""
    with reg.session() as session, session.begin():
        today = reg.state(session).as_of
        late_objections = notify_overdue_objections(session, today, actor)
        late_repairs = notify_overdue_repairs(session, today, actor)
        escalated = escalate_near_deadline(session, today, actor, escalate_days)
    return SweepReport(late_objections, late_repairs, escalated)


def advance(
    reg: Registry, day: date, actor: Actor, escalate_days: int = ESCALATE_DAYS
) -> tuple[TickReport, SweepReport]:
    """The tick to ``day`` followed by the sweep of overdue and near-deadline cases."""
    report = tick(reg, day, actor)
    return report, sweep_overdue(reg, actor, escalate_days)
