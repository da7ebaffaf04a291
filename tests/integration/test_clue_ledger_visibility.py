"""Who sees a clue in the ledger follows its story: the office that registered it, the office
it was transferred to, and whoever owns its unit now (after a county merge, the absorbing
county); and the ledger's total count, kept by the projection, is what the caller can see.

The world: tests/support/two_cities.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from psycopg import sql

from domain.clues.values import CorrectableField, Disposition, HandlingBody, PriorityClass
from infrastructure.feeds import rebuild
from projections import clue_ledger_read, tracking
from projections.clue_ledger import ClueLedger
from projections.clue_ledger_read import LedgerFilter
from services.authorization import (
    ADMIN,
    CITY_OFFICE,
    CONSOLE,
    COUNTY_TEAM,
    DEPLOYMENT_TENANT,
    Acting,
)
from services.reads import ReadSession
from services.runtime import Runtime
from tests.support.two_cities import World, register_clue, seed_two_cities

TODAY = date(2026, 11, 23)


@pytest.fixture
def world(runtime: Runtime) -> World:
    return seed_two_cities(runtime)


def _ledger(runtime: Runtime, role: str, tenant: UUID, **filters: Any) -> tuple[set[UUID], int]:
    """The clues a caller's ledger lists (every page) and the total count it gives."""
    session = ReadSession(runtime.reads, Acting(role=role, tenant_id=tenant), 5000)
    listed: set[UUID] = set()
    after = None
    while True:
        with session.reading() as conn:
            which = LedgerFilter(visible_tenants=session.scope.tenants, **filters)
            page = clue_ledger_read.page(conn, which=which, today=TODAY, first=1, after=after)
        listed |= {row.clue_id for _, row in page.items}
        if not page.has_next_page:
            return listed, page.total_count
        after = page.items[-1][0]


def _transfer(runtime: Runtime, clue: UUID, receiver: UUID) -> None:
    """Triage the clue as KEY and transfer it to `receiver`."""
    runtime.clues.triage_clue(
        clue, priority=PriorityClass.KEY, proposed_route="移交", acting=CONSOLE
    )
    runtime.clues.transfer_clue(
        clue,
        body=HandlingBody.DISCIPLINE_COMMISSION,
        receiving_tenant_id=receiver,
        due_date=date(2026, 12, 31),
        acting=CONSOLE,
    )


def _merge_x1_into_x2(runtime: Runtime, world: World) -> None:
    runtime.tenants.merge_county(
        acting=CONSOLE,
        county_id=world.x1,
        into_id=world.x2,
        units=sorted(world.x1_units),
        effective_on=TODAY,
        reason="区划调整",
    )


def _settled(runtime: Runtime) -> None:
    runtime.wait_for_projections(runtime.store.max_position())


def test_a_transfer_shows_the_clue_to_the_receiving_office(runtime: Runtime, world: World) -> None:
    clue = register_clue(runtime, world.x1, next(iter(world.x1_units)), None)
    _settled(runtime)
    assert clue not in _ledger(runtime, COUNTY_TEAM, world.x2)[0]

    _transfer(runtime, clue, world.x2)
    _settled(runtime)
    assert _ledger(runtime, COUNTY_TEAM, world.x2) == ({world.x1_clue, clue}, 2)
    assert _ledger(runtime, COUNTY_TEAM, world.y1) == ({world.y1_clue}, 1)


def test_a_county_merge_shows_its_units_clues_to_the_absorbing_county(
    runtime: Runtime, world: World
) -> None:
    clue = register_clue(runtime, world.x, next(iter(world.x1_units)), None)
    _settled(runtime)
    assert clue in _ledger(runtime, COUNTY_TEAM, world.x1)[0]
    assert clue not in _ledger(runtime, COUNTY_TEAM, world.x2)[0]

    _merge_x1_into_x2(runtime, world)
    _settled(runtime)
    assert clue not in _ledger(runtime, COUNTY_TEAM, world.x1)[0]
    assert clue in _ledger(runtime, COUNTY_TEAM, world.x2)[0]


