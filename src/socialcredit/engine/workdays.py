"""Working days on the official Chinese calendar: public holidays and make-up working days.

Chinese procedure counts many deadlines in working days (工作日). The calendar is the
``chinese-calendar`` package's data (the State Council's annual holiday notices), which covers
the years :data:`FIRST_YEAR` to :data:`LAST_YEAR`. Outside them the calendar is not known yet:
a day is then a working day when it is Monday to Friday (no holiday, no make-up day), so a
deadline is always defined; a newer release of the package extends the known years.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

FIRST_YEAR = 2004
LAST_YEAR: int = max(chinese_calendar.holidays).year
_SATURDAY = 5


def known_year(year: int) -> bool:
    """Whether the official calendar of ``year`` is in the data."""
    return FIRST_YEAR <= year <= LAST_YEAR


@lru_cache(maxsize=65536)
def is_working_day(day: date) -> bool:
    """A working day: on the official calendar when its year is known, else Monday to Friday."""
    if known_year(day.year):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < _SATURDAY


def working_days_after(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
    day, left = start, count
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def deadline(start: date, days: int, working: bool) -> date:
    """``days`` after ``start``: working days when ``working``, else calendar days."""
    return working_days_after(start, days) if working else start + timedelta(days=days)
