"""The working calendar as the services use it: years up to 2026 come from the maintained
`chinesecalendar` package; any year an administrator loaded (a `CalendarYear` stream) takes
precedence; years in neither count Monday–Friday and make deadlines provisional."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, timedelta

import chinese_calendar

from domain.calendar.calendar_year import CalendarYear, calendar_year_id
from domain.calendar.work_calendar import (
    MAX_WORKING_DAYS,
    Deadline,
    WorkCalendar,
    YearSchedule,
    check_working_days,
)
from infrastructure.store import EventStore
from services.authorization import Acting, require_deployment_admin
from services.results import Written

PACKAGE_SOURCE = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()


@functools.cache
def packaged_schedule(year: int) -> YearSchedule | None:
    """The year as `chinesecalendar` knows it, or None beyond its data. Only the package's
    per-day facts are used (not its `find_workday`, which counts from a holiday start day)."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    holidays: set[date] = set()
    working_weekends: set[date] = set()
    day = date(year, 1, 1)
    while day.year == year:
        working = chinese_calendar.is_workday(day)
        if day.weekday() >= 5 and working:
            working_weekends.add(day)
        elif day.weekday() < 5 and not working:
            holidays.add(day)
        day += timedelta(days=1)
    return YearSchedule(year, frozenset(holidays), frozenset(working_weekends))


class CalendarService:
    def __init__(self, store: EventStore) -> None:
        self.store = store

    def loaded_year(self, year: int) -> CalendarYear | None:
        if not self.store.exists(calendar_year_id(year)):
            return None
        return self.store.load(CalendarYear, calendar_year_id(year), what="calendar year")

    def schedule(self, year: int) -> YearSchedule | None:
        loaded = self.loaded_year(year)
        return loaded.schedule() if loaded is not None else packaged_schedule(year)

    def calendar(self, years: Iterable[int]) -> WorkCalendar:
        """A calendar knowing every one of `years` that has a schedule."""
        return WorkCalendar(s for s in (self.schedule(y) for y in years) if s is not None)

    def calendar_for(self, start: date, working_days: int = MAX_WORKING_DAYS) -> WorkCalendar:
        """A calendar covering every year `working_days` working days after `start` can reach."""
        last = start + timedelta(days=working_days * 2 + 60)
        return self.calendar(range(start.year, last.year + 1))

    def working_days_after(self, start: date, working_days: int) -> Deadline:
        """The deadline `working_days` working days strictly after `start`."""
        check_working_days(working_days)
        return self.calendar_for(start, working_days).add_working_days(start, working_days)

    def load_year(self, schedule: YearSchedule, *, source: str, acting: Acting) -> Written:
        """Record `schedule` as its year's official schedule, or revise the one loaded. The
        calendar serves every office, so only the deployment's ADMIN (or the console) loads it."""
        require_deployment_admin(acting, "load the working calendar")
        loaded = self.loaded_year(schedule.year)
        if loaded is None:
            year = CalendarYear.load(schedule, source=source)
        else:
            loaded.revise(schedule, source=source)
            year = loaded
        return Written(year.id, self.store.record(year))
