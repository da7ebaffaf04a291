from __future__ import annotations

from datetime import date
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.rounds.values import Linkage as DomainLinkage
from domain.rounds.values import PetitionChannel as DomainPetitionChannel
from domain.rounds.values import Phase as DomainPhase
from domain.rounds.values import RoundKind as DomainRoundKind
from domain.rounds.values import SelectionReason as DomainSelectionReason
from domain.rounds.values import TeamRole as DomainTeamRole
from graphql_schema.audit.types import AuditEntryType
from graphql_schema.dataloaders import load_history, load_tenant, load_unit
from graphql_schema.groups.crossing import RoundCrossing
from graphql_schema.labels import labelled_enum
from graphql_schema.relay import connection_for
from graphql_schema.tenants.types import Tenant, Unit
from projections.rounds_read import CountyProgress as CountyProgressRow
from projections.rounds_read import Progress, RoundView
from services.history import AuditEntry
from services.rounds import BatchWritten

RoundKind = labelled_enum(DomainRoundKind)
Linkage = labelled_enum(DomainLinkage)
RoundPhase = labelled_enum(DomainPhase, name="RoundPhase")
PetitionChannel = labelled_enum(DomainPetitionChannel)
TeamRole = labelled_enum(DomainTeamRole, name="TeamRole")
SelectionReason = labelled_enum(DomainSelectionReason)


class PhaseDate(graphene.ObjectType):
    phase = graphene.Field(RoundPhase, required=True)
    on = graphene.Date(required=True)


class PetitionChannelState(graphene.ObjectType):
    channel = graphene.Field(PetitionChannel, required=True)
    address = graphene.String(required=True)
    opened_on = graphene.Date(required=True)
    closes_on = graphene.Date(description="The published closing date, if any.")
    closed_on = graphene.Date()


class RoundTarget(graphene.ObjectType):
    unit = graphene.Field(Unit)
    unit_id = graphene.ID(required=True)
    owner_id = graphene.ID(required=True, description="The office that owns the unit.")
    stationed = graphene.Boolean(required=True)
    reasons = graphene.List(
        graphene.NonNull(SelectionReason),
        required=True,
        description="Why the unit was chosen (软弱涣散, 换届难点, …), if recorded.",
    )

    @staticmethod
    def resolve_unit(target: dict[str, Any], info: GraphQLResolveInfo) -> Any:
        return load_unit(info, target["unit_uuid"])


class TeamMember(graphene.ObjectType):
    inspector_id = graphene.ID(required=True)
    name = graphene.String(required=True)
    role = graphene.Field(TeamRole, required=True)
    home_tenant_id = graphene.ID(required=True)


class Recusal(graphene.ObjectType):
    """A declared recusal (回避): the inspector stays out of the round."""

    inspector_id = graphene.ID(required=True)
    unit_id = graphene.ID(required=True)
    reason = graphene.String(required=True)
    declared_on = graphene.Date(required=True)


class RoundProgress(graphene.ObjectType):
    targets_total = graphene.Int(required=True)
    targets_stationed = graphene.Int(required=True)
    clues_registered = graphene.Int(required=True)
    clues_open = graphene.Int(required=True, description="Registered and not concluded.")
    clues_overdue = graphene.Int(
        required=True, description="Transferred, past the due date, not concluded."
    )
    problems_found = graphene.Int(
        required=True, description="Clues registered (until feedback problem lists exist)."
    )

    @staticmethod
    def resolve_problems_found(progress: Progress, _info: Any) -> int:
        return progress.problems_found


