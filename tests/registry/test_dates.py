"""Dates a registry refuses: a decision after its date (2100 would count for decades), a
date outside the window term arithmetic can reach, a tick that jumps too far to undo."""

from __future__ import annotations

from datetime import date

import pytest

from socialcredit.errors import RecordError, RegistryError
from socialcredit.registry import Registry
from socialcredit.registry.writes.submit import Submission, submit_lines, submit_record
from socialcredit.registry.writes.tick import tick
from tests.registry.conftest import OPERATOR, START
from tests.registry.helpers import COURT, spc

SUB = Submission(COURT, OPERATOR)


def test_decisions_after_the_registry_date_are_refused(registry: Registry) -> None:
    lines = [
        (1, spc("ok", decided=START)),
        (2, spc("tomorrow", decided=date(2025, 1, 2))),
        (3, spc("far", decided=date(2100, 1, 1))),
        (4, spc("overflow", decided=date(9999, 12, 30))),
    ]
    report = submit_lines(registry, lines, SUB)
    assert [o.status for o in report.outcomes] == ["registered", "refused", "refused", "refused"]
    assert "after the registry's date 2025-01-01" in report.outcomes[1].reasons[0]
    assert "outside 1900-01-01 to 2199-12-31" in "; ".join(report.outcomes[3].reasons)
    tick(registry, date(2025, 1, 2), OPERATOR)
    assert submit_record(registry, spc("tomorrow", decided=date(2025, 1, 2)), SUB) == "registered"
    with pytest.raises(RecordError, match="after the registry's date"):
        submit_record(registry, spc("far", decided=date(2100, 1, 1)), SUB)


def test_a_tick_cannot_jump_past_five_years_or_the_window(registry: Registry) -> None:
    for day in (date(9999, 12, 31), date(2031, 1, 1)):
        with pytest.raises(RegistryError, match="moves at most five years"):
            tick(registry, day, OPERATOR)
    tick(registry, date(2029, 12, 31), OPERATOR)
    with registry.session() as session:
        assert registry.state(session).as_of == date(2029, 12, 31)
