"""A small world for the documents tests, built through the services as the console: the city
济南市委巡察办 and its county 历下区委巡察办 (and 槐荫区委巡察办 beside it), a village of 历下,
a round of 历下 that inspected it with its feedback (one problem, one task), and clues of 历下
about the village: one only registered, one transferred to 历下's discipline commission and
supervised (督办通知)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from domain.clues.values import (
    ClueSource,
    HandlingBody,
    PersonConcerned,
    PriorityClass,
    SupervisionStep,
)
from domain.rectification.feedback import feedback_id_for
from domain.rectification.values import ItemDraft, ItemKind
from domain.rounds.values import Linkage, Period, RoundKind
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType
from services.authorization import CONSOLE
from services.clock import today_in_china
from services.runtime import Runtime

CITY_NAME = "济南市委巡察办"
COUNTY_NAME = "历下区委巡察办"
OTHER_COUNTY_NAME = "槐荫区委巡察办"


@dataclass(frozen=True)
class DocumentWorld:
    city: UUID
    county: UUID
    other_county: UUID
    village: UUID
    round_id: UUID
    feedback: UUID
    registered_clue: UUID
    transferred_clue: UUID
    today: date


def build_world(runtime: Runtime) -> DocumentWorld:
    tenants = runtime.tenants
    city = tenants.register_tenant(
        code="3701", name=CITY_NAME, level=TenantLevel.CITY, parent_id=None, acting=CONSOLE
    ).id
    county, other = (
        tenants.register_tenant(
            code=code, name=name, level=TenantLevel.COUNTY, parent_id=city, acting=CONSOLE
        ).id
        for code, name in (("370102", COUNTY_NAME), ("370104", OTHER_COUNTY_NAME))
    )
    village = tenants.register_unit(
        tenant_id=county,
        code="V1",
        name="东八里村",
        unit_type=UnitType.VILLAGE,
        parent_id=None,
        acting=CONSOLE,
    ).id
    today = today_in_china()
    start = today - timedelta(days=90)
    round_id = runtime.rounds.plan_round(
        tenant_id=county,
        kind=RoundKind.REGULAR,
        linkage=Linkage.STANDALONE,
        title="2026年第一轮巡察",
        period=Period(start, start + timedelta(days=30)),
        target_unit_ids=[village],
        acting=CONSOLE,
    ).id
    runtime.rectification.record_feedback(
        acting=CONSOLE,
        round_id=round_id,
        unit_id=village,
        report="巡察组进驻期间，听取了村党支部工作汇报。",
        given_on=start + timedelta(days=40),
        items=[
            ItemDraft(
                kind=ItemKind.PROBLEM, key="P1", text="土地流转收入未入账", category="三资管理"
            ),
            ItemDraft(kind=ItemKind.TASK, key="T1", text="追缴流转收入并入账", refers_to="P1"),
            ItemDraft(
                kind=ItemKind.RESPONSIBILITY,
                key="R1",
                text="村党支部书记负总责",
                refers_to="T1",
                responsible_leader="王书记",
                responsible_department="村委会",
                deadline=start + timedelta(days=80),
            ),
        ],
    )
    return DocumentWorld(
        city=city,
        county=county,
        other_county=other,
        village=village,
        round_id=round_id,
        feedback=feedback_id_for(round_id, village),
        registered_clue=_clue(runtime, county, village, round_id),
        transferred_clue=_transferred_clue(runtime, county, village, round_id, receiver=county),
        today=today,
    )


def _clue(runtime: Runtime, county: UUID, village: UUID, round_id: UUID) -> UUID:
    return runtime.clues.register_clue(
        tenant_id=county,
        unit_id=village,
        round_id=round_id,
        source=ClueSource.PETITION,
        category="三资管理",
        summary="村委会主任违规发包集体土地",
        persons_concerned=[PersonConcerned(role="村委会主任", name="李某")],
        amount_involved=Decimal("120000"),
        acting=CONSOLE,
    ).id


def transferred_to(runtime: Runtime, world: DocumentWorld, receiver: UUID) -> UUID:
    """Another clue of the world's county, transferred to `receiver` (交叉办理 when it is
    another county)."""
    return _transferred_clue(runtime, world.county, world.village, world.round_id, receiver)


def _transferred_clue(
    runtime: Runtime, county: UUID, village: UUID, round_id: UUID, receiver: UUID
) -> UUID:
    clue_id = _clue(runtime, county, village, round_id)
    clues = runtime.clues
    clues.triage_clue(clue_id, priority=PriorityClass.KEY, proposed_route="移交", acting=CONSOLE)
    clues.transfer_clue(
        clue_id,
        body=HandlingBody.DISCIPLINE_COMMISSION,
        receiving_tenant_id=receiver,
        due_date=today_in_china() + timedelta(days=60),
        acting=CONSOLE,
    )
    clues.supervise_clue(clue_id, step=SupervisionStep.SUPERVISION_NOTICE, acting=CONSOLE)
    return clue_id
