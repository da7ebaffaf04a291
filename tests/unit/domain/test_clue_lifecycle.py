"""The clue lifecycle: triage → transfer → accept → progress → conclude, the supervision
ladder, corrections and informant erasure; every illegal transition names its rule."""

import itertools
from datetime import date
from decimal import Decimal

import pytest

from domain.audited import event_hash
from domain.calendar.work_calendar import Deadline, WorkCalendar
from domain.clues.clue import Clue
from domain.clues.values import (
    ClueSource,
    ClueStatus,
    CorrectableField,
    Disposition,
    HandlingBody,
    PriorityClass,
    SupervisionStep,
)
from domain.counts import MAX_PERSONS
from domain.errors import Conflict, RuleViolation, ValidationFailed
from domain.tenants.tenant import Tenant
from tests.unit.domain.factories import city, county, village

TODAY = date(2026, 11, 23)
FOUND = date(2026, 11, 2)  # the date on the registration's and the triage's documents
DUE = date(2026, 12, 21)
CALENDAR = WorkCalendar()


class World:
    def __init__(self) -> None:
        self.city = city()
        self.county = county(self.city)
        self.other_county = county(self.city, "370103")
        self.elsewhere = county(city("3702"), "370202")


@pytest.fixture
def world() -> World:
    return World()


def registered(world: World, *, informant: str | None = None) -> Clue:
    return Clue.register(
        registrar=world.county,
        unit=village(world.county),
        unit_owner=world.county,
        round_=None,
        source=ClueSource.PETITION,
        category="三资管理",
        summary="村集体收入未入账",
        persons_concerned=[],
        amount_involved=Decimal("1000"),
        informant_sealed=informant,
        on=FOUND,
    )


def triaged(world: World) -> Clue:
    clue = registered(world)
    clue.triage(priority=PriorityClass.KEY, proposed_route="移交纪委监委", on=FOUND)
    return clue


def transfer(
    clue: Clue,
    world: World,
    body: HandlingBody = HandlingBody.DISCIPLINE_COMMISSION,
    receiver: Tenant | None = None,
    due: date = DUE,
) -> None:
    clue.transfer(
        body=body,
        registrar=world.county,
        receiver=receiver or world.county,
        deadline=Deadline(due_date=due),
        on=TODAY,
    )


def transferred(world: World) -> Clue:
    clue = triaged(world)
    transfer(clue, world)
    return clue


def accepted(world: World) -> Clue:
    clue = transferred(world)
    clue.accept(on=TODAY)
    return clue


def conclude(clue: Clue) -> None:
    clue.conclude(
        disposition=Disposition.CASE_FILED,
        persons_disciplined=2,
        funds_recovered=Decimal("50000"),
        closed_in_ledger=True,
        on=TODAY,
    )


def concluded(world: World) -> Clue:
    clue = accepted(world)
    conclude(clue)
    return clue


def refused_rule(excinfo: pytest.ExceptionInfo[RuleViolation]) -> str:
    return excinfo.value.rule


# --- the way through ---------------------------------------------------------------------


def test_a_clue_goes_from_registration_to_conclusion(world: World) -> None:
    clue = accepted(world)
    clue.report_progress(progress="已初步核实", on=TODAY)
    conclude(clue)
    assert clue.status is ClueStatus.CONCLUDED
    assert clue.disposition is Disposition.CASE_FILED
    assert clue.persons_disciplined == 2
    assert clue.funds_recovered == Decimal("50000")
    names = [type(e).__name__ for e in clue.collect_events()]
    assert names == [
        "Registered",
        "Triaged",
        "Transferred",
        "Accepted",
        "ProgressReported",
        "Concluded",
    ]


def test_every_event_chains_to_its_predecessor(world: World) -> None:
    events = concluded(world).collect_events()
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == event_hash(before)  # type: ignore[attr-defined]
        assert after.tenant_id == world.county.id  # type: ignore[attr-defined]


def test_a_clue_may_be_transferred_to_another_county_of_the_same_city(world: World) -> None:
    clue = triaged(world)
    transfer(clue, world, receiver=world.other_county)
    assert clue.receiving_tenant_id == world.other_county.id


def test_a_clue_may_be_re_transferred_to_another_body(world: World) -> None:
    clue = transferred(world)
    transfer(clue, world, body=HandlingBody.ORGANIZATION_DEPARTMENT)
    assert clue.handling_body is HandlingBody.ORGANIZATION_DEPARTMENT
    assert clue.status is ClueStatus.TRANSFERRED