class Round(graphene.ObjectType):
    """An inspection round (巡察轮次) as it stands now."""

    id = graphene.ID(required=True)
    organiser_id = graphene.ID(required=True)
    organiser = graphene.Field(Tenant)
    city_id = graphene.ID(required=True)
    kind = graphene.Field(RoundKind, required=True)
    theme = graphene.String()
    revisit_of_id = graphene.ID()
    linkage = graphene.Field(Linkage, required=True)
    title = graphene.String(required=True)
    period_start = graphene.Date(required=True)
    period_end = graphene.Date(required=True)
    co_organiser_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    parent_id = graphene.ID()
    inspecting_county_id = graphene.ID()
    owning_county_id = graphene.ID()
    batch_id = graphene.ID()
    crossing = graphene.Field(
        RoundCrossing, description="For a cross round inside an office: groups and townships."
    )
    phase = graphene.Field(RoundPhase, required=True)
    phase_dates = graphene.List(graphene.NonNull(PhaseDate), required=True)
    petition_channels = graphene.List(graphene.NonNull(PetitionChannelState), required=True)
    targets = graphene.List(graphene.NonNull(RoundTarget), required=True)
    team = graphene.List(
        graphene.NonNull(TeamMember), required=True, description="Without recused members."
    )
    recusals = graphene.List(graphene.NonNull(Recusal), required=True)
    progress = graphene.Field(RoundProgress, required=True)
    version = graphene.Int(required=True)
    history = graphene.List(
        graphene.NonNull(AuditEntryType),
        required=True,
        description="Every event of the round, oldest first, as audit entries.",
    )

    @staticmethod
    def resolve_history(view: RoundView, info: GraphQLResolveInfo) -> list[AuditEntry]:
        return load_history(info, view.row.round_id, view.row.version, what="round")

    @staticmethod
    def resolve_id(view: RoundView, _info: Any) -> str:
        return str(view.row.round_id)

    @staticmethod
    def resolve_organiser_id(view: RoundView, _info: Any) -> str:
        return str(view.row.tenant_id)

    @staticmethod
    def resolve_organiser(view: RoundView, info: GraphQLResolveInfo) -> Any:
        return load_tenant(info, view.row.tenant_id)

    @staticmethod
    def resolve_revisit_of_id(view: RoundView, _info: Any) -> Any:
        return view.row.revisit_of

    @staticmethod
    def resolve_phase_dates(view: RoundView, _info: Any) -> list[dict[str, Any]]:
        order = list(DomainPhase)
        return [
            {"phase": phase, "on": date.fromisoformat(on)}
            for phase, on in sorted(
                view.row.phase_dates.items(), key=lambda kv: order.index(DomainPhase(kv[0]))
            )
        ]

    @staticmethod
    def resolve_petition_channels(view: RoundView, _info: Any) -> list[dict[str, Any]]:
        return [
            {"channel": c, **{k: _day(k, v) for k, v in state.items()}}
            for c, state in sorted(view.row.channels.items())
        ]

    @staticmethod
    def resolve_targets(view: RoundView, _info: Any) -> list[dict[str, Any]]:
        reasons = view.row.reasons_of()
        return [
            {
                "unit_uuid": unit_id,
                "unit_id": unit_id,
                "owner_id": owner_id,
                "stationed": view.row.stationed,
                "reasons": reasons[unit_id],
            }
            for unit_id, owner_id in view.row.owner_of().items()
        ]

    @staticmethod
    def resolve_team(view: RoundView, _info: Any) -> Any:
        return view.team

    @staticmethod
    def resolve_recusals(view: RoundView, _info: Any) -> Any:
        return view.recusals

    @staticmethod
    def resolve_progress(view: RoundView, _info: Any) -> Progress:
        return view.progress


def _day(key: str, value: Any) -> Any:
    return date.fromisoformat(value) if key.endswith("_on") and value else value


def _row_field(name: str) -> Any:
    def resolve(view: RoundView, _info: Any) -> Any:
        return getattr(view.row, name)

    return resolve


for _name in (
    "city_id",
    "kind",
    "theme",
    "linkage",
    "title",
    "period_start",
    "period_end",
    "co_organiser_ids",
    "parent_id",
    "inspecting_county_id",
    "owning_county_id",
    "batch_id",
    "crossing",
    "phase",
    "version",
):
    setattr(Round, f"resolve_{_name}", staticmethod(_row_field(_name)))


class CountyProgress(graphene.ObjectType):
    """One county's part of a linked round: the parent's targets in the county plus the
    county's own child rounds, combined."""

    county_id = graphene.ID(required=True)
    county = graphene.Field(Tenant)
    child_rounds = graphene.Int(required=True)
    progress = graphene.Field(RoundProgress, required=True)

    @staticmethod
    def resolve_county_id(row: CountyProgressRow, _info: Any) -> str:
        return str(row.county_id)

    @staticmethod
    def resolve_county(row: CountyProgressRow, info: GraphQLResolveInfo) -> Any:
        return load_tenant(info, row.county_id)


class LinkedRound(graphene.ObjectType):
    parent = graphene.Field(Round, required=True)
    children = graphene.List(graphene.NonNull(Round), required=True)
    counties = graphene.List(
        graphene.NonNull(CountyProgress), required=True, description="In county code order."
    )

    @staticmethod
    def resolve_counties(linked: Any, info: GraphQLResolveInfo) -> list[CountyProgressRow]:
        def code(row: CountyProgressRow) -> str:
            tenant = load_tenant(info, row.county_id)
            return tenant.code if tenant else str(row.county_id)

        return sorted(linked.counties, key=code)


RoundConnection = connection_for(Round, "Round")
LinkedRoundConnection = connection_for(LinkedRound, "LinkedRound")


class PlanCrossBatchPayload(graphene.ObjectType):
    batch_id = graphene.ID(required=True)
    round_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    position = graphene.BigInt(required=True)

    @staticmethod
    def of(written: BatchWritten) -> PlanCrossBatchPayload:
        return PlanCrossBatchPayload(
            batch_id=str(written.batch_id),
            round_ids=[str(r) for r in written.round_ids],
            position=written.position,
        )
