"""`CalendarYear` — one year's official schedule of holidays and working weekends, loaded by an
administrator from the State Council's notice (国务院办公厅节假日安排). One stream per year."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.calendar.work_calendar import YearSchedule
from domain.errors import RuleViolation
from domain.text import required_text

CALENDAR_NAMESPACE = uuid5(NAMESPACE_URL, "https://xuncha.invalid/calendar-year")
# The calendar is national: its events belong to no office, so they carry this tenant id.
NATIONAL_TENANT_ID = uuid5(NAMESPACE_URL, "https://xuncha.invalid/tenant/national")


def calendar_year_id(year: int) -> UUID:
    """A year's id follows from the year: each year has one schedule stream."""
    return uuid5(CALENDAR_NAMESPACE, f"calendar-year:{year}")


class CalendarYear(AuditedAggregate):
    @staticmethod
    def create_id(year: int) -> UUID:
        return calendar_year_id(year)

    @classmethod
    def load(cls, schedule: YearSchedule, *, source: str) -> CalendarYear:
        """Record `schedule` as the official schedule of its year."""
        return cls(
            tenant_id=NATIONAL_TENANT_ID,
            year=schedule.year,
            holidays=sorted(schedule.holidays),
            working_weekends=sorted(schedule.working_weekends),
            source=required_text(source, "source", max_length=500),
        )

    class Loaded(AuditedAggregate.Created):
        """v1 (the only version): the year, its days off and working weekends, and where the
        schedule comes from."""

        class_version = 1
        year: int
        holidays: list[date]
        working_weekends: list[date]
        source: str

    @event(Loaded)
    def __init__(
        self,
        tenant_id: UUID,
        year: int,
        holidays: list[date],
        working_weekends: list[date],
        source: str,
    ) -> None:
        self.tenant_id = tenant_id
        self.year = year
        self.holidays = list(holidays)
        self.working_weekends = list(working_weekends)
        self.source = source

    def revise(self, schedule: YearSchedule, *, source: str) -> None:
        """Replace this year's schedule (a corrected or re-issued notice); history keeps both."""
        if schedule.year != self.year:
            raise RuleViolation(
                "CALENDAR_YEAR_MISMATCH",
                f"A schedule for {schedule.year} cannot revise the calendar of {self.year}",
            )
        if schedule == self.schedule():
            raise RuleViolation(
                "CALENDAR_YEAR_UNCHANGED", f"The calendar of {self.year} already has this schedule"
            )
        self._revise(
            year=self.year,
            holidays=sorted(schedule.holidays),
            working_weekends=sorted(schedule.working_weekends),
            source=required_text(source, "source", max_length=500),
        )

    class Revised(AuditedAggregate.Event):
        """v1 (the only version): the year's new days off and working weekends."""

        class_version = 1
        year: int
        holidays: list[date]
        working_weekends: list[date]
        source: str

    @event(Revised)
    def _revise(
        self, year: int, holidays: list[date], working_weekends: list[date], source: str
    ) -> None:
        self.holidays = list(holidays)
        self.working_weekends = list(working_weekends)
        self.source = source

    def schedule(self) -> YearSchedule:
        return YearSchedule(
            year=self.year,
            holidays=frozenset(self.holidays),
            working_weekends=frozenset(self.working_weekends),
        )


def schedule_of(event: Any) -> YearSchedule:
    """The schedule a `Loaded` or `Revised` event records, for readers of the log."""
    return YearSchedule(
        year=event.year,
        holidays=frozenset(event.holidays),
        working_weekends=frozenset(event.working_weekends),
    )
