"""The inspection groups view and the crossing of rounds in the round view, on real
PostgreSQL: what the live feed builds, what a reader of each office sees through row-level
security, the filters by group, township and selection reason, and a rebuild giving the same
rows."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from psycopg import Connection

from domain.groups.group import GroupKind
from domain.rounds.values import CrossMode, Period, RoundKind, SelectionReason
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType
from infrastructure.feeds.rebuild import find_projection, rebuild
from projections import groups, rounds_read
from projections.groups import GroupsView
from projections.rounds_read import CrossingFilter, RoundFilter
from services.authorization import CONSOLE, COUNTY_TEAM, Acting
from services.groups import StaffIds
from services.reads import ReadSession
from services.runtime import Runtime
from services.township_cross import ChosenVillage, TownshipTargets

SPRING = Period(date(2026, 5, 6), date(2026, 6, 5))


def _office(runtime: Runtime, code: str, city: UUID) -> UUID:
    return runtime.tenants.register_tenant(
        code=code, name=f"{code}区", level=TenantLevel.COUNTY, parent_id=city, acting=CONSOLE
    ).id


def _unit(runtime: Runtime, office: UUID, code: str, kind: UnitType, parent: UUID | None) -> UUID:
    return runtime.tenants.register_unit(
        tenant_id=office, code=code, name=code, unit_type=kind, parent_id=parent, acting=CONSOLE
    ).id


def _cadre(runtime: Runtime, office: UUID, name: str) -> UUID:
    return runtime.inspectors.register_inspector(
        home_tenant_id=office, name=name, postings=[], relations=[], acting=CONSOLE
    ).id


@pytest.fixture
def hanjiang(runtime: Runtime) -> dict[str, Any]:
    """Three townships of a district, a village each, an extension group from each."""
    city = runtime.tenants.register_tenant(
        code="4290", name="示范市", level=TenantLevel.CITY, parent_id=None, acting=CONSOLE
    ).id
    office = _office(runtime, "429004", city)
    neighbour = _office(runtime, "429005", city)
    parts = []
    for i in (1, 2, 3):
        township = _unit(runtime, office, f"T{i}", UnitType.TOWNSHIP, None)
        village = _unit(runtime, office, f"T{i}V1", UnitType.VILLAGE, township)
        group = runtime.groups.form_group(
            tenant_id=office,
            name=f"第{i}组",
            kind=GroupKind.EXTENSION,
            staff=StaffIds(_cadre(runtime, office, f"组长{i}")),
            home_township_id=township,
            acting=CONSOLE,
        ).id
        parts.append({"township": township, "village": village, "group": group})
    return {"city": city, "office": office, "neighbour": neighbour, "parts": parts}


def _plan(runtime: Runtime, world: dict[str, Any]) -> UUID:
    reasons = [(SelectionReason.CONFLICT_RIDDEN,), (), (SelectionReason.HARD_ELECTION,)]
    return runtime.township_cross.plan_township_cross_batch(
        tenant_id=world["office"],
        mode=CrossMode.ROTATION,
        kind=RoundKind.REGULAR,
        title="延伸巡察",
        period=SPRING,
        townships=[
            TownshipTargets(p["township"], p["group"], [ChosenVillage(p["village"], why)])
            for p, why in zip(world["parts"], reasons, strict=True)
        ],
        acting=CONSOLE,
    ).batch_id


def _reading(runtime: Runtime, office: UUID) -> ReadSession:
    runtime.wait_for_projections(runtime.store.max_position())
    return ReadSession(runtime.reads, Acting(role=COUNTY_TEAM, tenant_id=office), 5000)


def _groups(conn: Connection[Any], office: UUID) -> list[groups.GroupRow]:
    page = groups.groups_page(conn, groups.GroupFilter(office), first=50, after=None)
    return [row for _, row in page.items]


def test_the_office_sees_its_groups_as_they_stand_and_another_county_none(
    runtime: Runtime, hanjiang: dict[str, Any]
) -> None:
    first = hanjiang["parts"][0]
    newcomer = _cadre(runtime, hanjiang["office"], "新组员")
    leader = _cadre(runtime, hanjiang["office"], "新组长")
    runtime.groups.change_group_members(
        group_id=first["group"],
        staff=StaffIds(leader, member_ids=(newcomer,)),
        reason="调整",
        acting=CONSOLE,
    )
    with _reading(runtime, hanjiang["office"]).reading() as conn:
        rows = _groups(conn, hanjiang["office"])
    assert [r.name for r in rows] == ["第1组", "第2组", "第3组"]
    assert (rows[0].leader_ids, rows[0].member_ids, rows[0].version) == ([leader], [newcomer], 2)
    assert rows[0].home_township_id == first["township"]
    with _reading(runtime, hanjiang["neighbour"]).reading() as conn:
        assert _groups(conn, hanjiang["office"]) == []


def _page(conn: Connection[Any], office: UUID, **filters: Any) -> list[rounds_read.RoundView]:
    crossing = CrossingFilter(**{k: v for k, v in filters.items() if k != "reason"})
    page = rounds_read.township_cross_page(
        conn,
        tenant_id=office,
        crossing=crossing,
        filters=RoundFilter(selection_reason=filters.get("reason")),
        first=50,
        after=None,
        today=SPRING.start,
    )
    return [view for _, view in page.items]


def test_rounds_show_group_and_township_and_filter_by_them_and_by_reason(
    runtime: Runtime, hanjiang: dict[str, Any]
) -> None:
    batch_id = _plan(runtime, hanjiang)
    one, two, three = hanjiang["parts"]
    office = hanjiang["office"]
    with _reading(runtime, office).reading() as conn:
        every = _page(conn, office, batch_id=batch_id)
        crossings = {
            (v.row.crossing or {})["inspecting_group_id"]: (v.row.crossing or {}) for v in every
        }
        assert crossings[str(one["group"])]["owning_township_id"] == str(two["township"])
        assert crossings[str(three["group"])]["owning_township_id"] == str(one["township"])
        by_group = _page(conn, office, group_id=two["group"])
        assert [v.row.owner_of() for v in by_group] == [{three["village"]: office}]
        by_township = _page(conn, office, township_id=one["township"])
        assert [v.row.reasons_of() for v in by_township] == [{one["village"]: ["CONFLICT_RIDDEN"]}]
        conflict = _page(conn, office, reason="CONFLICT_RIDDEN")
        assert [v.row.round_id for v in conflict] == [v.row.round_id for v in by_township]
        assert _page(conn, office, reason="WEAK_AND_LAX") == []
    with _reading(runtime, hanjiang["neighbour"]).reading() as conn:
        assert _page(conn, office) == []


def test_a_rebuild_of_the_groups_view_gives_the_rows_the_feed_built(
    runtime: Runtime, hanjiang: dict[str, Any]
) -> None:
    with _reading(runtime, hanjiang["office"]).reading() as conn:
        live = _groups(conn, hanjiang["office"])
    rebuilt = rebuild(runtime, find_projection(runtime, GroupsView.name))
    assert rebuilt.position == runtime.store.max_position()
    with _reading(runtime, hanjiang["office"]).reading() as conn:
        assert _groups(conn, hanjiang["office"]) == live
