"""Use cases of the round context: planning rounds and cross batches, teams, recusal, phases,
petition channels. Every command loads what the rules need, lets the domain decide, and saves
all it changed in one `store.record(...)`, so a refusal writes nothing.

Who may: a round is planned by its organising office or that office's city (a cross batch by
the city); its team, phases and channels are managed by the offices taking part — organiser,
city, co-organisers of a JOINT round, the inspecting county of a CROSS round. In-process
callers (demo loader, CLI) act as the console operator."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4, uuid5

from domain.dates import occurred_on as document_date
from domain.errors import NotFound, ValidationFailed
from domain.rounds import cross_batch
from domain.rounds.linkage import Scope, city_of
from domain.rounds.round import Round
from domain.rounds.schedule import UnitSchedule, schedule_id_for
from domain.rounds.values import (
    CrossMode,
    Linkage,
    Period,
    PetitionChannel,
    Phase,
    RoundKind,
    SelectionReason,
    Target,
    TeamRole,
)
from domain.tenants.tenant import Tenant, TenantLevel
from infrastructure.store import EventStore
from services import authorization
from services.authorization import Acting, require_office
from services.clock import today_in_china
from services.groups import GroupService
from services.inspectors import InspectorService
from services.results import Written
from services.tenants import TenantService, known_office
from services.visibility import known_round, known_unit, seen

Reasons = Mapping[UUID, tuple[SelectionReason, ...]]  # why each target was chosen


def readers(round_: Round) -> list[UUID | None]:
    """The offices that read a round: those taking part, and the owners of its targets."""
    owners = [target.owner_id for target in round_.targets]
    return [*round_.offices_taking_part, round_.owning_county_id, *owners]


def taking_part(round_: Round) -> set[UUID | None]:
    """The offices that manage a round: organiser, city, co-organisers, inspecting county."""
    return set(round_.offices_taking_part)


def cross_round_id(batch_id: UUID, owning_county_id: UUID) -> UUID:
    """The id of a batch's round on `owning_county_id` (a county is inspected once a batch)."""
    return uuid5(batch_id, f"cross-round:{owning_county_id}")


@dataclass(frozen=True)
class BatchWritten:
    """The rounds one cross batch planned, and the log position of the batch's last event."""

    batch_id: UUID
    round_ids: list[UUID]
    position: int


@dataclass(frozen=True)
class CrossTargets:
    """The units of one county that its batch round inspects."""

    county_id: UUID
    unit_ids: list[UUID]


