"""Working days on the official Chinese calendar, as data: per year, the public holidays and
the adjusted working weekends (调休). Days of a year nobody has loaded count Monday–Friday,
and a deadline that passes through such a year is marked provisional."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from domain.errors import ValidationFailed

MIN_YEAR = 2000
MAX_YEAR = 2200
MAX_WORKING_DAYS = 750  # about three years; DOMAIN.md: clues are finished within one year at most
SATURDAY = 5
# An official notice gives 16–23 weekday holidays and 5–12 working weekend days (2010–2026);
# outside these bounds a file is more likely a fragment or a mistake than a year's schedule.
FEWEST_HOLIDAYS = 11
MOST_WORKING_WEEKENDS = 15


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule: days off that would otherwise be working days, and
    weekend days that are working days."""

    year: int
    holidays: frozenset[date]
    working_weekends: frozenset[date]

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValidationFailed(
                f"year {self.year} is outside {MIN_YEAR}–{MAX_YEAR}", field="year"
            )
        for name, days in (("holidays", self.holidays), ("workingWeekends", self.working_weekends)):
            strays = sorted(d for d in days if d.year != self.year)
            if strays:
                raise ValidationFailed(
                    f"{name}: {strays[0].isoformat()} is not in {self.year}", field=name
                )
        weekdays = sorted(d for d in self.working_weekends if d.weekday() < SATURDAY)
        if weekdays:
            raise ValidationFailed(
                f"workingWeekends: {weekdays[0].isoformat()} is not a Saturday or Sunday",
                field="workingWeekends",
            )
        both = sorted(self.holidays & self.working_weekends)
        if both:
            raise ValidationFailed(
                f"{both[0].isoformat()} is both a holiday and a working weekend day",
                field="workingWeekends",
            )

    def doubts(self) -> list[str]:
        """Why this does not look like a whole year's official schedule (empty if it does)."""
        found = []
        if len(self.holidays) < FEWEST_HOLIDAYS:
            found.append(
                f"{len(self.holidays)} holidays: an official schedule has {FEWEST_HOLIDAYS} or "
                "more weekday holidays (16–23 in 2010–2026)"
            )
        if len(self.working_weekends) > MOST_WORKING_WEEKENDS:
            found.append(
                f"{len(self.working_weekends)} working weekend days: an official schedule has "
                f"at most {MOST_WORKING_WEEKENDS} (5–12 in 2010–2026)"
            )
        return found

    def is_working_day(self, day: date) -> bool:
        if day in self.working_weekends:
            return True
        return day.weekday() < SATURDAY and day not in self.holidays


@dataclass(frozen=True)
class Deadline:
    """A due date (限期). When it was counted in working days through a year with no loaded
    schedule it is `provisional`: `provisional_from` is the last day counted on a known
    calendar and `provisional_remaining` the working days still to count after it."""

    due_date: date
    provisional: bool = False
    working_days: int | None = None
    provisional_from: date | None = None
    provisional_remaining: int = 0

    def settled(self, calendar: WorkCalendar) -> Deadline:
        """This deadline recounted on `calendar` (unchanged unless it was provisional)."""
        if not self.provisional or self.provisional_from is None:
            return self
        recount = calendar.add_working_days(self.provisional_from, self.provisional_remaining)
        return replace(
            recount,
            working_days=self.working_days,
            provisional_remaining=recount.provisional_remaining,
        )


class WorkCalendar:
    """Which days are working days, from the year schedules it is given."""

    def __init__(self, schedules: Iterable[YearSchedule] = ()) -> None:
        self._years = {s.year: s for s in schedules}

    def knows(self, year: int) -> bool:
        return year in self._years

    @property
    def years(self) -> list[int]:
        return sorted(self._years)

    def is_working_day(self, day: date) -> bool:
        schedule = self._years.get(day.year)
        if schedule is None:
            return day.weekday() < SATURDAY
        return schedule.is_working_day(day)

    def add_working_days(self, start: date, count: int) -> Deadline:
        """The day on which the `count`-th working day strictly after `start` falls. `start`
        itself never counts, whether or not it is a working day."""
        check_working_days(count)
        day, remaining = start, count
        anchor: date | None = None
        left_at_anchor = 0
        while remaining > 0:
            following = day + timedelta(days=1)
            if anchor is None and not self.knows(following.year):
                anchor, left_at_anchor = day, remaining
            if self.is_working_day(following):
                remaining -= 1
            day = following
        return Deadline(
            due_date=day,
            provisional=anchor is not None,
            working_days=count,
            provisional_from=anchor,
            provisional_remaining=left_at_anchor,
        )


def check_working_days(count: int) -> None:
    """Refuses a count of working days no deadline plausibly has, before any date arithmetic
    (a count in the billions would overflow it)."""
    if not 1 <= count <= MAX_WORKING_DAYS:
        raise ValidationFailed(
            f"workingDays must be between 1 and {MAX_WORKING_DAYS}; {count} was given",
            field="workingDays",
        )
