"""The small world of the authorization matrix (tests/e2e/test_authorization_matrix.py) and
the fresh objects its writes are tried on, all made through the services as the console.

Cities A and B with counties A1, A2, B1, B2. Each county has a village, a cadre, a round that
gave the village feedback, and a clue. They have a past: the round was planned and the clue
registered before `World.moment`, then the round moved to PREPARING and the clue's summary
was corrected; each county was renamed on `RENAMED_ON`. Codes and names carry markers
(`JIA`/甲 for A, `YI`/乙 for B; letters that no UUID contains) so an error message that names
another tenant's office is easy to spot."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from domain.audit.report import ReportKind
from domain.clues.values import (
    ClueSource,
    CorrectableField,
    HandlingBody,
    InformantIdentity,
    PriorityClass,
)
from domain.rectification.feedback import feedback_id_for, item_id_for
from domain.rectification.values import ItemDraft, ItemKind
from domain.rounds.values import Linkage, Period, PetitionChannel, Phase, RoundKind
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType
from services.authorization import CONSOLE
from services.clock import today_in_china
from services.runtime import Runtime

PARENT = {"A": "A", "B": "B", "A1": "A", "A2": "A", "B1": "B", "B2": "B"}
CODES = {
    "A": "JIA-CITY",
    "A1": "JIA-1",
    "A2": "JIA-2",
    "B": "YI-CITY",
    "B1": "YI-1",
    "B2": "YI-2",
}
NAMES = {"A": "甲市", "A1": "甲一县", "A2": "甲二县", "B": "乙市", "B1": "乙一县", "B2": "乙二县"}
RENAMED_ON = date(2025, 1, 1)  # every county was renamed 县 → 区 on this day
BEFORE_RENAMING = date(2024, 6, 1)
SUMMARY_THEN = "反映村干部优亲厚友"
SUMMARY_NOW = "反映村干部优亲厚友（已更正）"


@dataclass
class World:
    runtime: Runtime
    ids: dict[str, str]  # A, B, A1…B2, and per county "<county>.unit|round|clue|inspector"
    moment: datetime  # after each round was planned and each clue registered, before changes
    today: date
    serial: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def id(self, key: str) -> UUID:
        return UUID(self.ids[key])

    def n(self) -> int:
        return next(self.serial)

    # -- fresh objects ----------------------------------------------------------------------

    def county(self, city: str) -> UUID:
        """A new county of `city`, with no units."""
        n = self.n()
        return self.runtime.tenants.register_tenant(
            code=f"{CODES[city]}-F{n}",
            name=f"{NAMES[city]}新县{n}",
            level=TenantLevel.COUNTY,
            parent_id=self.id(city),
            acting=CONSOLE,
        ).id

    def unit(
        self, county: str, owner: UUID | None = None, unit_type: UnitType = UnitType.VILLAGE
    ) -> UUID:
        n = self.n()
        return self.runtime.tenants.register_unit(
            tenant_id=owner or self.id(county),
            code=f"{CODES[county]}-N{n}",
            name=f"{NAMES[county]}新{'村' if unit_type is UnitType.VILLAGE else '单位'}{n}",
            unit_type=unit_type,
            parent_id=None,
            acting=CONSOLE,
        ).id

    @property
    def period(self) -> Period:
        """A round period well before today, so feedback and work on it are in the past."""
        return Period(self.today - timedelta(days=150), self.today - timedelta(days=90))

    def round(self, county: str) -> tuple[UUID, UUID]:
        """A new STANDALONE round of `county` on a new village: (round, village)."""
        village = self.unit(county)
        planned = self.runtime.rounds.plan_round(
            tenant_id=self.id(county),
            kind=RoundKind.REGULAR,
            linkage=Linkage.STANDALONE,
            title="矩阵巡察",
            period=self.period,
            target_unit_ids=[village],
            acting=CONSOLE,
        )
        return planned.id, village

    def channel_opened(self, county: str) -> UUID:
        round_id, _ = self.round(county)
        self.runtime.rounds.open_petition_channel(
            round_id=round_id,
            channel=PetitionChannel.HOTLINE,
            on=self.period.start,
            address="0531-12345678",
            closes_on=self.period.end,
            acting=CONSOLE,
        )
        return round_id

    def inspector(self, county: str) -> UUID:
        """A new cadre of the county's city: a city's cadres may inspect its own counties."""
        return self.runtime.inspectors.register_inspector(
            home_tenant_id=self.id(PARENT[county]),
            name=f"巡察干部{self.n()}",
            postings=[],
            relations=[],
            acting=CONSOLE,
        ).id

    def task(self, county: str, *, done: bool = False, verified: bool = False) -> UUID:
        """A new rectification task of a new round of `county`, OPEN, DONE or VERIFIED."""
        round_id, village = self.round(county)
        items = [
            ItemDraft(ItemKind.PROBLEM, "P1", "三会一课不规范", category="党组织建设"),
            ItemDraft(ItemKind.TASK, "T1", "建立组织生活台账", refers_to="P1"),
        ]
        rectification = self.runtime.rectification
        rectification.record_feedback(
            acting=CONSOLE,
            round_id=round_id,
            unit_id=village,
            report="巡察反馈意见",
            items=items,
            given_on=self.today - timedelta(days=60),
        )
        task_id = item_id_for(feedback_id_for(round_id, village), "T1")
        if done or verified:
            rectification.report_task_done(
                acting=CONSOLE,
                task_id=task_id,
                evidence="组织生活台账",
                done_on=self.today - timedelta(days=30),
            )
        if verified:
            rectification.verify_task(
                acting=CONSOLE, task_id=task_id, verified_on=self.today - timedelta(days=20)
            )
        return task_id

    def problems_of_two_villages(self, county: str) -> tuple[UUID, list[tuple[UUID, UUID]]]:
        """A new round of `county` on two new villages, each given feedback with problem P1:
        (round, [(feedback, problem)])."""
        villages = [self.unit(county), self.unit(county)]
        round_id = self.runtime.rounds.plan_round(
            tenant_id=self.id(county),
            kind=RoundKind.REGULAR,
            linkage=Linkage.STANDALONE,
            title="矩阵巡察",
            period=self.period,
            target_unit_ids=villages,
            acting=CONSOLE,
        ).id
        found = []
        for village in villages:
            feedback = self.runtime.rectification.record_feedback(
                acting=CONSOLE,
                round_id=round_id,
                unit_id=village,
                report="巡察反馈意见",
                items=[
                    ItemDraft(ItemKind.PROBLEM, "P1", "集体资产台账不全", category="三资管理"),
                    ItemDraft(ItemKind.TASK, "T1", "补登资产台账", refers_to="P1"),
                ],
                given_on=self.today - timedelta(days=60),
            ).id
            found.append((feedback, item_id_for(feedback, "P1")))
        return round_id, found

    def department(self, county: str) -> UUID:
        """A new line department (职能部门) of `county`."""
        return self.unit(county, unit_type=UnitType.DEPARTMENT)

    def clue(self, county: str, stage: str = "REGISTERED", *, informant: bool = False) -> UUID:
        """A new clue of `county` about its village, taken to `stage` (REGISTERED, TRIAGED,
        TRANSFERRED to the county itself, or ACCEPTED)."""
        clues = self.runtime.clues
        clue_id = clues.register_clue(
            tenant_id=self.id(county),
            unit_id=self.id(f"{county}.unit"),
            round_id=None,
            source=ClueSource.HOTLINE,
            category="作风问题",
            summary=f"反映问题{self.n()}",
            persons_concerned=[],
            amount_involved=None,
            informant=InformantIdentity("王某", "13800000000") if informant else None,
            acting=CONSOLE,
        ).id
        steps = ("TRIAGED", "TRANSFERRED", "ACCEPTED")
        reached = steps[: steps.index(stage) + 1] if stage in steps else ()
        if "TRIAGED" in reached:
            clues.triage_clue(
                clue_id, priority=PriorityClass.KEY, proposed_route="移交纪委监委", acting=CONSOLE
            )
        if "TRANSFERRED" in reached:
            clues.transfer_clue(
                clue_id,
                body=HandlingBody.DISCIPLINE_COMMISSION,
                receiving_tenant_id=self.id(county),
                due_date=self.today + timedelta(days=60),
                acting=CONSOLE,
            )
        if "ACCEPTED" in reached:
            clues.accept_clue(clue_id, acting=CONSOLE)
        return clue_id


# -- the world ------------------------------------------------------------------------------


def seed(runtime: Runtime) -> World:
    """The offices, and per county a village, a round with a feedback, a cadre, and a clue
    (see above)."""
    tenants = runtime.tenants
    ids: dict[str, str] = {}
    for city in ("A", "B"):
        ids[city] = str(
            tenants.register_tenant(
                code=CODES[city],
                name=NAMES[city],
                level=TenantLevel.CITY,
                parent_id=None,
                acting=CONSOLE,
            ).id
        )
    world = World(runtime, ids, moment=datetime.now(UTC), today=today_in_china())
    counties = ("A1", "A2", "B1", "B2")
    for county in counties:
        ids[county] = str(
            tenants.register_tenant(
                code=CODES[county],
                name=NAMES[county],
                level=TenantLevel.COUNTY,
                parent_id=world.id(PARENT[county]),
                acting=CONSOLE,
            ).id
        )
        ids[f"{county}.unit"] = str(
            tenants.register_unit(
                tenant_id=world.id(county),
                code=f"{CODES[county]}-V1",
                name=f"{NAMES[county]}一村",
                unit_type=UnitType.VILLAGE,
                parent_id=None,
                acting=CONSOLE,
            ).id
        )
        ids[f"{county}.round"] = str(
            runtime.rounds.plan_round(
                tenant_id=world.id(county),
                kind=RoundKind.REGULAR,
                linkage=Linkage.STANDALONE,
                title="第一轮巡察",
                period=world.period,
                target_unit_ids=[world.id(f"{county}.unit")],
                acting=CONSOLE,
            ).id
        )
        ids[f"{county}.clue"] = str(
            runtime.clues.register_clue(
                tenant_id=world.id(county),
                unit_id=world.id(f"{county}.unit"),
                round_id=None,
                source=ClueSource.HOTLINE,
                category="作风问题",
                summary=SUMMARY_THEN,
                persons_concerned=[],
                amount_involved=None,
                acting=CONSOLE,
            ).id
        )
        ids[f"{county}.inspector"] = str(
            runtime.inspectors.register_inspector(
                home_tenant_id=world.id(county),
                name=f"{NAMES[county]}干部",
                postings=[],
                relations=[],
                acting=CONSOLE,
            ).id
        )
        runtime.rectification.record_feedback(
            acting=CONSOLE,
            round_id=world.id(f"{county}.round"),
            unit_id=world.id(f"{county}.unit"),
            report="巡察反馈意见",
            items=[
                ItemDraft(ItemKind.PROBLEM, "P1", "三会一课不规范", category="党组织建设"),
                ItemDraft(ItemKind.TASK, "T1", "建立组织生活台账", refers_to="P1"),
            ],
            given_on=world.period.end,
        )
    world.moment = datetime.now(UTC)
    for county in counties:
        tenants.rename_county(
            acting=CONSOLE,
            county_id=world.id(county),
            name=NAMES[county].replace("县", "区"),
            effective_on=RENAMED_ON,
            reason="撤县设区",
        )
        runtime.rounds.advance_round_phase(
            round_id=world.id(f"{county}.round"),
            phase=Phase.PREPARING,
            on=world.period.start,
            acting=CONSOLE,
        )
        runtime.clues.correct_clue(
            world.id(f"{county}.clue"),
            field=CorrectableField.SUMMARY,
            new_value=SUMMARY_NOW,
            reason="核实后更正",
            acting=CONSOLE,
        )
    runtime.wait_for_projections(runtime.store.max_position())
    for county in counties:
        ids[f"{county}.report"] = str(
            runtime.reports.issue_report(
                acting=CONSOLE, tenant_id=world.id(county), kind=ReportKind.STATISTICS
            ).id
        )
    return world