def test_the_total_count_is_what_each_caller_sees_through_a_clues_story(
    runtime: Runtime, world: World
) -> None:
    clue = register_clue(runtime, world.x1, next(iter(world.x1_units)), None)
    runtime.clues.triage_clue(
        clue, priority=PriorityClass.ATTENTION, proposed_route="移交", acting=CONSOLE
    )
    runtime.clues.transfer_clue(
        clue,
        body=HandlingBody.DISCIPLINE_COMMISSION,
        receiving_tenant_id=world.x2,
        due_date=date(2026, 12, 31),
        acting=CONSOLE,
    )
    runtime.clues.accept_clue(clue, acting=CONSOLE)
    runtime.clues.correct_clue(
        clue,
        field=CorrectableField.CATEGORY,
        new_value="工程项目",
        reason="登记有误",
        acting=CONSOLE,
    )
    runtime.clues.conclude_clue(
        clue,
        disposition=Disposition.INQUIRY,
        persons_disciplined=0,
        funds_recovered=Decimal(0),
        closed_in_ledger=True,
        acting=CONSOLE,
    )
    _settled(runtime)
    callers = [
        (COUNTY_TEAM, world.x1),
        (COUNTY_TEAM, world.x2),
        (CITY_OFFICE, world.x),
        (CITY_OFFICE, world.y),
        (ADMIN, DEPLOYMENT_TENANT),
    ]
    filters: list[dict[str, Any]] = [
        {},
        {"status": "CONCLUDED"},
        {"status": "REGISTERED"},
        {"category": "工程项目"},
        {"category": "三资管理", "tenant_id": world.x1},
        {"receiving_tenant_id": world.x2, "priority": "ATTENTION"},
    ]
    for role, tenant in callers:
        for which in filters:
            listed, total = _ledger(runtime, role, tenant, **which)
            assert total == len(listed), (role, tenant, which)
    assert _ledger(runtime, COUNTY_TEAM, world.x2, status="CONCLUDED") == ({clue}, 1)
    assert _ledger(runtime, ADMIN, DEPLOYMENT_TENANT) == ({world.x1_clue, world.y1_clue, clue}, 3)


def test_a_ledger_of_an_earlier_version_shows_every_clue_once_upgraded(
    runtime: Runtime, world: World
) -> None:
    with runtime.reads.connection() as conn, conn.transaction():
        # as an earlier version left it: no visibility column (nor its policy), no counts
        conn.execute("ALTER TABLE rm_clues DROP COLUMN visible_to CASCADE")
        conn.execute("DELETE FROM rm_clue_counts")
    with runtime.reads.connection() as conn, conn.transaction():
        tracking.create_tables(conn, ClueLedger())

    assert _ledger(runtime, COUNTY_TEAM, world.x2) == ({world.x1_clue}, 1)
    assert _ledger(runtime, CITY_OFFICE, world.y) == ({world.y1_clue}, 1)
    assert _ledger(runtime, ADMIN, DEPLOYMENT_TENANT) == ({world.x1_clue, world.y1_clue}, 2)


def test_a_rebuilt_ledger_equals_the_live_one_through_a_story_and_a_merge(
    runtime: Runtime, world: World
) -> None:
    clue = register_clue(runtime, world.x1, next(iter(world.x1_units)), None)
    staying = register_clue(runtime, world.x1, next(iter(world.x1_units)), None)
    _transfer(runtime, clue, world.x2)
    _merge_x1_into_x2(runtime, world)
    _settled(runtime)
    live = _ledger_rows(runtime)
    assert any(row.endswith(",0)") for row in live["rm_clue_counts"])  # a count fell to zero

    rebuild.rebuild(runtime, rebuild.find_projection(runtime, ClueLedger.name))

    assert _ledger_rows(runtime) == live
    assert {clue, staying} <= _ledger(runtime, COUNTY_TEAM, world.x2)[0]


def _ledger_rows(runtime: Runtime) -> dict[str, list[str]]:
    with runtime.reads.connection() as conn:
        return {
            table: [
                text
                for (text,) in conn.execute(
                    sql.SQL("SELECT t::text FROM {} AS t ORDER BY 1").format(sql.Identifier(table))
                )
            ]
            for table in ClueLedger.tables
        }
