"""Two cities for isolation tests: city X with counties X1 and X2, where X1 inspects X2's unit
`x2_target` in a cross round and registers a clue about it; city Y with county Y1, a unit and a
clue of its own. Codes and names carry the marker `RLS-` so a leak is easy to spot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.clues.values import ClueSource, PersonConcerned
from domain.rounds.values import Linkage, Period, RoundKind
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType
from services.authorization import CONSOLE, Acting
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
        code=code, name=f"{code}办", level=level, parent_id=parent, acting=CONSOLE
    ).id


def _village(runtime: Runtime, county: UUID, code: str) -> UUID:
    return runtime.tenants.register_unit(
        tenant_id=county,
        code=code,
        name=f"{code}村",
        unit_type=UnitType.VILLAGE,
        parent_id=None,
        acting=CONSOLE,
    ).id


def register_clue(
    runtime: Runtime,
    office: UUID,
    unit: UUID,
    round_id: UUID | None,
    acting: Acting = CONSOLE,
) -> UUID:
    return runtime.clues.register_clue(
        acting=acting,
        tenant_id=office,
        unit_id=unit,
        round_id=round_id,
        source=ClueSource.FIELD_VISIT,
        category="三资管理",
        summary="村集体收入未入账",
        persons_concerned=[PersonConcerned(role="村党支部书记", name="某甲")],
        amount_involved=None,
    ).id


def seed_two_cities(runtime: Runtime) -> World:
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
        acting=CONSOLE,
    )
    x1_clue = register_clue(runtime, x1, x2_target, cross.id)
    y1_clue = register_clue(runtime, y1, y1_unit, None)
    runtime.wait_for_projections(runtime.store.max_position())
    return World(
        x, x1, x2, y, y1, x1_units, x2_target, x2_other, y1_unit, cross.id, x1_clue, y1_clue
    )
