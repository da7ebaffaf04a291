from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from domain.errors import NotFound, ValidationFailed
from domain.rounds.values import Linkage as DomainLinkage
from graphql_schema.context import caught_up, parse_id, parse_optional_id, reading, runtime_of
from graphql_schema.dataloaders import histories, prime_tenants, units
from graphql_schema.relay import to_connection
from graphql_schema.rounds.coverage import CoverageQueries
from graphql_schema.rounds.types import (
    Linkage,
    LinkedRoundConnection,
    Round,
    RoundConnection,
    RoundKind,
    RoundPhase,
    SelectionReason,
)
from graphql_schema.tenants.acting import scope_for, scope_in
from projections import directory, rounds_read
from projections.directory import Directory
from projections.paging import check_page_size
from projections.rounds import RoundsView
from projections.rounds_read import CrossingFilter, RoundFilter, RoundView
from services.clock import today_in_china

# A list of rounds reads the rounds, and the directory for the counties below the city.
ROUND_LISTS = [RoundsView.name, Directory.name]


def _filter_arguments() -> dict[str, Any]:
    """The arguments every list of rounds takes: period, phase, reason, paging."""
    return {
        "period_from": graphene.Date(description="Rounds whose period overlaps [from, to]."),
        "period_to": graphene.Date(),
        "phase": graphene.Argument(RoundPhase),
        "selection_reason": graphene.Argument(
            SelectionReason, description="Rounds with a target chosen for this reason."
        ),
        "as_of": graphene.Date(description="The day overdue clues are counted on (default today)."),
        "first": graphene.Int(description="Page size (default 50, at most 500)."),
        "after": graphene.String(),
        "min_position": graphene.BigInt(description="Wait until projections reach this position."),
    }


def _list_field(
    description: str, connection: Any = RoundConnection, **more: graphene.Argument
) -> graphene.Field:
    return graphene.Field(
        connection,
        required=True,
        description=description,
        city_id=more.pop("city_id", graphene.ID(required=True)),
        county_id=graphene.ID(description="Rounds a county organises, joins or is inspected in."),
        **_filter_arguments(),
        **more,
    )


def _filter(
    info: GraphQLResolveInfo, conn: Any, city_id: UUID, args: dict[str, Any]
) -> RoundFilter:
    """The caller's filter, within its scope: a city's rounds for whoever reads the city; for
    one of its counties, only the rounds that county organises, joins or is inspected in."""
    county_id = parse_optional_id(args.get("county_id"), "countyId")
    scope = scope_in(info)
    if not scope.reads(city_id):
        own = scope.acting.tenant_id
        if county_id not in (None, own) or not scope.reads_any(
            t.tenant_id for t in directory.tenants(conn) if t.parent_id == city_id
        ):
            raise NotFound(f"No city {city_id}")
        county_id = own
    return replace(_common_filter(args), county_id=county_id)


def _common_filter(args: dict[str, Any]) -> RoundFilter:
    phase, reason, kind = args.get("phase"), args.get("selection_reason"), args.get("kind")
    return RoundFilter(
        period_from=args.get("period_from"),
        period_to=args.get("period_to"),
        phase=getattr(phase, "value", phase),
        selection_reason=getattr(reason, "value", reason),
        kind=getattr(kind, "value", kind),
    )


def _city(info: GraphQLResolveInfo, conn: Any, city_id: str | None) -> UUID:
    """The city asked for; without one, the caller's own city (its office's, or its office)."""
    if city_id is not None:
        return parse_id(city_id, "cityId")
    acting = scope_in(info).acting
    own = (
        None
        if acting.tenant_id is None
        else directory.tenants_by_id(conn, [acting.tenant_id]).get(acting.tenant_id)
    )
    if acting.deployment_wide or own is None:
        raise ValidationFailed("cityId is required: the caller belongs to no city", field="cityId")
    return own.parent_id or own.tenant_id


def _prime(
    info: GraphQLResolveInfo, views: list[RoundView], counties: list[UUID] | None = None
) -> None:
    """Announce what the rounds refer to, so each kind loads in one query."""
    units(info).prime_later(lambda: (u for v in views for u in v.row.owner_of()))
    prime_tenants(info, [*(v.row.tenant_id for v in views), *(counties or [])])
    histories(info).prime(v.row.round_id for v in views)


def _rounds(linkage: DomainLinkage | None) -> Any:
    def resolve(
        _root: Any, info: GraphQLResolveInfo, city_id: str | None = None, **args: Any
    ) -> Any:
        size = check_page_size(args.get("first"))
        with reading(info, args.get("min_position"), views=ROUND_LISTS) as conn:
            city = _city(info, conn, city_id)
            asked = linkage.value if linkage is not None else args.get("linkage")
            page = rounds_read.page(
                conn,
                city_id=city,
                linkage=getattr(asked, "value", asked),
                filters=_filter(info, conn, city, args),
                first=size,
                after=args.get("after"),
                today=args.get("as_of") or today_in_china(),
            )
        _prime(info, [view for _, view in page.items])
        return to_connection(page)

    return staticmethod(resolve)


