"""A command that names an office, unit or round its caller may not know of is answered
NOT_FOUND, as if it did not exist: no rule gets to describe it (rules name codes and owners),
and nothing is written. The world: tests/support/two_cities.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.clues.values import HandlingBody, PriorityClass
from domain.errors import NotFound
from domain.rounds.values import Linkage, Period, RoundKind
from services.authorization import CITY_OFFICE, CONSOLE, COUNTY_TEAM, Acting
from services.runtime import Runtime
from tests.support.two_cities import World, register_clue, seed_two_cities

PERIOD = Period(date(2027, 3, 1), date(2027, 5, 31))


@pytest.fixture
def world(runtime: Runtime) -> World:
    return seed_two_cities(runtime)


def _refused_unseen(runtime: Runtime, command: Callable[[], Any], *hidden: str) -> None:
    head = runtime.store.max_position()
    with pytest.raises(NotFound) as refused:
        command()
    for text in hidden:
        assert text not in str(refused.value)
    assert runtime.store.max_position() == head


def test_a_county_cannot_register_a_clue_about_another_citys_unit(
    runtime: Runtime, world: World
) -> None:
    x1 = Acting(role=COUNTY_TEAM, tenant_id=world.x1)
    _refused_unseen(
        runtime,
        lambda: register_clue(runtime, world.x1, world.y1_unit, None, acting=x1),
        "Y1-V1",
        "RLS-Y1",
    )


def test_a_county_cannot_register_a_clue_in_another_citys_round(
    runtime: Runtime, world: World
) -> None:
    y_round = _plan(runtime, world.y, [world.y1_unit])
    x1 = Acting(role=COUNTY_TEAM, tenant_id=world.x1)
    _refused_unseen(
        runtime,
        lambda: register_clue(runtime, world.x1, world.y1_unit, y_round, acting=x1),
        "RLS-Y",
    )


def test_a_county_names_a_sibling_countys_unit_only_as_a_target_of_its_round(
    runtime: Runtime, world: World
) -> None:
    x1 = Acting(role=COUNTY_TEAM, tenant_id=world.x1)
    _refused_unseen(
        runtime,
        lambda: register_clue(runtime, world.x1, world.x2_other, None, acting=x1),
        "X2-V2",
    )
    clue = register_clue(runtime, world.x1, world.x2_target, world.cross_round, acting=x1)
    assert runtime.clues.clue(clue).unit_id == world.x2_target


def test_a_city_cannot_plan_a_round_on_another_citys_unit_or_with_its_offices(
    runtime: Runtime, world: World
) -> None:
    x = Acting(role=CITY_OFFICE, tenant_id=world.x)
    _refused_unseen(runtime, lambda: _plan(runtime, world.x, [world.y1_unit], acting=x), "Y1-V1")
    _refused_unseen(
        runtime,
        lambda: _plan(
            runtime, world.x, list(world.x1_units)[:1], acting=x, co_organisers=[world.y]
        ),
        "RLS-Y",
    )


def test_a_county_cannot_transfer_a_clue_to_another_citys_office(
    runtime: Runtime, world: World
) -> None:
    x1 = Acting(role=COUNTY_TEAM, tenant_id=world.x1)
    _refused_unseen(
        runtime,
        lambda: runtime.clues.transfer_clue(
            world.x1_clue,
            body=HandlingBody.DISCIPLINE_COMMISSION,
            receiving_tenant_id=world.y1,
            due_date=date(2027, 1, 31),
            acting=x1,
        ),
        "RLS-Y1",
    )


def _plan(
    runtime: Runtime,
    organiser: UUID,
    targets: list[UUID],
    *,
    acting: Acting = CONSOLE,
    co_organisers: list[UUID] | None = None,
) -> UUID:
    return runtime.rounds.plan_round(
        tenant_id=organiser,
        kind=RoundKind.REGULAR,
        linkage=Linkage.JOINT if co_organisers else Linkage.ESCALATED,
        title="巡察",
        period=PERIOD,
        target_unit_ids=targets,
        co_organiser_ids=co_organisers,
        acting=acting,
    ).id


def test_a_county_hands_a_clue_to_another_county_of_its_city(
    runtime: Runtime, world: World
) -> None:
    x1 = Acting(role=COUNTY_TEAM, tenant_id=world.x1)
    runtime.clues.triage_clue(
        world.x1_clue, priority=PriorityClass.KEY, proposed_route="移交属地", acting=x1
    )
    runtime.clues.transfer_clue(
        world.x1_clue,
        body=HandlingBody.DISCIPLINE_COMMISSION,
        receiving_tenant_id=world.x2,
        due_date=date(2027, 1, 31),
        acting=x1,
    )
    assert runtime.clues.clue(world.x1_clue).receiving_tenant_id == world.x2
