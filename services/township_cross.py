"""Planning a cross batch inside one office (Hanjiang's 推磨式 between townships): the
office's groups inspect chosen villages of each other's townships. All rounds of the batch,
their teams (each group whole, 全建制) and their units' schedules are recorded together, or,
on any refusal, nothing.

Who may: the office itself or its city, as for planning its rounds."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from domain.errors import ValidationFailed
from domain.groups.group import InspectionGroup
from domain.rounds import office_cross
from domain.rounds.linkage import Scope
from domain.rounds.office_cross import Crossing, PlannedCrossing, TakingPart, Village
from domain.rounds.round import Round
from domain.rounds.schedule import UnitSchedule
from domain.rounds.values import CrossMode, Linkage, Period, RoundKind, SelectionReason
from domain.tenants.tenant import Tenant
from services.authorization import Acting, require_office
from services.rounds import BatchWritten, RoundService, cross_round_id
from services.tenants import known_office
from services.visibility import known_unit


@dataclass(frozen=True)
class ChosenVillage:
    unit_id: UUID
    reasons: tuple[SelectionReason, ...] = ()


@dataclass(frozen=True)
class TownshipTargets:
    """A township of the batch, the group drawn from it, and its villages to be inspected."""

    township_id: UUID
    group_id: UUID
    villages: list[ChosenVillage]


@dataclass(frozen=True)
class BatchPlan:
    """What every round of the batch shares."""

    office: Tenant
    kind: RoundKind
    title: str
    theme: str | None
    period: Period
    batch_id: UUID


class TownshipCrossService:
    def __init__(self, rounds: RoundService) -> None:
        self.rounds = rounds
        self.tenants = rounds.tenants
        self.groups = rounds.groups

    def plan_township_cross_batch(
        self,
        *,
        tenant_id: UUID,
        mode: CrossMode,
        kind: RoundKind,
        title: str,
        period: Period,
        townships: list[TownshipTargets],
        theme: str | None = None,
        supervisory_group_id: UUID | None = None,
        zone_id: UUID | None = None,
        shift: int = 1,
        acting: Acting,
        batch_id: UUID | None = None,
    ) -> BatchWritten:
        office = known_office(self.tenants, acting, tenant_id)
        require_office(acting, {office.id, office.parent_id}, "plan its cross rounds")
        if len({t.township_id for t in townships}) != len(townships):
            raise ValidationFailed("A township is named twice", field="townships")
        parties = [self._taking_part(acting, t) for t in townships]
        supervisory = (
            self.groups.group_for(acting, supervisory_group_id) if supervisory_group_id else None
        )
        batch = office_cross.generate(
            office,
            parties,
            mode,
            shift=shift,
            supervisory=supervisory,
            zone=self.groups.zone_for(acting, zone_id) if zone_id else None,
        )
        plan = BatchPlan(office, kind, title, theme, period, batch_id or uuid4())
        rounds: list[Round] = []
        schedules: dict[UUID, UnitSchedule] = {}
        for planned_crossing in batch:
            planned = self._plan(plan, planned_crossing)
            self.rounds.book(planned, schedules)
            rounds.append(planned)
        position = self.rounds.store.record(*rounds, *schedules.values())
        return BatchWritten(plan.batch_id, [r.id for r in rounds], position)

    def _taking_part(self, acting: Acting, given: TownshipTargets) -> TakingPart:
        if len({v.unit_id for v in given.villages}) != len(given.villages):
            raise ValidationFailed("A village is named twice", field="targets")
        return TakingPart(
            township=known_unit(self.tenants, acting, given.township_id),
            group=self.groups.group_for(acting, given.group_id),
            villages=[
                Village(known_unit(self.tenants, acting, v.unit_id), v.reasons)
                for v in given.villages
            ],
        )

    def _plan(self, plan: BatchPlan, planned_crossing: PlannedCrossing) -> Round:
        """One round of the batch: planned, given its groups, staffed by their cadres."""
        owning = planned_crossing.owning.township
        group = planned_crossing.inspecting.group
        scope = Scope(
            organiser=plan.office,
            linkage=Linkage.STANDALONE,
            period=plan.period,
            targets=planned_crossing.targets,
        )
        planned = Round.plan(
            scope=scope,
            kind=plan.kind,
            title=f"{plan.title}（{group.name}→{owning.name}）",
            theme=plan.theme,
            counties_of_city=set(),
            batch_id=plan.batch_id,
            round_id=cross_round_id(plan.batch_id, owning.id),
        )
        planned.assign_groups(planned_crossing.crossing)
        for staffing in planned_crossing.groups():
            self._staff(planned, plan.office, staffing, planned_crossing.crossing)
        return planned

    def _staff(
        self, planned: Round, office: Tenant, group: InspectionGroup, crossing: Crossing
    ) -> None:
        """The group's cadres in the posts it staffs on the round, with every recusal rule."""
        for role, inspector_id in group.cadres:
            if crossing.staffing_group(role) != group.id:
                continue
            inspector = self.rounds.inspectors.inspector(inspector_id)
            townships = self.groups.home_townships(inspector, planned.period.start, group)
            planned.assign_inspector(
                inspector=inspector,
                home=office,
                role=role,
                groups=frozenset({group.id}),
                home_townships=frozenset(townships),
            )
