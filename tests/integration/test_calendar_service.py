"""Where the services take working days from: the packaged calendar up to 2026, a loaded
`CalendarYear` over it, Monday–Friday (provisional) beyond both."""

from datetime import date

from domain.calendar.work_calendar import YearSchedule
from services.authorization import CONSOLE
from services.runtime import Runtime


def test_years_up_to_2026_come_from_the_package(runtime: Runtime) -> None:
    deadline = runtime.calendar.working_days_after(date(2026, 2, 13), 1)
    assert (deadline.due_date, deadline.provisional) == (date(2026, 2, 14), False)


def test_beyond_the_package_a_deadline_is_provisional(runtime: Runtime) -> None:
    deadline = runtime.calendar.working_days_after(date(2027, 9, 30), 1)
    assert (deadline.due_date, deadline.provisional) == (date(2027, 10, 1), True)


def test_a_loaded_year_is_used_and_a_reload_revises_it(runtime: Runtime) -> None:
    national_day = frozenset(date(2027, 10, d) for d in range(1, 8))
    runtime.calendar.load_year(
        YearSchedule(2027, national_day, frozenset()), source="通知", acting=CONSOLE
    )
    assert runtime.calendar.working_days_after(date(2027, 9, 30), 1).due_date == date(2027, 10, 8)

    make_up = frozenset({date(2027, 9, 26)})
    written = runtime.calendar.load_year(
        YearSchedule(2027, national_day, make_up), source="更正", acting=CONSOLE
    )

    assert runtime.calendar.working_days_after(date(2027, 9, 25), 1).due_date == date(2027, 9, 26)
    loaded = runtime.calendar.loaded_year(2027)
    assert loaded is not None
    assert (loaded.id, loaded.version, loaded.source) == (written.id, 2, "更正")
