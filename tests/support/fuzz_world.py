"""Two cities for the fuzzing tests, seeded through the services as the console would.

City A is where the fuzzed callers work: its ids are fed to the fuzzers so that generated
commands reach the domain rules. City B is someone else's: it has the same kinds of things
(a county, villages, a round with a team, a clue, a feedback with problems and tasks), but no
id of it is ever given to a fuzzer, and every name, code, title, summary and text it has
carries `LEAK_MARKER`, so any answer that shows B's data to A's callers can be recognised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.clues.values import ClueSource, PersonConcerned
from domain.inspectors.inspector import Posting
from domain.rectification.feedback import item_id_for
from domain.rectification.values import ItemDraft, ItemKind
from domain.rounds.values import Linkage, Period, RoundKind, TeamRole
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType
from services.authorization import CONSOLE
from services.runtime import Runtime

LEAK_MARKER = "LEAKCHECK-B"  # ASCII, so JSON never escapes it


@dataclass(frozen=True)
class City:
    """One seeded city: its offices and what its county registered."""

    label: str
    city: UUID
    county: UUID
    villages: tuple[UUID, ...]
    round: UUID
    inspector: UUID
    clue: UUID
    feedback: UUID
    problem: UUID
    task: UUID

    @property
    def ids(self) -> tuple[UUID, ...]:
        return (
            self.city,
            self.county,
            *self.villages,
            self.round,
            self.inspector,
            self.clue,
            self.feedback,
            self.problem,
            self.task,
        )


def seed_city(runtime: Runtime, label: str) -> City:
    """A city `label`, its county `label`-1 with two villages, a thematic round of the county
    on the first village led by one of the city's inspectors, a clue found in that round, and
    the round's feedback to the village (one problem, one task, one responsibility). Every
    name, code, title and text names `label`."""
    tenants = runtime.tenants
    city = tenants.register_tenant(
        code=label, name=f"{label} 市", level=TenantLevel.CITY, parent_id=None, acting=CONSOLE
    ).id
    county = tenants.register_tenant(
        code=f"{label}-1",
        name=f"{label} 县",
        level=TenantLevel.COUNTY,
        parent_id=city,
        acting=CONSOLE,
    ).id
    villages = tuple(
        tenants.register_unit(
            tenant_id=county,
            code=f"{label}-V{n}",
            name=f"{label} 第{n}村",
            unit_type=UnitType.VILLAGE,
            parent_id=None,
            acting=CONSOLE,
        ).id
        for n in (1, 2)
    )
    round_id = runtime.rounds.plan_round(
        tenant_id=county,
        kind=RoundKind.THEMATIC,
        linkage=Linkage.STANDALONE,
        title=f"{label} 2026年第一轮巡察",
        theme=f"{label} 三资管理专项",
        period=Period(date(2026, 5, 1), date(2026, 6, 5)),
        target_unit_ids=[villages[0]],
        acting=CONSOLE,
    ).id
    inspector = runtime.inspectors.register_inspector(
        home_tenant_id=city,  # a county's own cadres recuse from its units (home area)
        name=f"{label} 巡察员",
        postings=[Posting(unit_id=villages[1], start=date(2020, 1, 1))],
        relations=[],
        acting=CONSOLE,
    ).id
    runtime.rounds.assign_inspector(
        round_id=round_id, inspector_id=inspector, role=TeamRole.LEADER, acting=CONSOLE
    )
    clue = runtime.clues.register_clue(
        tenant_id=county,
        unit_id=villages[0],
        round_id=round_id,
        source=ClueSource.FIELD_VISIT,
        category="三资管理",
        summary=f"{label} 村集体收入未入账",
        persons_concerned=[PersonConcerned(role=f"{label} 村党支部书记", name=f"{label} 某甲")],
        amount_involved=None,
        acting=CONSOLE,
    ).id
    feedback = _feedback(runtime, label, round_id, villages[0])
    runtime.wait_for_projections(runtime.store.max_position())
    return City(
        label=label,
        city=city,
        county=county,
        villages=villages,
        round=round_id,
        inspector=inspector,
        clue=clue,
        feedback=feedback,
        problem=item_id_for(feedback, "P1"),
        task=item_id_for(feedback, "T1"),
    )


def _feedback(runtime: Runtime, label: str, round_id: UUID, village: UUID) -> UUID:
    items = [
        ItemDraft(ItemKind.PROBLEM, "P1", f"{label} 土地流转收入未入账", category="三资管理"),
        ItemDraft(ItemKind.TASK, "T1", f"{label} 追缴流转收入并入账", refers_to="P1"),
        ItemDraft(
            ItemKind.RESPONSIBILITY,
            "R1",
            f"{label} 村党组织书记负总责",
            refers_to="T1",
            responsible_leader=f"{label} 王书记",
            responsible_department=f"{label} 镇纪委",
            deadline=date(2026, 7, 31),
        ),
    ]
    return runtime.rectification.record_feedback(
        acting=CONSOLE,
        round_id=round_id,
        unit_id=village,
        report=f"{label} 巡察反馈意见",
        items=items,
        given_on=date(2026, 6, 10),
    ).id
