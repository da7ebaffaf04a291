"""Row-level security on the read models: a query that forgets its tenant filter still sees
only the caller's tenants, a transaction that never names its tenants sees nothing, the
reading role writes nothing, and a rebuilt projection keeps its policies.

The world: city X with counties X1 and X2, where X1 inspects X2's unit `x2_target` in a cross
round and registers a clue about it; city Y with county Y1 and a clue of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import sql

from domain.clues.values import ClueSource, PersonConcerned
from domain.rounds.values import Linkage, Period, RoundKind
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType
from projections import row_security
from projections.registry import all_projections
from services.authorization import ADMIN, CITY_OFFICE, COUNTY_TEAM, DEPLOYMENT_TENANT, Acting
from services.reads import ReadSession
from services.rebuild import find_projection, rebuild
from services.runtime import Runtime


@dataclass(frozen=True)
class World:
    x: UUID
    x1: UUID
    x2: UUID
    y: UUID
    y1: UUID
    x1_units: frozenset[UUID]
    x2_target: UUID
    x2_other: UUID
    y1_unit: UUID
    cross_round: UUID
    x1_clue: UUID
    y1_clue: UUID


def _office(runtime: Runtime, code: str, parent: UUID | None) -> UUID:
    level = TenantLevel.CITY if parent is None else TenantLevel.COUNTY
    return runtime.tenants.register_tenant(
        code=code, name=f"{code}办", level=level, parent_id=parent
    ).id


def _village(runtime: Runtime, county: UUID, code: str) -> UUID:
    return runtime.tenants.register_unit(
        tenant_id=county, code=code, name=f"{code}村", unit_type=UnitType.VILLAGE, parent_id=None
    ).id


def _clue(runtime: Runtime, office: UUID, unit: UUID, round_id: UUID | None) -> UUID:
    return runtime.clues.register_clue(
        tenant_id=office,
        unit_id=unit,
        round_id=round_id,
        source=ClueSource.FIELD_VISIT,
        category="三资管理",
        summary="村集体收入未入账",
        persons_concerned=[PersonConcerned(role="村党支部书记", name="某甲")],
        amount_involved=None,
    ).id


@pytest.fixture
def world(runtime: Runtime) -> World:
    x = _office(runtime, "RLS-X", None)
    x1, x2 = _office(runtime, "RLS-X1", x), _office(runtime, "RLS-X2", x)
    y = _office(runtime, "RLS-Y", None)
    y1 = _office(runtime, "RLS-Y1", y)
    x1_units = frozenset(_village(runtime, x1, f"X1-V{i}") for i in range(3))
    x2_target, x2_other = _village(runtime, x2, "X2-V1"), _village(runtime, x2, "X2-V2")
    y1_unit = _village(runtime, y1, "Y1-V1")
    cross = runtime.rounds.plan_round(
        tenant_id=x,
        kind=RoundKind.REGULAR,
        linkage=Linkage.CROSS,
        title="交叉巡察",
        period=Period(date(2026, 9, 1), date(2026, 11, 30)),
        target_unit_ids=[x2_target],
        inspecting_county_id=x1,
        owning_county_id=x2,
    )
    x1_clue = _clue(runtime, x1, x2_target, cross.id)
    y1_clue = _clue(runtime, y1, y1_unit, None)
    runtime.wait_for_projections(runtime.store.max_position())
    return World(
        x, x1, x2, y, y1, x1_units, x2_target, x2_other, y1_unit, cross.id, x1_clue, y1_clue
    )


def _session(runtime: Runtime, role: str, tenant: UUID) -> ReadSession:
    return ReadSession(runtime.reads, Acting(role=role, tenant_id=tenant), 5000)


def _column(session: ReadSession, query: str) -> set[Any]:
    """Every first column of `query`, run with no tenant filter of its own."""
    with session.reading() as conn:
        return {row[0] for row in conn.execute(query)}  # type: ignore[call-overload]


def _rm_tables(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute(
        "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE 'rm\\_%' "
        "AND relnamespace = 'public'::regnamespace ORDER BY relname"
    ).fetchall()
    return [row[0] for row in rows]


def test_every_read_model_table_is_row_secured_and_only_readable(runtime: Runtime) -> None:
    declared = {table for projection in all_projections() for table in projection.tables}
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
                "WHERE table_name = %s AND grantee = %s",
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
            if table == "rm_clue_calendar_years":  # the official calendar is public
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
