"""Working days on the official Chinese calendar (``engine.workdays``) and review deadlines
counted in them, in the engine's suspension."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from socialcredit.engine import Record
from socialcredit.engine.timeline import suspension
from socialcredit.engine.workdays import (
    LAST_YEAR,
    deadline,
    is_working_day,
    known_year,
    working_days_after,
)


def test_national_day_holidays_and_make_up_days_are_counted() -> None:
    # 2025: 1 to 8 October off; Sunday 28 September and Saturday 11 October worked
    assert not is_working_day(date(2025, 10, 1))
    assert is_working_day(date(2025, 9, 28))
    assert is_working_day(date(2025, 10, 11))
    assert working_days_after(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert working_days_after(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert working_days_after(date(2025, 9, 30), 3) == date(2025, 10, 11)


def test_calendar_days_are_plain_days() -> None:
    assert deadline(date(2025, 9, 30), 15, working=False) == date(2025, 10, 15)
    assert deadline(date(2025, 9, 30), 15, working=True) == date(2025, 10, 28)


def test_past_the_calendar_data_weekdays_are_working_days() -> None:
    """The package's data ends with LAST_YEAR: after it, Monday to Friday, no holidays."""
    beyond = LAST_YEAR + 1
    assert known_year(LAST_YEAR) and not known_year(beyond)
    new_year = date(beyond, 1, 1)  # a holiday on every official calendar
    assert is_working_day(new_year) == (new_year.weekday() < 5)
    friday = next(
        new_year + timedelta(days=i)
        for i in range(7)
        if (new_year + timedelta(days=i)).weekday() == 4
    )
    assert working_days_after(friday, 1) == friday + timedelta(days=3)


def test_an_objection_deadline_in_working_days_suspends_after_the_holiday() -> None:
    record = Record("r1", "11010519491231002X", "person", "X", date(2025, 9, 1))
    filed = replace(record, disputed_on=date(2025, 9, 30))
    assert suspension(filed, 5, working=False).parts[0].start == date(2025, 10, 5)
    assert suspension(filed, 5, working=True).parts[0].start == date(2025, 10, 14)
    decided = replace(filed, dispute_decided_on=date(2025, 10, 10), dispute_outcome=None)
    assert not suspension(decided, 5, working=True)  # decided in time, after the holiday
    assert suspension(decided, 5, working=False)  # late, had the days been calendar days
