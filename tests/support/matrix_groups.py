"""Inputs of the authorization matrix for inspection groups and cross batches inside an
office (tests/support/matrix_writes.py): each made of new townships, villages, cadres and
groups of the target county, through the services."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.groups.group import GroupKind
from domain.tenants.unit import UnitType
from services.authorization import CONSOLE
from services.groups import StaffIds
from tests.support.matrix_world import CODES, NAMES, World

Input = dict[str, Any]


def _cadre(world: World, county: str) -> UUID:
    return world.runtime.inspectors.register_inspector(
        home_tenant_id=world.id(county),
        name=f"组员{world.n()}",
        postings=[],
        relations=[],
        acting=CONSOLE,
    ).id


def _unit(world: World, county: str, unit_type: UnitType, parent: UUID | None = None) -> UUID:
    n = world.n()
    return world.runtime.tenants.register_unit(
        tenant_id=world.id(county),
        code=f"{CODES[county]}-G{n}",
        name=f"{NAMES[county]}单位{n}",
        unit_type=unit_type,
        parent_id=parent,
        acting=CONSOLE,
    ).id


def form_group(world: World, county: str) -> Input:
    """A supervisory group of the county, led by a new cadre of it."""
    return {
        "tenantId": world.ids[county],
        "name": f"督导组{world.n()}",
        "kind": "SUPERVISORY",
        "leaderId": str(_cadre(world, county)),
    }


def _group(
    world: World, county: str, township: UUID | None = None, kind: GroupKind | None = None
) -> UUID:
    return world.runtime.groups.form_group(
        tenant_id=world.id(county),
        name=f"巡察组{world.n()}",
        kind=kind or (GroupKind.EXTENSION if township else GroupKind.SUPERVISORY),
        staff=StaffIds(_cadre(world, county)),
        home_township_id=township,
        acting=CONSOLE,
    ).id


def change_members(world: World, county: str) -> Input:
    return {
        "groupId": str(_group(world, county)),
        "leaderId": str(_cadre(world, county)),
        "reason": "人员调整",
    }


def township_batch(world: World, county: str) -> Input:
    """Three new townships of the county, a village and a group of each, in a ROTATION."""
    townships = []
    for _ in range(3):
        township = _unit(world, county, UnitType.TOWNSHIP)
        village = _unit(world, county, UnitType.VILLAGE, township)
        townships.append(
            {
                "townshipId": str(township),
                "groupId": str(_group(world, county, township)),
                "targets": [{"unitId": str(village), "reasons": ["WEAK_AND_LAX"]}],
            }
        )
    return {
        "tenantId": world.ids[county],
        "mode": "ROTATION",
        "kind": "REGULAR",
        "title": "推磨式交叉巡察",
        "periodStart": world.period.start.isoformat(),
        "periodEnd": world.period.end.isoformat(),
        "townships": townships,
    }


def guidance_visit(world: World, county: str) -> Input:
    """A guidance group of the county visits the village of a new round of the county."""
    round_id, village = world.round(county)
    return {
        "groupId": str(_group(world, county, kind=GroupKind.GUIDANCE)),
        "roundId": str(round_id),
        "unitId": str(village),
        "startedOn": world.period.start.isoformat(),
        "endedOn": world.period.start.isoformat(),
        "suggestions": ["健全村务公开制度"],
    }


def define_zone(world: World, county: str) -> Input:
    """A zone of two new townships of the county."""
    return {
        "tenantId": world.ids[county],
        "name": f"片区{world.n()}",
        "memberIds": [str(_unit(world, county, UnitType.TOWNSHIP)) for _ in range(2)],
    }