# --- illegal transitions, each with its rule ------------------------------------------------


def test_transfer_before_triage_is_refused(world: World) -> None:
    clue = registered(world)
    with pytest.raises(RuleViolation) as refused:
        transfer(clue, world)
    assert refused_rule(refused) == "CLUE_TRANSFER_BEFORE_TRIAGE"


def test_transfer_twice_to_the_same_body_is_refused(world: World) -> None:
    clue = transferred(world)
    with pytest.raises(RuleViolation) as refused:
        transfer(clue, world, receiver=world.other_county)
    assert refused_rule(refused) == "CLUE_ALREADY_TRANSFERRED_TO_BODY"


def test_transfer_outside_the_city_is_refused(world: World) -> None:
    clue = triaged(world)
    with pytest.raises(RuleViolation) as refused:
        transfer(clue, world, receiver=world.elsewhere)
    assert refused_rule(refused) == "CLUE_RECEIVER_OUT_OF_SCOPE"


def test_a_due_date_not_after_the_transfer_day_is_refused(world: World) -> None:
    clue = triaged(world)
    with pytest.raises(ValidationFailed) as refused:
        transfer(clue, world, due=TODAY)
    assert refused.value.details["field"] == "dueDate"


def test_triage_after_transfer_is_refused(world: World) -> None:
    clue = transferred(world)
    with pytest.raises(RuleViolation) as refused:
        clue.triage(priority=PriorityClass.REFERENCE, proposed_route="参考", on=FOUND)
    assert refused_rule(refused) == "CLUE_TRIAGE_AFTER_TRANSFER"


def test_accept_before_transfer_is_refused(world: World) -> None:
    clue = triaged(world)
    with pytest.raises(RuleViolation) as refused:
        clue.accept(on=TODAY)
    assert refused_rule(refused) == "CLUE_ACCEPT_BEFORE_TRANSFER"


def test_accepting_twice_is_refused(world: World) -> None:
    clue = accepted(world)
    with pytest.raises(RuleViolation) as refused:
        clue.accept(on=TODAY)
    assert refused_rule(refused) == "CLUE_ALREADY_ACCEPTED"


def test_progress_before_acceptance_is_refused(world: World) -> None:
    clue = transferred(world)
    with pytest.raises(RuleViolation) as refused:
        clue.report_progress(progress="进行中", on=TODAY)
    assert refused_rule(refused) == "CLUE_PROGRESS_BEFORE_ACCEPTANCE"


def test_progress_before_transfer_is_refused(world: World) -> None:
    clue = triaged(world)
    with pytest.raises(RuleViolation) as refused:
        clue.report_progress(progress="进行中", on=TODAY)
    assert refused_rule(refused) == "CLUE_PROGRESS_BEFORE_TRANSFER"


def test_conclude_before_transfer_is_refused(world: World) -> None:
    clue = triaged(world)
    with pytest.raises(RuleViolation) as refused:
        conclude(clue)
    assert refused_rule(refused) == "CLUE_CONCLUDE_BEFORE_TRANSFER"


def test_conclude_before_acceptance_is_refused(world: World) -> None:
    clue = transferred(world)
    with pytest.raises(RuleViolation) as refused:
        conclude(clue)
    assert refused_rule(refused) == "CLUE_CONCLUDE_BEFORE_ACCEPTANCE"


@pytest.mark.parametrize("persons", [-1, MAX_PERSONS + 1])
def test_figures_on_conclusion_out_of_range_are_refused(world: World, persons: int) -> None:
    clue = accepted(world)
    with pytest.raises(ValidationFailed) as refused:
        clue.conclude(
            disposition=Disposition.INQUIRY,
            persons_disciplined=persons,
            funds_recovered=Decimal(0),
            closed_in_ledger=True,
            on=TODAY,
        )
    assert refused.value.details["field"] == "personsDisciplined"


