"""`Round` — an inspection round (巡察轮次): organiser, kind, linkage, period, targets, phases,
petition channels and the team. Linkage rules live in `linkage`, recusal in `recusal`."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.dates import not_before_start
from domain.errors import RuleViolation, ValidationFailed
from domain.inspectors.inspector import Inspector
from domain.rounds import linkage as linkage_rules
from domain.rounds.office_cross import Crossing, check_not_home, check_team_member
from domain.rounds.recusal import check_recusal
from domain.rounds.values import (
    PHASE_ORDER,
    Linkage,
    Period,
    PetitionChannel,
    Phase,
    RoundKind,
    Target,
    TeamRole,
)
from domain.tenants.tenant import Tenant, TenantLevel
from domain.text import required_text

MAX_TARGETS = 500
MAX_TEAM = 100


class Round(AuditedAggregate):
    @staticmethod
    def create_id() -> UUID:
        return uuid4()

    @classmethod
    def plan(
        cls,
        *,
        scope: linkage_rules.Scope,
        kind: RoundKind,
        title: str,
        theme: str | None = None,
        revisit_of: Round | None = None,
        counties_of_city: set[UUID],
        batch_id: UUID | None = None,
        staffing: dict[TeamRole, UUID] | None = None,
        round_id: UUID | None = None,
    ) -> Round:
        """Plan a round; refuse one that breaks a linkage rule or names no valid kind. A
        caller that derives its ids (a replayable load) gives `round_id`."""
        title = required_text(title, "title")
        theme = (theme or "").strip() or None
        if kind is RoundKind.THEMATIC and theme is None:
            raise ValidationFailed("A THEMATIC round names its theme", field="theme")
        if kind is not RoundKind.THEMATIC and theme is not None:
            raise ValidationFailed("Only a THEMATIC round has a theme", field="theme")
        if len(scope.targets) > MAX_TARGETS:
            raise ValidationFailed(f"At most {MAX_TARGETS} targets", field="targetUnitIds")
        city_id = linkage_rules.check(scope, counties_of_city=counties_of_city)
        _check_revisit(kind, revisit_of, scope, city_id)
        parent = scope.parent
        return cls(
            id=round_id or cls.create_id(),
            tenant_id=scope.organiser.id,
            city_id=city_id,
            kind=kind.value,
            theme=theme,
            revisit_of=revisit_of.id if revisit_of else None,
            linkage=scope.linkage.value,
            title=title,
            period_start=scope.period.start,
            period_end=scope.period.end,
            targets=[t.as_record() for t in scope.targets],
            co_organiser_ids=[c.id for c in scope.co_organisers],
            parent_id=parent.id if parent else None,
            inspecting_county_id=scope.inspecting.id if scope.inspecting else None,
            owning_county_id=scope.owning.id if scope.owning else None,
            batch_id=batch_id,
            staffing={role.value: t for role, t in (staffing or {}).items()},
        )

    class Planned(AuditedAggregate.Created):
        class_version = 1
        city_id: UUID
        kind: str
        theme: str | None
        revisit_of: UUID | None
        linkage: str
        title: str
        period_start: date
        period_end: date
        targets: list[dict[str, Any]]
        co_organiser_ids: list[UUID]
        parent_id: UUID | None
        inspecting_county_id: UUID | None
        owning_county_id: UUID | None
        batch_id: UUID | None
        staffing: dict[str, UUID]

    @event(Planned)
    def __init__(
        self,
        tenant_id: UUID,
        city_id: UUID,
        kind: str,
        theme: str | None,
        revisit_of: UUID | None,
        linkage: str,
        title: str,
        period_start: date,
        period_end: date,
        targets: list[dict[str, Any]],
        co_organiser_ids: list[UUID],
        parent_id: UUID | None,
        inspecting_county_id: UUID | None,
        owning_county_id: UUID | None,
        batch_id: UUID | None,
        staffing: dict[str, UUID],
        id: UUID | None = None,  # eventsourcing takes a given aggregate id by this name
    ) -> None:
        self.tenant_id = tenant_id
        self.city_id = city_id
        self.kind = RoundKind(kind)
        self.theme = theme
        self.revisit_of = revisit_of
        self.linkage = Linkage(linkage)
        self.title = title
        self.period = Period(period_start, period_end)
        self.targets = [Target.of(t) for t in targets]
        self.co_organiser_ids = [UUID(str(c)) for c in co_organiser_ids]
        self.parent_id = parent_id
        self.inspecting_county_id = inspecting_county_id
        self.owning_county_id = owning_county_id
        self.batch_id = batch_id
        self.staffing = {TeamRole(r): UUID(str(t)) for r, t in staffing.items()}
        self.phase = Phase.PLANNED
        self.phase_dates: dict[Phase, date] = {}
        self.channels: dict[PetitionChannel, dict[str, Any]] = {}
        self.team: dict[UUID, dict[str, Any]] = {}
        self.recusals: dict[UUID, set[UUID]] = {}  # inspector → units declared
        self.crossing: Crossing | None = None  # set for a cross round inside one office

    # -- phases ---------------------------------------------------------------------------

    @property
    def is_closed(self) -> bool:
        return self.phase is Phase.CLOSED

    @property
    def offices_taking_part(self) -> set[UUID]:
        """The offices that manage this round: organiser, city, co-organisers, inspecting
        county (for a cross round)."""
        offices = {self.tenant_id, self.city_id, *self.co_organiser_ids}
        if self.inspecting_county_id is not None:
            offices.add(self.inspecting_county_id)
        return offices

    def inspects(self, unit_id: UUID) -> bool:
        return any(target.unit_id == unit_id for target in self.targets)

    def advance_phase(self, *, to: Phase, on: date) -> None:
        """Move to the next phase on `on`; never back, never skipping, dates never backwards.
        Preparation comes before the round's planned start; stationing and every later phase
        not before it."""
        expected = PHASE_ORDER[PHASE_ORDER.index(self.phase) + 1] if not self.is_closed else None
        if to is not expected:
            raise RuleViolation(
                "ROUND_PHASE_ORDER",
                f"Round {self.id} is {self.phase}; "
                + (f"its next phase is {expected}, not {to}" if expected else "it is closed"),
                phase=self.phase.value,
            )
        latest = max(self.phase_dates.values(), default=None)
        if latest is not None and on < latest:
            raise RuleViolation(
                "ROUND_PHASE_DATE",
                f"Round {self.id} reached {self.phase} on {latest}; {to} cannot be on {on}",
                field="on",
            )
        if PHASE_ORDER.index(to) > PHASE_ORDER.index(Phase.PREPARING):
            not_before_start(on, self.period.start, f"round {self.id}", field="on")
        self._phase_advanced(phase=to.value, on=on)

    class PhaseAdvanced(AuditedAggregate.Event):
        class_version = 1
        document_date = "on"
        phase: str
        on: date

    @event(PhaseAdvanced)
    def _phase_advanced(self, phase: str, on: date) -> None:
        self.phase = Phase(phase)
        self.phase_dates[self.phase] = on

    # -- petition channels ----------------------------------------------------------------

    def open_petition_channel(
        self, *, channel: PetitionChannel, on: date, address: str, closes_on: date | None
    ) -> None:
        """Open a channel for petitions (举报电话, 信箱, e-mail, QR code) with its published
        address and, if known, the date it closes."""
        self._refuse_when_closed()
        if channel in self.channels and self.channels[channel]["closed_on"] is None:
            raise RuleViolation(
                "ROUND_CHANNEL_ALREADY_OPEN", f"The {channel} channel of round {self.id} is open"
            )
        if closes_on is not None and closes_on < on:
            raise RuleViolation(
                "ROUND_CHANNEL_DATE", f"A channel opened on {on} cannot close on {closes_on}"
            )
        self._channel_opened(
            channel=channel.value,
            address=required_text(address, "address"),
            opened_on=on,
            closes_on=closes_on,
        )

    class PetitionChannelOpened(AuditedAggregate.Event):
        class_version = 1
        document_date = "opened_on"
        channel: str
        address: str
        opened_on: date
        closes_on: date | None

    @event(PetitionChannelOpened)
    def _channel_opened(
        self, channel: str, address: str, opened_on: date, closes_on: date | None
    ) -> None:
        self.channels[PetitionChannel(channel)] = {
            "address": address,
            "opened_on": opened_on,
            "closes_on": closes_on,
            "closed_on": None,
        }

    def close_petition_channel(self, *, channel: PetitionChannel, on: date) -> None:
        state = self.channels.get(channel)
        if state is None or state["closed_on"] is not None:
            raise RuleViolation(
                "ROUND_CHANNEL_NOT_OPEN", f"The {channel} channel of round {self.id} is not open"
            )
        if on < state["opened_on"]:
            raise RuleViolation(
                "ROUND_CHANNEL_DATE",
                f"The {channel} channel opened on {state['opened_on']}; it cannot close on {on}",
            )
        self._channel_closed(channel=channel.value, closed_on=on)

    class PetitionChannelClosed(AuditedAggregate.Event):
        class_version = 1
        document_date = "closed_on"
        channel: str
        closed_on: date

    @event(PetitionChannelClosed)
    def _channel_closed(self, channel: str, closed_on: date) -> None:
        self.channels[PetitionChannel(channel)]["closed_on"] = closed_on

    # -- cross inspection inside the office ------------------------------------------------

    def assign_groups(self, crossing: Crossing) -> None:
        """Make this round of the office's own units part of a cross batch inside the office:
        `crossing` names the inspecting group, the township inspected and the overseers."""
        if self.linkage is not Linkage.STANDALONE or self.phase is not Phase.PLANNED:
            raise RuleViolation(
                "CROSS_ROUND_STATE",
                f"Round {self.id} is not a PLANNED round of its office's own units",
            )
        if self.crossing is not None or self.team:
            raise RuleViolation("CROSS_ROUND_STAFFED", f"Round {self.id} is already staffed")
        if crossing.host_group_id is None:
            check_not_home(crossing)
        self._groups_assigned(**crossing.as_record())

    class GroupsAssigned(AuditedAggregate.Event):
        """The round is one of a cross batch inside the office: `inspecting_group_id` (drawn
        from `home_township_id`) inspects villages of `owning_township_id`; in an EXCHANGE
        the owning township's own `host_group_id` provides leader and liaison. The
        supervisory group (督导组) and the zone (片区, id and name) are recorded if the batch
        had them."""

        class_version = 1
        mode: str
        owning_township_id: UUID
        inspecting_group_id: UUID
        home_township_id: UUID
        host_group_id: UUID | None
        supervisory_group_id: UUID | None
        zone_id: UUID | None
        zone: str | None

    @event(GroupsAssigned)
    def _groups_assigned(
        self,
        mode: str,
        owning_township_id: UUID,
        inspecting_group_id: UUID,
        home_township_id: UUID,
        host_group_id: UUID | None,
        supervisory_group_id: UUID | None,
        zone_id: UUID | None,
        zone: str | None,
    ) -> None:
        self.crossing = Crossing.of(
            {
                "mode": mode,
                "owning_township_id": owning_township_id,
                "inspecting_group_id": inspecting_group_id,
                "home_township_id": home_township_id,
                "host_group_id": host_group_id,
                "supervisory_group_id": supervisory_group_id,
                "zone_id": zone_id,
                "zone": zone,
            }
        )

    # -- team -----------------------------------------------------------------------------

    def assign_inspector(
        self,
        *,
        inspector: Inspector,
        home: Tenant,
        role: TeamRole,
        on: date | None = None,
        groups: frozenset[UUID] = frozenset(),
        home_townships: frozenset[UUID] = frozenset(),
    ) -> None:
        """Put `inspector` on the team in `role` on `on` (the posting's date: before the
        round's start, as teams are formed in preparation), unless a team or recusal rule
        applies. On a cross round inside the office, `groups` are the inspector's groups and
        `home_townships` the townships they come from."""
        self._refuse_when_closed()
        if inspector.id in self.team:
            raise RuleViolation(
                "TEAM_ALREADY_ASSIGNED",
                f"Inspector {inspector.name} is already on the team of round {self.id}",
                inspector_id=str(inspector.id),
            )
        if len(self.team) >= MAX_TEAM:
            raise RuleViolation("TEAM_SIZE", f"A team has at most {MAX_TEAM} members")
        if role is TeamRole.LEADER and any(
            m["role"] == TeamRole.LEADER.value and not m["recused"] for m in self.team.values()
        ):
            raise RuleViolation("TEAM_ONE_LEADER", f"Round {self.id} already has a leader")
        self._check_home_office(inspector, home, role)
        if self.crossing is not None:
            check_team_member(self.crossing, inspector, role, groups, home_townships)
        check_recusal(
            inspector,
            self.targets,
            reference=self.period.start,
            declared_units=self.recusals.get(inspector.id, set()),
            # inside one office, home area (地域回避) is by township: check_team_member
            home_area_applies=self.crossing is None
            and _home_area_applies(home, self.staffing.get(role), self.owning_county_id),
        )
        self._inspector_assigned(
            inspector_id=inspector.id,
            name=inspector.name,
            role=role.value,
            home_tenant_id=inspector.home_tenant_id,
            occurred_on=on,
        )

    def _check_home_office(self, inspector: Inspector, home: Tenant, role: TeamRole) -> None:
        if role in self.staffing:
            allowed = {self.staffing[role]}
        elif self.linkage is Linkage.JOINT:
            allowed = {self.tenant_id, *self.co_organiser_ids}
        else:  # the organiser, its parent city, or (for a city) its counties
            allowed = {self.tenant_id, self.city_id}
            if home.parent_id == self.tenant_id:
                allowed.add(home.id)
        if inspector.home_tenant_id not in allowed:
            raise RuleViolation(
                "TEAM_HOME_OFFICE",
                f"Inspector {inspector.name} belongs to an office that does not staff the "
                f"{role} of round {self.id}",
                inspector_id=str(inspector.id),
            )

    class InspectorAssigned(AuditedAggregate.Event):
        """v2 added `occurred_on`, the posting's date; an earlier event has none and
        occurred on the day it was recorded."""

        class_version = 2
        document_date = "occurred_on"
        inspector_id: UUID
        name: str
        role: str
        home_tenant_id: UUID
        occurred_on: date | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Nothing to add: without `occurred_on` the event's own day is its document's."""

    @event(InspectorAssigned)
    def _inspector_assigned(
        self,
        inspector_id: UUID,
        name: str,
        role: str,
        home_tenant_id: UUID,
        occurred_on: date | None = None,
    ) -> None:
        self.team[inspector_id] = {
            "name": name,
            "role": role,
            "home_tenant_id": home_tenant_id,
            "recused": False,
        }

    def declare_recusal(
        self, *, inspector: Inspector, unit_id: UUID, reason: str, on: date
    ) -> None:
        """Record that `inspector` recuses from `unit_id` (公务回避): a team member leaves the
        team, and a later assignment is refused."""
        self._refuse_when_closed()
        if unit_id not in {t.unit_id for t in self.targets}:
            raise RuleViolation(
                "RECUSAL_UNIT_NOT_TARGET",
                f"Unit {unit_id} is not a target of round {self.id}",
                unit_id=str(unit_id),
            )
        if unit_id in self.recusals.get(inspector.id, set()):
            raise RuleViolation(
                "RECUSAL_ALREADY_DECLARED",
                f"Inspector {inspector.name} already recused from unit {unit_id}",
                inspector_id=str(inspector.id),
                unit_id=str(unit_id),
            )
        self._recusal_declared(
            inspector_id=inspector.id,
            unit_id=unit_id,
            reason=required_text(reason, "reason", max_length=500),
            declared_on=on,
        )

    class RecusalDeclared(AuditedAggregate.Event):
        class_version = 1
        document_date = "declared_on"
        inspector_id: UUID
        unit_id: UUID
        reason: str
        declared_on: date

    @event(RecusalDeclared)
    def _recusal_declared(
        self, inspector_id: UUID, unit_id: UUID, reason: str, declared_on: date
    ) -> None:
        self.recusals.setdefault(inspector_id, set()).add(unit_id)
        if inspector_id in self.team:
            self.team[inspector_id]["recused"] = True

    def _refuse_when_closed(self) -> None:
        if self.is_closed:
            raise RuleViolation("ROUND_CLOSED", f"Round {self.id} is closed")


def _home_area_applies(home: Tenant, staffed_by: UUID | None, owning: UUID | None) -> bool:
    """Home-area recusal (地域回避) is by county: a city's cadres inspect its own units. In
    an EXCHANGE cross round the host (owning) county staffs some roles itself, by design."""
    if home.level is not TenantLevel.COUNTY:
        return False
    return owning is None or staffed_by != owning


def _check_revisit(
    kind: RoundKind, revisit_of: Round | None, scope: linkage_rules.Scope, city_id: UUID
) -> None:
    if kind is not RoundKind.REVISIT:
        if revisit_of is not None:
            raise ValidationFailed("Only a REVISIT refers to an earlier round", field="revisitOf")
        return
    if revisit_of is None:
        raise ValidationFailed("A REVISIT names the round it revisits", field="revisitOf")
    if revisit_of.city_id != city_id:
        raise RuleViolation(
            "ROUND_REVISIT_SCOPE", f"Round {revisit_of.id} belongs to another city's rounds"
        )
    if revisit_of.period.start >= scope.period.start:
        raise RuleViolation(
            "ROUND_REVISIT_EARLIER",
            f"A REVISIT comes after the round it revisits; round {revisit_of.id} starts on "
            f"{revisit_of.period.start}",
        )
