"""The "one open round per unit and period" rule holds under concurrency: two commands that
both saw a unit free and book it at once collide on the unit's schedule in the event store,
and the second is refused with CONFLICT, writing nothing."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import Conflict
from domain.rounds.schedule import UnitSchedule, schedule_id_for
from domain.rounds.values import Period, RoundKind
from services.runtime import Runtime

SPRING = Period(date(2026, 3, 1), date(2026, 5, 31))


def test_two_rounds_booking_a_fresh_unit_at_once_conflict(runtime: Runtime) -> None:
    unit_id, owner_id = uuid4(), uuid4()
    # Both commands found no schedule yet and open one each, as two racing requests would.
    first = UnitSchedule.open_for(unit_id=unit_id, owner_id=owner_id)
    second = UnitSchedule.open_for(unit_id=unit_id, owner_id=owner_id)
    first.book(round_id=uuid4(), period=SPRING, kind=RoundKind.REGULAR)
    second.book(round_id=uuid4(), period=SPRING, kind=RoundKind.REGULAR)

    runtime.store.record(first)
    head = runtime.store.max_position()
    with pytest.raises(Conflict):
        runtime.store.record(second)

    assert runtime.store.max_position() == head
    stored = runtime.store.load(UnitSchedule, schedule_id_for(unit_id), what="schedule")
    assert list(stored.bookings) == list(first.bookings)


def test_two_rounds_booking_a_known_unit_at_once_conflict(runtime: Runtime) -> None:
    unit_id = uuid4()
    opened = UnitSchedule.open_for(unit_id=unit_id, owner_id=uuid4())
    runtime.store.record(opened)
    sid = schedule_id_for(unit_id)
    seen_by_a = runtime.store.load(UnitSchedule, sid, what="schedule")
    seen_by_b = runtime.store.load(UnitSchedule, sid, what="schedule")
    seen_by_a.book(round_id=uuid4(), period=SPRING, kind=RoundKind.REGULAR)
    seen_by_b.book(round_id=uuid4(), period=SPRING, kind=RoundKind.THEMATIC)

    runtime.store.record(seen_by_a)
    with pytest.raises(Conflict):
        runtime.store.record(seen_by_b)
    assert len(runtime.store.load(UnitSchedule, sid, what="schedule").bookings) == 1
