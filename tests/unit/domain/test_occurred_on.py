"""The date written on a document (occurredOn): refused in the future, before what the command
acts on began, or before the previous step of the same clue, task or round; each refusal names
the field. Due dates count from it on the official calendar."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar.work_calendar import WorkCalendar
from domain.clues.clue import Clue
from domain.clues.values import ClueSource, HandlingBody
from domain.dates import occurred_on
from domain.errors import ErrorCode, RuleViolation, ValidationFailed, XunChaError
from domain.messages import message_zh
from domain.rounds.values import Linkage, Phase, Target, TeamRole
from services.calendar import packaged_schedule
from tests.unit.domain.factories import city, county, triaged_clue, village
from tests.unit.domain.rounds.builders import SPRING, Jinan, inspector, plan, target
from tests.unit.domain.test_rectification import verified_task

TODAY = date(2026, 11, 29)
LETTER = date(2026, 9, 30)  # the transfer letter's date, entered weeks later
OFFICIAL_2026 = WorkCalendar([s for s in [packaged_schedule(2026)] if s is not None])


def refusal(call: object, *args: object, **kwargs: object) -> XunChaError:
    with pytest.raises((RuleViolation, ValidationFailed)) as refused:
        call(*args, **kwargs)  # type: ignore[operator]
    return refused.value


def triaged(on: date = date(2026, 9, 25)) -> Clue:
    return triaged_clue(date(2026, 9, 20), on)


def transfer(clue: Clue, on: date, working_days: int = 5) -> None:
    registrar = county(city())
    clue.transfer(
        body=HandlingBody.DISCIPLINE_COMMISSION,
        registrar=registrar,
        receiver=registrar,
        deadline=OFFICIAL_2026.add_working_days(on, working_days),
        on=on,
    )


def test_no_date_means_today_and_a_date_still_to_come_is_refused_by_its_field() -> None:
    assert occurred_on(None, TODAY) == TODAY
    assert occurred_on(LETTER, TODAY) == LETTER
    refused = refusal(occurred_on, date(2026, 11, 30), TODAY)
    assert refused.code is ErrorCode.VALIDATION_FAILED
    assert refused.details == {
        "field": "occurredOn",
        "rule": "OCCURRED_ON_IN_FUTURE",
        "on": "2026-11-30",
        "today": TODAY.isoformat(),
    }
    assert (
        message_zh(refused)
        == f"occurredOn 2026-11-30 晚于今天（{TODAY.isoformat()}）：文书日期不能晚于录入当日"
    )
    assert "2026-11-30" in refused.message
    assert "givenOn" in refusal(occurred_on, date(2026, 12, 1), TODAY, "givenOn").message


def test_a_transfer_counts_its_working_days_from_the_letter_across_national_day() -> None:
    clue = triaged()
    transfer(clue, LETTER)
    assert clue.transferred_on == LETTER
    assert clue.deadline is not None
    assert (clue.deadline.due_date, clue.deadline.provisional) == (date(2026, 10, 13), False)
    assert clue.last_occurred_on == LETTER


def test_a_deadline_into_a_year_not_loaded_is_provisional() -> None:
    clue = triaged(on=date(2026, 12, 20))
    transfer(clue, date(2026, 12, 28), working_days=10)
    assert clue.deadline is not None
    assert (clue.deadline.due_date, clue.deadline.provisional) == (date(2027, 1, 11), True)


def test_a_step_before_the_registration_or_the_previous_step_is_refused_unrecorded() -> None:
    clue = triaged()
    before_start = refusal(clue.transfer, body=HandlingBody.DISCIPLINE_COMMISSION,
                           registrar=county(city()), receiver=county(city()),
                           deadline=OFFICIAL_2026.add_working_days(date(2026, 9, 19), 5),
                           on=date(2026, 9, 19))  # fmt: skip
    assert before_start.details["rule"] == "OCCURRED_ON_BEFORE_START"
    assert "2026-09-20" in before_start.message
    before_triage = refusal(transfer, clue, date(2026, 9, 24))
    assert before_triage.details["rule"] == "OCCURRED_ON_BEFORE_PREVIOUS_STEP"
    assert before_triage.details["field"] == "occurredOn"
    assert clue.version == 2  # nothing recorded
    transfer(clue, LETTER)
    assert (
        refusal(clue.accept, on=date(2026, 9, 29)).details["rule"]
        == "OCCURRED_ON_BEFORE_PREVIOUS_STEP"
    )
    clue.accept(on=LETTER)  # the same day as the previous step is fine
    assert clue.version == 4


def test_a_clue_of_a_round_is_not_registered_before_the_rounds_planned_start() -> None:
    jinan = Jinan()
    unit = village(jinan.lixia)
    round_ = plan(jinan.lixia, Linkage.STANDALONE, [Target(unit.id, jinan.lixia.id)], jinan)

    def register(on: date) -> Clue:
        return Clue.register(
            registrar=jinan.lixia,
            unit=unit,
            unit_owner=jinan.lixia,
            round_=round_,
            source=ClueSource.PETITION,
            category="三资管理",
            summary="村集体收入未入账",
            persons_concerned=[],
            amount_involved=None,
            on=on,
        )

    refused = refusal(register, date(2026, 2, 28))
    assert (refused.details["rule"], refused.details["field"]) == (
        "OCCURRED_ON_BEFORE_START",
        "occurredOn",
    )
    assert f"round {round_.id}" in refused.message
    assert register(SPRING.start).began_on == SPRING.start


def test_stationing_is_not_before_the_planned_start_but_preparation_and_the_team_are() -> None:
    jinan = Jinan()
    round_ = plan(jinan.lixia, Linkage.STANDALONE, [target(jinan.lixia)], jinan)
    round_.assign_inspector(
        inspector=inspector(jinan.city), home=jinan.city, role=TeamRole.LEADER,
        on=date(2026, 2, 20),
    )  # fmt: skip
    round_.advance_phase(to=Phase.PREPARING, on=date(2026, 2, 25))
    refused = refusal(round_.advance_phase, to=Phase.STATIONED, on=date(2026, 2, 28))
    assert (refused.details["rule"], refused.details["field"]) == ("OCCURRED_ON_BEFORE_START", "on")
    round_.advance_phase(to=Phase.STATIONED, on=SPRING.start)
    assert round_.phase_dates[Phase.STATIONED] == SPRING.start


def test_a_second_revisit_is_not_dated_before_the_first() -> None:
    task = verified_task()
    task.record_ballots(satisfied=3, basically_satisfied=1, dissatisfied=0,
                        channel="PAPER", held_on=date(2026, 4, 10))  # type: ignore[arg-type]  # fmt: skip
    refused = refusal(task.record_ballots, satisfied=1, basically_satisfied=0, dissatisfied=0,
                      channel="PAPER", held_on=date(2026, 4, 8))  # fmt: skip
    assert (refused.details["rule"], refused.details["field"]) == (
        "OCCURRED_ON_BEFORE_PREVIOUS_STEP",
        "heldOn",
    )