@pytest.mark.parametrize(
    "verb",
    [
        lambda c, w: c.triage(priority=PriorityClass.KEY, proposed_route="x", on=FOUND),
        lambda c, w: transfer(c, w, body=HandlingBody.TOWNSHIP_COMMITTEE),
        lambda c, w: c.accept(on=TODAY),
        lambda c, w: c.report_progress(progress="x", on=TODAY),
        lambda c, w: conclude(c),
        lambda c, w: c.supervise(step=SupervisionStep.GUIDANCE, on=TODAY, calendar=CALENDAR),
    ],
)
def test_a_concluded_clue_refuses_every_lifecycle_verb(world: World, verb: object) -> None:
    clue = concluded(world)
    with pytest.raises(RuleViolation) as refused:
        verb(clue, world)  # type: ignore[operator]
    assert refused_rule(refused) == "CLUE_ALREADY_CONCLUDED"


def test_a_stale_expected_version_is_a_conflict(world: World) -> None:
    clue = transferred(world)
    clue.expect_version(3)
    with pytest.raises(Conflict):
        clue.expect_version(2)


# --- supervision ladder -------------------------------------------------------------------


def test_supervision_climbs_the_ladder_to_accountability(world: World) -> None:
    clue = transferred(world)
    clue.supervise(step=SupervisionStep.SUPERVISION_NOTICE, on=TODAY, calendar=CALENDAR)
    clue.supervise(step=SupervisionStep.GUIDANCE, on=TODAY, calendar=CALENDAR)
    clue.supervise(step=SupervisionStep.REMINDER, on=DUE, calendar=CALENDAR)
    late = date(2026, 12, 22)
    clue.supervise(
        step=SupervisionStep.WARNING, on=late, calendar=CALENDAR, final_date=date(2027, 1, 8)
    )
    clue.supervise(step=SupervisionStep.ACCOUNTABILITY, on=date(2027, 1, 11), calendar=CALENDAR)
    assert clue.supervision_step is SupervisionStep.ACCOUNTABILITY
    assert clue.is_overdue(late, CALENDAR)


def test_supervision_before_transfer_is_refused(world: World) -> None:
    clue = triaged(world)
    with pytest.raises(RuleViolation) as refused:
        clue.supervise(step=SupervisionStep.SUPERVISION_NOTICE, on=TODAY, calendar=CALENDAR)
    assert refused_rule(refused) == "CLUE_SUPERVISION_BEFORE_TRANSFER"


def test_the_ladder_never_steps_back_or_repeats(world: World) -> None:
    clue = transferred(world)
    clue.supervise(step=SupervisionStep.GUIDANCE, on=TODAY, calendar=CALENDAR)
    for step in (SupervisionStep.GUIDANCE, SupervisionStep.SUPERVISION_NOTICE):
        with pytest.raises(RuleViolation) as refused:
            clue.supervise(step=step, on=TODAY, calendar=CALENDAR)
        assert refused_rule(refused) == "CLUE_SUPERVISION_STEP_NOT_FORWARD"


def test_a_reminder_after_the_due_date_is_refused(world: World) -> None:
    clue = transferred(world)
    with pytest.raises(RuleViolation) as refused:
        clue.supervise(step=SupervisionStep.REMINDER, on=date(2026, 12, 22), calendar=CALENDAR)
    assert refused_rule(refused) == "CLUE_REMINDER_AFTER_DUE_DATE"


def test_a_warning_before_the_due_date_is_refused(world: World) -> None:
    clue = transferred(world)
    with pytest.raises(RuleViolation) as refused:
        clue.supervise(
            step=SupervisionStep.WARNING, on=DUE, calendar=CALENDAR, final_date=date(2027, 1, 8)
        )
    assert refused_rule(refused) == "CLUE_WARNING_BEFORE_DUE_DATE"


def test_a_warning_needs_a_final_date_after_today(world: World) -> None:
    clue = transferred(world)
    late = date(2026, 12, 22)
    with pytest.raises(ValidationFailed) as refused:
        clue.supervise(step=SupervisionStep.WARNING, on=late, calendar=CALENDAR, final_date=late)
    assert refused.value.details["field"] == "finalDate"


def test_accountability_needs_a_warning_whose_final_date_passed(world: World) -> None:
    clue = transferred(world)
    late = date(2026, 12, 22)
    with pytest.raises(RuleViolation) as refused:
        clue.supervise(step=SupervisionStep.ACCOUNTABILITY, on=late, calendar=CALENDAR)
    assert refused_rule(refused) == "CLUE_ACCOUNTABILITY_WITHOUT_WARNING"
    clue.supervise(
        step=SupervisionStep.WARNING, on=late, calendar=CALENDAR, final_date=date(2027, 1, 8)
    )
    with pytest.raises(RuleViolation) as refused:
        clue.supervise(step=SupervisionStep.ACCOUNTABILITY, on=date(2027, 1, 8), calendar=CALENDAR)
    assert refused_rule(refused) == "CLUE_ACCOUNTABILITY_BEFORE_FINAL_DATE"


