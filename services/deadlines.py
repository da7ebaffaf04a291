"""Deadlines that warn (超期预警): the open clues and rectification tasks of an office due
within a number of working days on the official calendar, or overdue, each with the working
days left (negative: overdue by so many)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from psycopg import Connection

from domain.calendar.work_calendar import WorkCalendar
from domain.deadlines import WarningLevel
from domain.errors import ValidationFailed
from projections import deadlines_read
from projections.deadlines_read import DueRow
from services.calendar import CalendarService

MAX_WITHIN_WORKING_DAYS = 60  # a warning horizon longer than three months warns of nothing


@dataclass(frozen=True)
class DueItem:
    """A due row (projections/deadlines_read.py) judged on a day."""

    kind: str
    item_id: UUID
    tenant_id: UUID
    title: str
    due_on: date
    step: str
    restricted: bool
    due_provisional: bool
    working_days_left: int  # working days after the day judged on up to the due date
    level: WarningLevel


class WorkingDayCount:
    """How many working days lie after one day up to another, for any two days between
    `first` and `last`: counted once for the whole span (a check judges thousands of items)."""

    def __init__(self, calendar: WorkCalendar, first: date, last: date) -> None:
        self.first = first
        self.counted: list[int] = [0]  # working days in (first, first + n]
        for n in range(1, (last - first).days + 1):
            working = calendar.is_working_day(first + timedelta(days=n))
            self.counted.append(self.counted[-1] + working)

    def left(self, today: date, due_on: date) -> int:
        """Working days after `today` up to and including `due_on` (0 when due today); when
        `due_on` has passed, minus the working days after it up to and including `today`."""
        return self._upto(due_on) - self._upto(today)

    def _upto(self, day: date) -> int:
        return self.counted[(day - self.first).days]


def working_days_between(calendar: WorkCalendar, today: date, due_on: date) -> int:
    return WorkingDayCount(calendar, min(today, due_on), max(today, due_on)).left(today, due_on)


def check_within(within_working_days: int) -> None:
    if not 0 <= within_working_days <= MAX_WITHIN_WORKING_DAYS:
        raise ValidationFailed(
            f"withinWorkingDays must be between 0 and {MAX_WITHIN_WORKING_DAYS}; "
            f"{within_working_days} was given",
            field="withinWorkingDays",
        )


def due_within(
    conn: Connection[Any],
    calendar: CalendarService,
    *,
    offices: Collection[UUID] | None,
    today: date,
    within_working_days: int,
) -> list[DueItem]:
    """The open items of `offices` (None: all the connection reads) due within
    `within_working_days` working days after `today`, or overdue, earliest first."""
    check_within(within_working_days)
    by = today
    if within_working_days:
        by = calendar.working_days_after(today, within_working_days).due_date
    rows = deadlines_read.due_by(conn, by=by, offices=offices)
    if not rows:
        return []
    first, last = min(min(row.due_on for row in rows), today), max(by, today)
    known = calendar.calendar(range(first.year, last.year + 1))
    count = WorkingDayCount(known, first, last)
    return [_judged(row, count, today) for row in rows]


def _judged(row: DueRow, count: WorkingDayCount, today: date) -> DueItem:
    overdue = row.due_on < today
    level = WarningLevel.OVERDUE if overdue else WarningLevel.DUE_SOON
    left = count.left(today, row.due_on)
    return DueItem(**vars(row), working_days_left=left, level=level)