class RoundService:
    def __init__(
        self,
        store: EventStore,
        tenants: TenantService,
        inspectors: InspectorService,
        today: Callable[[], date] = today_in_china,
    ) -> None:
        self.store = store
        self.tenants = tenants
        self.inspectors = inspectors
        self.today = today
        self.groups = GroupService(store, tenants, inspectors)

    def round(self, round_id: UUID) -> Round:
        return self.store.load(Round, round_id, what="round")

    def readable_by(self, scope: authorization.Scope, round_id: UUID) -> bool:
        """Whether `scope` reads a round: an office taking part, or an owner of one of its
        target units. A round nobody planned is not readable either."""
        if not self.store.exists(round_id):
            return False
        return scope.tenants is None or scope.reads_any(readers(self.round(round_id)))

    def round_for(self, acting: Acting, round_id: UUID) -> Round:
        """The round a command of `acting` acts on; NOT_FOUND, as for an id nobody planned,
        unless `acting` reads it."""
        round_ = self.round(round_id)
        seen(self.tenants, acting, readers(round_), "round", round_id)
        return round_

    def require_readable(self, scope: authorization.Scope, round_id: UUID) -> None:
        if not self.readable_by(scope, round_id):
            raise NotFound.no("round", round_id)

    # -- planning -------------------------------------------------------------------------

    def plan_round(
        self,
        *,
        tenant_id: UUID,
        kind: RoundKind,
        linkage: Linkage,
        title: str,
        period: Period,
        target_unit_ids: list[UUID],
        theme: str | None = None,
        revisit_of: UUID | None = None,
        co_organiser_ids: list[UUID] | None = None,
        parent_round_id: UUID | None = None,
        inspecting_county_id: UUID | None = None,
        owning_county_id: UUID | None = None,
        target_reasons: Reasons | None = None,
        acting: Acting,
        round_id: UUID | None = None,
    ) -> Written:
        """Plan a round; `round_id` lets a replayable load (the simulation) derive its ids.
        `target_reasons` says why targets were chosen (软弱涣散, …)."""
        organiser = known_office(self.tenants, acting, tenant_id)
        require_office(acting, {organiser.id, organiser.parent_id}, "plan its rounds")
        scope = Scope(
            organiser=organiser,
            linkage=linkage,
            period=period,
            targets=self._targets(acting, target_unit_ids, target_reasons),
            co_organisers=[known_office(self.tenants, acting, c) for c in co_organiser_ids or []],
            parent=self._known_round(acting, parent_round_id),
            inspecting=self._office(acting, inspecting_county_id),
            owning=self._office(acting, owning_county_id),
        )
        planned = Round.plan(
            scope=scope,
            kind=kind,
            title=title,
            theme=theme,
            revisit_of=self._known_round(acting, revisit_of),
            counties_of_city=self._counties_among(organiser, scope.targets),
            round_id=round_id,
        )
        schedules = self.book(planned, {})
        return Written(planned.id, self.store.record(planned, *schedules))

    def plan_cross_batch(
        self,
        *,
        city_id: UUID,
        mode: CrossMode,
        kind: RoundKind,
        title: str,
        period: Period,
        targets: list[CrossTargets],
        theme: str | None = None,
        shift: int = 1,
        zone_id: UUID | None = None,
        acting: Acting,
        batch_id: UUID | None = None,
    ) -> BatchWritten:
        """Generate and plan a batch of cross rounds: all or none are recorded. Each round's
        id follows from the batch id and its owning county, so a caller that gives `batch_id`
        (a replayable load) knows the ids in advance."""
        city = known_office(self.tenants, acting, city_id)
        require_office(acting, {city.id}, "authorise its cross rounds")
        if len({t.county_id for t in targets}) != len(targets):
            raise ValidationFailed("A county is named twice", field="targets")
        counties = {t.county_id: known_office(self.tenants, acting, t.county_id) for t in targets}
        if zone_id is not None:  # a batch over a zone of the city's counties (片区协作)
            self.groups.zone_for(acting, zone_id).check_pools(city.id, counties)
        units = {t.county_id: t.unit_ids for t in targets}
        assignments = cross_batch.generate(
            [cross_batch.County(c.id, c.code) for c in counties.values()], mode, shift
        )
        batch_id = batch_id or uuid4()
        rounds: list[Round] = []
        schedules: dict[UUID, UnitSchedule] = {}
        for assignment in assignments:
            inspecting = counties[assignment.inspecting.id]
            owning = counties[assignment.owning.id]
            scope = Scope(
                organiser=city,
                linkage=Linkage.CROSS,
                period=period,
                targets=self._targets(acting, units[owning.id]),
                inspecting=inspecting,
                owning=owning,
            )
            planned = Round.plan(
                scope=scope,
                kind=kind,
                title=f"{title}（{inspecting.name}→{owning.name}）",
                theme=theme,
                counties_of_city=self._counties_among(city, scope.targets),
                batch_id=batch_id,
                staffing=assignment.staffing,
                round_id=cross_round_id(batch_id, owning.id),
            )
            self.book(planned, schedules)
            rounds.append(planned)
        position = self.store.record(*rounds, *schedules.values())
        return BatchWritten(batch_id, [r.id for r in rounds], position)

    def _targets(
        self, acting: Acting, unit_ids: list[UUID], reasons: Reasons | None = None
    ) -> list[Target]:
        if len(set(unit_ids)) != len(unit_ids):
            raise ValidationFailed("A target unit is named twice", field="targetUnitIds")
        if reasons and set(reasons) - set(unit_ids):
            raise ValidationFailed(
                "Selection reasons are given for a unit that is not a target",
                field="targetReasons",
            )
        return [
            Target(u, known_unit(self.tenants, acting, u).tenant_id, (reasons or {}).get(u, ()))
            for u in unit_ids
        ]

    def _office(self, acting: Acting, tenant_id: UUID | None) -> Tenant | None:
        return known_office(self.tenants, acting, tenant_id) if tenant_id else None

    def _known_round(self, acting: Acting, round_id: UUID | None) -> Round | None:
        return known_round(self.tenants, acting, self.round(round_id)) if round_id else None

    def _counties_among(self, organiser: Tenant, targets: list[Target]) -> set[UUID]:
        """Which of the targets' owners are counties of the organiser's city."""
        city_id = city_of(organiser)
        owners = [self.tenants.tenant(o) for o in {t.owner_id for t in targets}]
        return {o.id for o in owners if o.level == TenantLevel.COUNTY and o.parent_id == city_id}

    def book(self, planned: Round, schedules: dict[UUID, UnitSchedule]) -> list[UnitSchedule]:
        """Book every target's schedule (index aggregate) for the round; a clash with another
        open round is refused. `schedules` carries schedules already changed in this command."""
        booked = []
        for target in planned.targets:
            sid = schedule_id_for(target.unit_id)
            schedule = schedules.get(sid)
            if schedule is None:
                schedule = (
                    self.store.load(UnitSchedule, sid, what="unit schedule")
                    if self.store.exists(sid)
                    else UnitSchedule.open_for(unit_id=target.unit_id, owner_id=target.owner_id)
                )
                schedules[sid] = schedule
            schedule.book(round_id=planned.id, period=planned.period, kind=planned.kind)
            booked.append(schedule)
        return booked

    # -- team -----------------------------------------------------------------------------

    def assign_inspector(
        self,
        *,
        round_id: UUID,
        inspector_id: UUID,
        role: TeamRole,
        occurred_on: date | None = None,
        acting: Acting,
    ) -> Written:
        """Post an inspector to the team on `occurred_on` (default today)."""
        round_ = self.round_for(acting, round_id)
        require_office(acting, taking_part(round_), "staff the round's team")
        on = document_date(occurred_on, self.today())
        inspector = self.inspectors.inspector(inspector_id)
        home = self.tenants.tenant(inspector.home_tenant_id)
        groups, home_townships = self.groups.staffing_of(round_, inspector)
        round_.assign_inspector(
            inspector=inspector,
            home=home,
            role=role,
            on=on,
            groups=groups,
            home_townships=home_townships,
        )
        return Written(round_.id, self.store.record(round_))

    def declare_recusal(
        self,
        *,
        round_id: UUID,
        inspector_id: UUID,
        unit_id: UUID,
        reason: str,
        on: date | None = None,
        acting: Acting,
    ) -> Written:
        """A recusal declared on `on` (default today)."""
        round_ = self.round_for(acting, round_id)
        inspector = self.inspectors.inspector(inspector_id)
        require_office(
            acting, taking_part(round_) | {inspector.home_tenant_id}, "record the recusal"
        )
        day = document_date(on, self.today(), "declaredOn")
        round_.declare_recusal(inspector=inspector, unit_id=unit_id, reason=reason, on=day)
        return Written(round_.id, self.store.record(round_))

    # -- phases and channels --------------------------------------------------------------

    def advance_round_phase(
        self, *, round_id: UUID, phase: Phase, on: date | None = None, acting: Acting
    ) -> Written:
        """The round reaches `phase` on `on` (default today)."""
        round_ = self.round_for(acting, round_id)
        require_office(acting, taking_part(round_), "advance the round")
        round_.advance_phase(to=phase, on=document_date(on, self.today(), "on"))
        released = []
        if round_.is_closed:  # a closed round no longer occupies its units
            for target in round_.targets:
                sid = schedule_id_for(target.unit_id)
                if self.store.exists(sid):
                    schedule = self.store.load(UnitSchedule, sid, what="unit schedule")
                    schedule.release(round_id=round_.id)
                    released.append(schedule)
        return Written(round_.id, self.store.record(round_, *released))

    def open_petition_channel(
        self,
        *,
        round_id: UUID,
        channel: PetitionChannel,
        on: date,
        address: str,
        closes_on: date | None,
        acting: Acting,
    ) -> Written:
        round_ = self.round_for(acting, round_id)
        require_office(acting, taking_part(round_), "open its petition channels")
        round_.open_petition_channel(channel=channel, on=on, address=address, closes_on=closes_on)
        return Written(round_.id, self.store.record(round_))

    def close_petition_channel(
        self, *, round_id: UUID, channel: PetitionChannel, on: date, acting: Acting
    ) -> Written:
        round_ = self.round_for(acting, round_id)
        require_office(acting, taking_part(round_), "close its petition channels")
        round_.close_petition_channel(channel=channel, on=on)
        return Written(round_.id, self.store.record(round_))
