"""Working days on the official calendar, checked against the real 2025 and 2026 schedules
(National Day, Spring Festival and their make-up working weekend days)."""

from datetime import date

import chinese_calendar
import pytest

from domain.calendar.calendar_year import CalendarYear, calendar_year_id
from domain.calendar.work_calendar import Deadline, WorkCalendar, YearSchedule
from domain.errors import RuleViolation, ValidationFailed
from services.calendar import packaged_schedule


def official(*years: int) -> WorkCalendar:
    schedules = [packaged_schedule(y) for y in years]
    assert all(schedules)
    return WorkCalendar(s for s in schedules if s is not None)


def test_the_packaged_2025_national_day_schedule_is_the_official_one() -> None:
    schedule = packaged_schedule(2025)
    assert schedule is not None
    assert {date(2025, 10, d) for d in range(1, 9) if date(2025, 10, d).weekday() < 5} <= (
        schedule.holidays
    )
    assert {date(2025, 9, 28), date(2025, 10, 11)} <= schedule.working_weekends


def test_one_working_day_after_the_eve_of_national_day_2025_is_october_ninth() -> None:
    assert official(2025).add_working_days(date(2025, 9, 30), 1).due_date == date(2025, 10, 9)


def test_counting_from_a_holiday_starts_strictly_after_it_unlike_find_workday() -> None:
    ours = official(2025).add_working_days(date(2025, 10, 1), 1).due_date
    assert ours == date(2025, 10, 9)
    # The package counts from the holiday itself and lands a day later; we must not.
    assert chinese_calendar.find_workday(1, date(2025, 10, 1)) == date(2025, 10, 10)


def test_make_up_working_weekend_days_count_around_national_day_2025() -> None:
    calendar = official(2025)
    assert calendar.add_working_days(date(2025, 9, 27), 1).due_date == date(2025, 9, 28)  # Sun
    assert calendar.add_working_days(date(2025, 10, 9), 2).due_date == date(2025, 10, 11)  # Sat


def test_spring_festival_2026_is_skipped_and_its_make_up_saturdays_count() -> None:
    calendar = official(2026)
    assert calendar.add_working_days(date(2026, 2, 13), 1).due_date == date(2026, 2, 14)  # Sat
    assert calendar.add_working_days(date(2026, 2, 14), 1).due_date == date(2026, 2, 24)
    assert calendar.add_working_days(date(2026, 2, 26), 2).due_date == date(2026, 2, 28)  # Sat


def test_national_day_2026_with_its_make_up_sunday_and_saturday() -> None:
    calendar = official(2026)
    assert calendar.add_working_days(date(2026, 9, 19), 1).due_date == date(2026, 9, 20)  # Sun
    assert calendar.add_working_days(date(2026, 9, 30), 1).due_date == date(2026, 10, 8)
    assert calendar.add_working_days(date(2026, 10, 9), 1).due_date == date(2026, 10, 10)  # Sat


def test_ten_working_days_across_national_day_2026() -> None:
    deadline = official(2026).add_working_days(date(2026, 9, 28), 10)
    # 29, 30 Sep; 8, 9, 10 (Sat), 12, 13, 14, 15, 16 Oct
    assert deadline == Deadline(due_date=date(2026, 10, 16), working_days=10)


def test_a_deadline_reaching_an_unloaded_year_counts_monday_to_friday_and_is_provisional() -> None:
    deadline = official(2026).add_working_days(date(2026, 12, 28), 5)
    # 29, 30, 31 Dec on the official calendar, then 1 Jan (a Friday) and 4 Jan, Monday–Friday
    assert deadline.due_date == date(2027, 1, 4)
    assert deadline.provisional
    assert deadline.provisional_from == date(2026, 12, 31)
    assert deadline.provisional_remaining == 2


def test_a_provisional_deadline_is_recounted_once_its_year_is_loaded() -> None:
    provisional = official(2026).add_working_days(date(2026, 12, 28), 5)
    year_2027 = YearSchedule(2027, frozenset({date(2027, 1, 1)}), frozenset())
    settled = provisional.settled(WorkCalendar([year_2027]))
    assert settled == Deadline(due_date=date(2027, 1, 5), working_days=5)


def test_a_deadline_on_known_years_is_never_provisional() -> None:
    deadline = official(2025, 2026).add_working_days(date(2025, 12, 20), 30)
    assert not deadline.provisional
    assert deadline.settled(WorkCalendar()) is deadline


@pytest.mark.parametrize("count", [0, -3, 10_000])
def test_the_number_of_working_days_is_bounded(count: int) -> None:
    with pytest.raises(ValidationFailed):
        WorkCalendar().add_working_days(date(2026, 1, 5), count)


def test_a_schedule_refuses_a_working_weekend_on_a_weekday_and_days_of_another_year() -> None:
    with pytest.raises(ValidationFailed, match="Saturday or Sunday"):
        YearSchedule(2027, frozenset(), frozenset({date(2027, 1, 5)}))
    with pytest.raises(ValidationFailed, match="not in 2027"):
        YearSchedule(2027, frozenset({date(2026, 10, 1)}), frozenset())


def test_a_calendar_year_is_one_stream_per_year_and_revisions_are_new_events() -> None:
    schedule = YearSchedule(2027, frozenset({date(2027, 1, 1)}), frozenset())
    year = CalendarYear.load(schedule, source="国务院办公厅通知")
    assert year.id == calendar_year_id(2027)
    with pytest.raises(RuleViolation) as refused:
        year.revise(schedule, source="again")
    assert refused.value.rule == "CALENDAR_YEAR_UNCHANGED"
    revised = YearSchedule(2027, frozenset({date(2027, 1, 1)}), frozenset({date(2027, 2, 6)}))
    year.revise(revised, source="更正通知")
    assert year.schedule() == revised
    assert [type(e).__name__ for e in year.collect_events()] == ["Loaded", "Revised"]
