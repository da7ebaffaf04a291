"""Phases, petition channels, revisits and the unit schedule of a round."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from uuid import uuid4

import pytest

from domain.audited import event_hash
from domain.errors import RuleViolation
from domain.rounds.linkage import Scope
from domain.rounds.round import Round
from domain.rounds.schedule import UnitSchedule, schedule_id_for
from domain.rounds.values import Linkage, Period, PetitionChannel, Phase, RoundKind
from tests.unit.domain.rounds.builders import SPRING, Jinan, plan, target


def a_round() -> Round:
    jinan = Jinan()
    return plan(jinan.lixia, Linkage.STANDALONE, [target(jinan.lixia)], jinan)


def test_a_round_moves_through_its_phases_in_order_with_dates() -> None:
    planned = a_round()
    steps = list(Phase)[1:]
    for day, phase in enumerate(steps, start=1):
        planned.advance_phase(to=phase, on=date(2026, 3, day))
    assert planned.phase is Phase.CLOSED
    assert planned.phase_dates[Phase.STATIONED] == date(2026, 3, 2)


@pytest.mark.parametrize("to", [Phase.PLANNED, Phase.PREPARING, Phase.REPORTED])
def test_a_phase_can_neither_go_back_nor_be_skipped(to: Phase) -> None:
    planned = a_round()
    planned.advance_phase(to=Phase.PREPARING, on=date(2026, 3, 1))
    with pytest.raises(RuleViolation) as refused:
        planned.advance_phase(to=to, on=date(2026, 3, 5))
    assert refused.value.rule == "ROUND_PHASE_ORDER"
    assert planned.phase is Phase.PREPARING


def test_phase_dates_never_go_backwards() -> None:
    planned = a_round()
    planned.advance_phase(to=Phase.PREPARING, on=date(2026, 3, 10))
    with pytest.raises(RuleViolation) as refused:
        planned.advance_phase(to=Phase.STATIONED, on=date(2026, 3, 9))
    assert refused.value.rule == "ROUND_PHASE_DATE"


def test_a_closed_round_advances_no_further() -> None:
    planned = a_round()
    for phase in list(Phase)[1:]:
        planned.advance_phase(to=phase, on=date(2026, 3, 1))
    with pytest.raises(RuleViolation) as refused:
        planned.advance_phase(to=Phase.CLOSED, on=date(2026, 3, 2))
    assert refused.value.rule == "ROUND_PHASE_ORDER"


def test_petition_channels_open_and_close_with_dates() -> None:
    planned = a_round()
    planned.open_petition_channel(
        channel=PetitionChannel.HOTLINE,
        on=date(2026, 3, 2),
        address="0531-12345678",
        closes_on=date(2026, 3, 31),
    )
    with pytest.raises(RuleViolation) as refused:
        planned.open_petition_channel(
            channel=PetitionChannel.HOTLINE, on=date(2026, 3, 3), address="x", closes_on=None
        )
    assert refused.value.rule == "ROUND_CHANNEL_ALREADY_OPEN"
    with pytest.raises(RuleViolation) as refused:
        planned.close_petition_channel(channel=PetitionChannel.HOTLINE, on=date(2026, 3, 1))
    assert refused.value.rule == "ROUND_CHANNEL_DATE"
    planned.close_petition_channel(channel=PetitionChannel.HOTLINE, on=date(2026, 3, 31))
    assert planned.channels[PetitionChannel.HOTLINE]["closed_on"] == date(2026, 3, 31)
    with pytest.raises(RuleViolation) as refused:
        planned.close_petition_channel(channel=PetitionChannel.MAILBOX, on=date(2026, 3, 31))
    assert refused.value.rule == "ROUND_CHANNEL_NOT_OPEN"


def test_a_revisit_refers_to_an_earlier_round_of_the_same_city() -> None:
    jinan = Jinan()
    earlier = plan(jinan.lixia, Linkage.STANDALONE, [target(jinan.lixia)], jinan)
    autumn = Period(date(2026, 9, 1), date(2026, 9, 25))

    def revisit(of: Round, period: Period) -> Round:
        return Round.plan(
            scope=Scope(jinan.lixia, Linkage.STANDALONE, period, [target(jinan.lixia)]),
            kind=RoundKind.REVISIT,
            title="回头看",
            revisit_of=of,
            counties_of_city=jinan.counties,
        )

    assert revisit(earlier, autumn).revisit_of == earlier.id
    with pytest.raises(RuleViolation) as refused:
        revisit(earlier, SPRING)
    assert refused.value.rule == "ROUND_REVISIT_EARLIER"


def test_a_unit_is_in_one_open_round_of_a_period_unless_one_is_a_revisit() -> None:
    unit_id = uuid4()
    schedule = UnitSchedule.open_for(unit_id=unit_id, owner_id=uuid4())
    assert schedule.id == schedule_id_for(unit_id)
    first = uuid4()
    schedule.book(round_id=first, period=SPRING, kind=RoundKind.REGULAR)
    overlapping = Period(date(2026, 5, 1), date(2026, 6, 30))
    with pytest.raises(RuleViolation) as refused:
        schedule.book(round_id=uuid4(), period=overlapping, kind=RoundKind.THEMATIC)
    assert refused.value.rule == "ROUND_TARGET_OCCUPIED"
    assert refused.value.details["round_id"] == str(first)
    schedule.book(round_id=uuid4(), period=overlapping, kind=RoundKind.REVISIT)
    schedule.book(
        round_id=uuid4(), period=Period(date(2026, 6, 1), date(2026, 6, 9)), kind=RoundKind.MOBILE
    )


def test_a_closed_round_frees_its_units() -> None:
    schedule = UnitSchedule.open_for(unit_id=uuid4(), owner_id=uuid4())
    first = uuid4()
    schedule.book(round_id=first, period=SPRING, kind=RoundKind.REGULAR)
    schedule.release(round_id=first)
    schedule.book(round_id=uuid4(), period=SPRING, kind=RoundKind.REGULAR)
    assert len(schedule.bookings) == 1


def test_a_rounds_events_replay_to_the_same_state_and_form_a_hash_chain() -> None:
    planned = a_round()
    planned.advance_phase(to=Phase.PREPARING, on=date(2026, 3, 1))
    planned.open_petition_channel(
        channel=PetitionChannel.MAILBOX, on=date(2026, 3, 2), address="村委会门口", closes_on=None
    )
    events = planned.collect_events()
    replayed = None
    for recorded in events:
        replayed = recorded.mutate(replayed)
    assert isinstance(replayed, Round)
    assert replayed.phase is Phase.PREPARING
    assert replayed.channels == planned.channels
    for previous, following in pairwise(events):
        assert following.prev_hash == event_hash(previous)
    assert replayed.head_hash == planned.head_hash
