"""Due-process deadlines over time: after the registry date moves, tell subjects whose objection
or repair application passed its deadline undecided (the engine has already suspended a record
whose objection is late)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from socialcredit.registry.audit import Actor
from socialcredit.registry.context import Registry
from socialcredit.registry.workflows.objections import notify_overdue_objections
from socialcredit.registry.workflows.repair import notify_overdue_repairs
from socialcredit.registry.writes.tick import TickReport, tick


@dataclass(frozen=True)
class SweepReport:
    objections: int
    repairs: int


def sweep_overdue(reg: Registry, actor: Actor) -> SweepReport:
    """Queue one notice per objection and application newly past its deadline."""
    with reg.session() as session, session.begin():
        today = reg.state(session).as_of
        late_objections = notify_overdue_objections(session, today, actor)
        late_repairs = notify_overdue_repairs(session, today, actor)
    return SweepReport(late_objections, late_repairs)


def advance(reg: Registry, day: date, actor: Actor) -> tuple[TickReport, SweepReport]:
    """The tick to ``day`` followed by the sweep of overdue objections and applications."""
    report = tick(reg, day, actor)
    return report, sweep_overdue(reg, actor)