class RoundQueries(CoverageQueries, graphene.ObjectType):
    round = graphene.Field(
        Round,
        id=graphene.ID(required=True),
        today=graphene.Date(description="The day overdue clues are counted on (default today)."),
        as_of=graphene.DateTime(
            description="The round as it stood at this moment, rebuilt from its events and "
            "those of its clues (default: as it stands now)."
        ),
        version=graphene.Int(
            description="The round as it stood at this version of its own stream (with its "
            "clues as they stood then); not with asOf."
        ),
        min_position=graphene.BigInt(),
    )
    rounds = _list_field(
        "Every round of a city the caller may read, of every linkage (巡察轮次): a county's "
        "caller sees the rounds its county organises, joins or is inspected in.",
        city_id=graphene.ID(description="Default: the caller's city."),
        linkage=graphene.Argument(Linkage),
        kind=graphene.Argument(RoundKind),
    )
    escalated_rounds = _list_field("Escalated rounds (提级巡察) of a city.")
    linked_rounds = _list_field(
        "Linked rounds (联动巡察): each parent with its county children and one combined "
        "progress row per county.",
        LinkedRoundConnection,
    )
    joint_rounds = _list_field("Joint rounds (联合巡察) of a city and its counties.")
    cross_rounds = _list_field("Cross rounds (交叉巡察) authorised by a city.")
    township_cross_rounds = graphene.Field(
        RoundConnection,
        required=True,
        description="An office's cross rounds between its own townships (推磨式), in "
        "planning order.",
        tenant_id=graphene.ID(required=True, description="The office."),
        batch_id=graphene.ID(),
        group_id=graphene.ID(description="Rounds this group inspects or hosts."),
        township_id=graphene.ID(description="Rounds inspecting this township."),
        **_filter_arguments(),
    )

    @staticmethod
    def resolve_round(
        _root: Any,
        info: GraphQLResolveInfo,
        id: str,
        today: date | None = None,
        as_of: datetime | None = None,
        version: int | None = None,
        min_position: int | None = None,
    ) -> RoundView | None:
        round_id, day = parse_id(id, "id"), today or today_in_china()
        if as_of is not None and version is not None:
            raise ValidationFailed("Give asOf or version, not both", field="version")
        if not runtime_of(info).rounds.readable_by(scope_for(info, min_position), round_id):
            return None  # as for a round nobody planned
        if as_of is not None or version is not None:
            # so every clue of the round is known
            caught_up(info, min_position, views=[RoundsView.name])
            replays = runtime_of(info).round_replay
            view: RoundView | None = (
                replays.view_as_of(round_id, as_of, day)
                if as_of is not None
                else replays.view_at_version(round_id, version or 0, day)
            )
        else:
            with reading(info, min_position, views=[RoundsView.name]) as conn:
                view = rounds_read.round_view(conn, round_id, day)
        if view is not None:
            _prime(info, [view])
        return view

    resolve_rounds = _rounds(None)
    resolve_escalated_rounds = _rounds(DomainLinkage.ESCALATED)
    resolve_joint_rounds = _rounds(DomainLinkage.JOINT)
    resolve_cross_rounds = _rounds(DomainLinkage.CROSS)

    @staticmethod
    def resolve_township_cross_rounds(
        _root: Any, info: GraphQLResolveInfo, tenant_id: str, **args: Any
    ) -> dict[str, Any]:
        size = check_page_size(args.get("first"))
        office = parse_id(tenant_id, "tenantId")
        crossing = CrossingFilter(
            batch_id=parse_optional_id(args.get("batch_id"), "batchId"),
            group_id=parse_optional_id(args.get("group_id"), "groupId"),
            township_id=parse_optional_id(args.get("township_id"), "townshipId"),
        )
        with reading(info, args.get("min_position"), views=ROUND_LISTS) as conn:
            if not scope_in(info).reads(office):
                raise NotFound.no("tenant", office)
            page = rounds_read.township_cross_page(
                conn,
                tenant_id=office,
                crossing=crossing,
                filters=_common_filter(args),
                first=size,
                after=args.get("after"),
                today=args.get("as_of") or today_in_china(),
            )
        _prime(info, [view for _, view in page.items])
        return to_connection(page)

    @staticmethod
    def resolve_linked_rounds(
        _root: Any, info: GraphQLResolveInfo, city_id: str, **args: Any
    ) -> dict[str, Any]:
        size = check_page_size(args.get("first"))
        city = parse_id(city_id, "cityId")
        with reading(info, args.get("min_position"), views=ROUND_LISTS) as conn:
            page = rounds_read.linked_page(
                conn,
                city_id=city,
                filters=_filter(info, conn, city, args),
                first=size,
                after=args.get("after"),
                today=args.get("as_of") or today_in_china(),
            )
        linked_rounds = [linked for _, linked in page.items]
        _prime(
            info,
            [v for linked in linked_rounds for v in (linked.parent, *linked.children)],
            [c.county_id for linked in linked_rounds for c in linked.counties],
        )
        return to_connection(page)
