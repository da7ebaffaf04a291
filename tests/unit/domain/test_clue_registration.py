from decimal import Decimal

import pytest

from domain.clues.clue import Clue
from domain.clues.values import ClueSource, ClueStatus, PersonConcerned
from domain.context import acting_as
from domain.errors import RuleViolation, ValidationFailed
from domain.rounds.values import Linkage, Target
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit
from tests.unit.domain.factories import city, county, village
from tests.unit.domain.rounds.builders import Jinan, plan


def register(registrar: Tenant, unit: Unit, owner: Tenant, **changes: object) -> Clue:
    fields: dict[str, object] = {
        "round_": None,
        "source": ClueSource.PETITION,
        "category": "三资管理",
        "summary": "村集体收入未入账",
        "persons_concerned": [PersonConcerned(role="村党支部书记", name="张某")],
        "amount_involved": Decimal("120000"),
    }
    fields.update(changes)
    return Clue.register(registrar=registrar, unit=unit, unit_owner=owner, **fields)  # type: ignore[arg-type]


def test_a_county_registers_a_clue_about_its_own_village() -> None:
    lixia = county(city())
    clue = register(lixia, village(lixia), lixia)
    assert clue.status is ClueStatus.REGISTERED
    assert clue.tenant_id == lixia.id
    assert clue.persons_concerned == [PersonConcerned(role="村党支部书记", name="张某")]


def test_a_city_registers_a_clue_about_a_village_of_its_county() -> None:
    jinan = city()
    lixia = county(jinan)
    assert register(jinan, village(lixia), lixia).tenant_id == jinan.id


def test_a_county_cannot_register_a_clue_about_another_countys_village() -> None:
    jinan = city()
    lixia, shizhong = county(jinan), county(jinan, "370103")
    with pytest.raises(RuleViolation) as refused:
        register(lixia, village(shizhong), shizhong)
    assert refused.value.rule == "CLUE_UNIT_OUT_OF_SCOPE"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"summary": "  "}, "summary"),
        ({"summary": "x" * 2001}, "summary"),
        ({"category": ""}, "category"),
        ({"summary": "村集体\x00收入"}, "summary"),
        ({"amount_involved": Decimal("-1")}, "amountInvolved"),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    lixia = county(city())
    with pytest.raises(ValidationFailed) as refused:
        register(lixia, village(lixia), lixia, **changes)
    assert refused.value.details["field"] == field


def test_a_person_concerned_needs_a_name() -> None:
    with pytest.raises(ValidationFailed):
        PersonConcerned(role="村主任", name="")


def test_the_registration_event_names_tenant_actor_and_chain_start() -> None:
    lixia = county(city())
    with acting_as("inspector-7"):
        clue = register(lixia, village(lixia), lixia)
    (registered,) = clue.collect_events()
    assert registered.actor == "inspector-7"  # type: ignore[attr-defined]
    assert registered.tenant_id == lixia.id  # type: ignore[attr-defined]
    assert registered.prev_hash == "0" * 64  # type: ignore[attr-defined]


def test_a_cross_rounds_inspecting_county_registers_a_clue_about_the_owning_countys_target() -> (
    None
):
    jinan = Jinan()
    unit = village(jinan.shizhong, "V7")
    cross = plan(
        jinan.city,
        Linkage.CROSS,
        [Target(unit.id, jinan.shizhong.id)],
        jinan,
        inspecting=jinan.lixia,
        owning=jinan.shizhong,
    )
    clue = register(jinan.lixia, unit, jinan.shizhong, round_=cross)
    assert (clue.tenant_id, clue.round_id) == (jinan.lixia.id, cross.id)


def test_a_clue_about_a_unit_the_round_does_not_inspect_is_refused() -> None:
    jinan = Jinan()
    escalated = plan(
        jinan.city,
        Linkage.ESCALATED,
        [Target(village(jinan.lixia, "V1").id, jinan.lixia.id)],
        jinan,
    )
    with pytest.raises(RuleViolation) as refused:
        register(jinan.city, village(jinan.lixia, "V2"), jinan.lixia, round_=escalated)
    assert refused.value.rule == "CLUE_UNIT_NOT_A_TARGET"


def test_an_office_outside_the_round_cannot_register_its_clues() -> None:
    jinan = Jinan()
    unit = village(jinan.lixia, "V1")
    escalated = plan(jinan.city, Linkage.ESCALATED, [Target(unit.id, jinan.lixia.id)], jinan)
    with pytest.raises(RuleViolation) as refused:
        register(jinan.lixia, unit, jinan.lixia, round_=escalated)
    assert refused.value.rule == "CLUE_REGISTRAR_NOT_IN_ROUND"
