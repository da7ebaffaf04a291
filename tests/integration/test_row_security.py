"""Row-level security on the read models: a query that forgets its tenant filter still sees
only the caller's tenants, a transaction that never names its tenants sees nothing, the
reading role writes nothing, and a rebuilt projection keeps its policies.

The world: tests/support/two_cities.py."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import sql

from domain.rectification.values import ItemDraft, ItemKind
from domain.rounds.values import Linkage, Period, RoundKind
from infrastructure.feeds.rebuild import find_projection, rebuild
from projections import history, row_security, tracking
from projections.registry import all_projections
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
from tests.support.two_cities import World, seed_two_cities


@pytest.fixture
def world(runtime: Runtime) -> World:
    return seed_two_cities(runtime)


def _session(runtime: Runtime, role: str, tenant: UUID) -> ReadSession:
    return ReadSession(runtime.reads, Acting(role=role, tenant_id=tenant), 5000)


def _column(session: ReadSession, query: str) -> set[Any]:
    """Every first column of `query`, run with no tenant filter of its own."""
    with session.reading() as conn:
        return {row[0] for row in conn.execute(query)}


def _rm_tables(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute(
        "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE 'rm\\_%' "
        "AND relnamespace = 'public'::regnamespace ORDER BY relname"
    ).fetchall()
    return [row[0] for row in rows]


def test_every_read_model_table_is_row_secured_and_only_readable(runtime: Runtime) -> None:
    declared = {t for projection in all_projections() for t in history.all_tables(projection)}
    with runtime.reads.connection() as conn:
        tables = _rm_tables(conn)
        assert set(tables) == declared
        for table in tables:
            secured = conn.execute(
                "SELECT relrowsecurity FROM pg_class WHERE oid = %s::regclass", (table,)
            ).fetchone()
            policies = conn.execute(
                "SELECT cmd, roles FROM pg_policies WHERE tablename = %s", (table,)
            ).fetchall()
            granted = conn.execute(
                "SELECT privilege_type FROM information_schema.role_table_grants "
                "WHERE table_schema = 'public' AND table_name = %s AND grantee = %s",
                (table, row_security.READER),
            ).fetchall()
            assert secured == (True,), table
            assert policies == [("SELECT", [row_security.READER])], table
            assert granted == [("SELECT",)], table  # no INSERT, UPDATE, DELETE, TRUNCATE


def test_a_query_without_a_tenant_filter_sees_only_the_callers_rows(
    runtime: Runtime, world: World
) -> None:
    x1 = _session(runtime, COUNTY_TEAM, world.x1)
    # its own entry, its city's, and the county whose unit its cross round inspects
    assert _column(x1, "SELECT tenant_id FROM rm_tenants") == {world.x1, world.x, world.x2}
    assert _column(x1, "SELECT unit_id FROM rm_units") == world.x1_units | {world.x2_target}
    assert _column(x1, "SELECT round_id FROM rm_rounds") == {world.cross_round}
    assert _column(x1, "SELECT clue_id FROM rm_clues") == {world.x1_clue}

    x2 = _session(runtime, COUNTY_TEAM, world.x2)  # owns the unit the cross round inspects
    assert _column(x2, "SELECT tenant_id FROM rm_tenants") == {world.x2, world.x, world.x1}
    assert _column(x2, "SELECT unit_id FROM rm_units") == {world.x2_target, world.x2_other}
    assert _column(x2, "SELECT round_id FROM rm_rounds") == {world.cross_round}
    assert _column(x2, "SELECT clue_id FROM rm_clues") == {world.x1_clue}

    y = _session(runtime, CITY_OFFICE, world.y)
    assert _column(y, "SELECT tenant_id FROM rm_tenants") == {world.y, world.y1}
    assert _column(y, "SELECT unit_id FROM rm_units") == {world.y1_unit}
    assert _column(y, "SELECT round_id FROM rm_rounds") == set()
    assert _column(y, "SELECT clue_id FROM rm_clues") == {world.y1_clue}

    x = _session(runtime, CITY_OFFICE, world.x)
    assert _column(x, "SELECT clue_id FROM rm_clues") == {world.x1_clue}
    everyone = _session(runtime, ADMIN, DEPLOYMENT_TENANT)
    assert _column(everyone, "SELECT clue_id FROM rm_clues") == {world.x1_clue, world.y1_clue}


def test_a_reader_that_names_no_tenants_sees_nothing(runtime: Runtime, world: World) -> None:
    with runtime.reads.connection() as conn, conn.transaction():
        conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(row_security.READER)))
        for table in _rm_tables(conn):
            if table.startswith("rm_clue_calendar_years"):  # the official calendar is public
                continue
            count = conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()
            assert count == (0,), table


@pytest.mark.parametrize("table", ["xuncha_events", "informant_keys", "projection_tracking"])
def test_the_reading_role_reads_no_event_key_or_bookkeeping(
    runtime: Runtime, world: World, table: str
) -> None:
    session = _session(runtime, ADMIN, DEPLOYMENT_TENANT)
    with pytest.raises(psycopg.errors.InsufficientPrivilege), session.reading() as conn:
        conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))


def test_a_rebuilt_projection_keeps_its_row_security(runtime: Runtime, world: World) -> None:
    x1 = _session(runtime, COUNTY_TEAM, world.x1)
    before = _column(x1, "SELECT unit_id FROM rm_units")

    rebuild(runtime, find_projection(runtime, "directory"))

    after = _session(runtime, COUNTY_TEAM, world.x1)
    assert _column(after, "SELECT unit_id FROM rm_units") == before
    assert _column(after, "SELECT tenant_id FROM rm_tenants") == {world.x1, world.x, world.x2}


def test_the_offices_running_a_round_see_its_feedback_and_figures(
    runtime: Runtime, world: World
) -> None:
    """The cross round is organised by city X; its inspecting county X1 verifies the tasks."""
    runtime.rectification.record_feedback(
        acting=CONSOLE,
        round_id=world.cross_round,
        unit_id=world.x2_target,
        report="巡察反馈意见",
        items=[
            ItemDraft(ItemKind.PROBLEM, "P1", "土地流转收入未入账", category="三资管理"),
            ItemDraft(ItemKind.TASK, "T1", "追缴流转收入并入账", refers_to="P1"),
        ],
        given_on=date(2026, 11, 20),
    )
    runtime.wait_for_projections(runtime.store.max_position())

    for office in (world.x1, world.x2, world.x):
        session = _session(runtime, COUNTY_TEAM if office != world.x else CITY_OFFICE, office)
        assert _column(session, "SELECT round_id FROM rm_feedback") == {world.cross_round}
        assert len(_column(session, "SELECT task_id FROM rm_rectification_tasks")) == 1
        assert len(_column(session, "SELECT task_id FROM rm_stat_tasks")) == 1
    y = _session(runtime, CITY_OFFICE, world.y)
    assert _column(y, "SELECT round_id FROM rm_feedback") == set()
    assert _column(y, "SELECT task_id FROM rm_stat_tasks") == set()


def test_a_county_sees_the_city_round_its_own_round_is_linked_to(
    runtime: Runtime, world: World
) -> None:
    period = Period(date(2027, 3, 1), date(2027, 5, 31))
    parent = runtime.rounds.plan_round(
        tenant_id=world.x,
        kind=RoundKind.REGULAR,
        linkage=Linkage.LINKED,
        title="联动巡察",
        period=period,
        target_unit_ids=[world.x2_other],
        acting=CONSOLE,
    ).id
    child = runtime.rounds.plan_round(
        acting=Acting(role=COUNTY_TEAM, tenant_id=world.x1),
        tenant_id=world.x1,
        kind=RoundKind.REGULAR,
        linkage=Linkage.LINKED,
        title="联动巡察（X1）",
        period=period,
        target_unit_ids=sorted(world.x1_units, key=str)[:1],
        parent_round_id=parent,
    ).id
    runtime.wait_for_projections(runtime.store.max_position())

    x1 = _session(runtime, COUNTY_TEAM, world.x1)
    assert _column(x1, "SELECT round_id FROM rm_rounds") == {world.cross_round, parent, child}
    y = _session(runtime, CITY_OFFICE, world.y)
    assert _column(y, "SELECT round_id FROM rm_rounds") == set()


def test_starting_again_leaves_the_policies_as_they_are(runtime: Runtime) -> None:
    """A restart re-creates no policy (which would lock every live read-model table)."""
    policies = "SELECT polrelid::regclass::text, oid FROM pg_policy ORDER BY 1"
    with runtime.reads.connection() as conn:
        before = conn.execute(policies).fetchall()
        tracking.install(conn, all_projections())
        after = conn.execute(policies).fetchall()
    assert after == before
    assert len(before) == len({t for p in all_projections() for t in history.all_tables(p)})