def test_overdue_is_derived_from_the_due_date_and_ends_with_conclusion(world: World) -> None:
    clue = accepted(world)
    assert not clue.is_overdue(DUE, CALENDAR)
    assert clue.is_overdue(date(2026, 12, 22), CALENDAR)
    conclude(clue)
    assert not clue.is_overdue(date(2026, 12, 22), CALENDAR)


# --- corrections --------------------------------------------------------------------------


def test_a_correction_is_a_new_event_with_old_and_new_value_and_reason(world: World) -> None:
    clue = concluded(world)
    clue.correct(field=CorrectableField.FUNDS_RECOVERED, new_value="60000", reason="补录")
    assert clue.funds_recovered == Decimal("60000")
    corrected = clue.collect_events()[-1]
    assert isinstance(corrected, Clue.Corrected)
    assert (corrected.field, corrected.old_value, corrected.new_value, corrected.reason) == (
        "FUNDS_RECOVERED",
        "50000",
        "60000",
        "补录",
    )


def test_correcting_a_due_date_makes_it_firm(world: World) -> None:
    clue = transferred(world)
    clue.correct(field=CorrectableField.DUE_DATE, new_value="2027-01-15", reason="延期批准")
    assert clue.due_date(CALENDAR) == date(2027, 1, 15)


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        (CorrectableField.PERSONS_DISCIPLINED, "3", "CLUE_CORRECTION_FIELD_NOT_SET"),
        (CorrectableField.DUE_DATE, "2027-01-15", "CLUE_CORRECTION_FIELD_NOT_SET"),
        (CorrectableField.CATEGORY, "三资管理", "CLUE_CORRECTION_NO_CHANGE"),
    ],
)
def test_corrections_that_change_nothing_or_precede_the_fact_are_refused(
    world: World, field: CorrectableField, value: str, rule: str
) -> None:
    clue = triaged(world)
    with pytest.raises(RuleViolation) as refused:
        clue.correct(field=field, new_value=value, reason="核对")
    assert refused_rule(refused) == rule


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (CorrectableField.AMOUNT_INVOLVED, "lots"),
        (CorrectableField.AMOUNT_INVOLVED, "-1"),
        (CorrectableField.PERSONS_DISCIPLINED, "99999999999"),  # beyond what the ledger adds up
        (CorrectableField.SUMMARY, "  "),
    ],
)
def test_a_malformed_correction_is_refused_naming_the_value(
    world: World, field: CorrectableField, value: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        triaged(world).correct(field=field, new_value=value, reason="核对")
    assert refused.value.details["field"] == "newValue"


def test_a_correction_needs_a_reason(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        triaged(world).correct(field=CorrectableField.SUMMARY, new_value="新摘要", reason=" ")
    assert refused.value.details["field"] == "reason"


# --- informant erasure --------------------------------------------------------------------


def test_erasing_the_informant_is_recorded_once(world: World) -> None:
    clue = registered(world, informant="c2VhbGVk")
    assert clue.has_informant
    clue.erase_informant(reason="举报人申请")
    assert not clue.has_informant
    with pytest.raises(RuleViolation) as refused:
        clue.erase_informant(reason="again")
    assert refused_rule(refused) == "CLUE_INFORMANT_ALREADY_ERASED"


def test_erasing_an_informant_never_recorded_is_refused(world: World) -> None:
    with pytest.raises(RuleViolation) as refused:
        registered(world).erase_informant(reason="x")
    assert refused_rule(refused) == "CLUE_HAS_NO_INFORMANT"


def test_an_amount_beyond_the_ledger_is_refused(world: World) -> None:
    clue = accepted(world)
    with pytest.raises(ValidationFailed) as refused:
        clue.conclude(
            disposition=Disposition.INQUIRY,
            persons_disciplined=0,
            funds_recovered=Decimal("1e20"),
            closed_in_ledger=True,
            on=TODAY,
        )
    assert refused.value.details["field"] == "fundsRecovered"
    with pytest.raises(ValidationFailed):
        clue.correct(field=CorrectableField.AMOUNT_INVOLVED, new_value="1e20", reason="核对")
