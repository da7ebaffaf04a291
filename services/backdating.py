"""Backdating as auditors look for it: events whose document date (occurredOn) lies more than
N working days before the day the database recorded them (recordedAt, its China day).

The lag is counted in working days on the official calendar: the working days after
occurredOn up to and including the day of recording. Entering a transfer letter dated 30
September on 8 October 2026 is a lag of 1 (the National Day holiday and its weekend count
none), so a report with the default N = 5 leaves it out, and one with N = 0 lists it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from psycopg import sql

from domain.audited import AuditedAggregate
from domain.calendar.work_calendar import WorkCalendar
from domain.clues.clue import Clue
from domain.dates import CHINA, china_day
from domain.errors import ValidationFailed
from domain.rectification.feedback import Feedback
from domain.rectification.task import Task
from domain.rounds.round import Round
from infrastructure.recorded_at import table_of
from infrastructure.store import EventStore
from services.audit import stored_record
from services.authorization import Scope
from services.calendar import CalendarService
from services.history import occurred_on

DEFAULT_WORKING_DAYS = 5
MAX_LISTED = 1000


def dated_event_classes() -> list[type[AuditedAggregate.Event]]:
    """The events of field steps: those whose class names the field holding their date."""
    return [
        value
        for aggregate in (Clue, Round, Feedback, Task)
        for value in vars(aggregate).values()
        if isinstance(value, type)
        and issubclass(value, AuditedAggregate.Event)
        and value.document_date
    ]


@dataclass(frozen=True)
class BackdatedEvent:
    stream_id: UUID
    aggregate: str  # Clue, Round, Feedback, Task
    version: int
    topic: str
    event: str  # e.g. Clue.Transferred
    occurred_on: date
    recorded_at: datetime
    working_days_late: int
    actor: str
    tenant_id: UUID


def working_days_between(calendar: WorkCalendar, earlier: date, later: date) -> int:
    """The working days after `earlier` up to and including `later`."""
    count, day = 0, earlier
    while day < later:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


class Backdating:
    def __init__(self, store: EventStore, calendar: CalendarService) -> None:
        self.store = store
        self.calendar = calendar

    def report(
        self,
        scope: Scope,
        *,
        working_days: int = DEFAULT_WORKING_DAYS,
        recorded_since: date | None = None,
        first: int = 100,
    ) -> list[BackdatedEvent]:
        """The events in `scope` recorded more than `working_days` working days after the
        date on their document, in recording order, at most `first`."""
        if not 0 <= working_days <= 750:
            raise ValidationFailed("workingDays must be between 0 and 750", field="workingDays")
        if not 1 <= first <= MAX_LISTED:
            raise ValidationFailed(f"first must be between 1 and {MAX_LISTED}", field="first")
        found: list[BackdatedEvent] = []
        years: dict[tuple[int, int], WorkCalendar] = {}
        for row in self._rows(recorded_since):
            listed = self._backdated(row, scope, working_days, years)
            if listed is not None:
                found.append(listed)
                if len(found) == first:
                    break
        return found

    def _rows(self, since: date | None) -> list[Any]:
        schema, table = table_of(self.store)
        topics = [get_topic(c) for c in dated_event_classes()]
        query = sql.SQL(
            "SELECT originator_id, originator_version, topic, state, recorded_at FROM {} "
            "WHERE topic = ANY(%s) AND recorded_at >= %s ORDER BY notification_id"
        ).format(sql.Identifier(schema, table))
        start = datetime.combine(since or date(1970, 1, 1), time.min, tzinfo=CHINA)
        recorder: Any = self.store.recorder
        with recorder.datastore.get_connection() as conn, conn.cursor() as cur:
            return cur.execute(query, (topics, start)).fetchall()

    def _backdated(
        self,
        row: Any,
        scope: Scope,
        working_days: int,
        calendars: dict[tuple[int, int], WorkCalendar],
    ) -> BackdatedEvent | None:
        stream_id, version = row["originator_id"], row["originator_version"]
        record = stored_record(self.store, row["topic"], stream_id, version, bytes(row["state"]))
        tenant_id = UUID(str(record.get("tenant_id")))
        if not scope.reads(tenant_id):
            return None
        document_day, recorded_day = occurred_on(record), china_day(row["recorded_at"])
        if (recorded_day - document_day).days <= working_days:  # no more working days than days
            return None
        years = (document_day.year, recorded_day.year)
        if years not in calendars:
            calendars[years] = self.calendar.calendar(range(years[0], years[1] + 1))
        late = working_days_between(calendars[years], document_day, recorded_day)
        if late <= working_days:
            return None
        name = str(record["type"]).rpartition(":")[2]
        return BackdatedEvent(
            stream_id=UUID(str(stream_id)),
            aggregate=name.partition(".")[0],
            version=version,
            topic=str(record["type"]),
            event=name,
            occurred_on=document_day,
            recorded_at=row["recorded_at"],
            working_days_late=late,
            actor=str(record.get("actor", "")),
            tenant_id=tenant_id,
        )
