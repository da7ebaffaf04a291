from __future__ import annotations

from datetime import date, datetime
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.rounds.values import Linkage as DomainLinkage
from graphql_schema.context import caught_up, parse_id, parse_optional_id, reading, runtime_of
from graphql_schema.dataloaders import want_units
from graphql_schema.relay import to_connection
from graphql_schema.rounds.coverage import CoverageQueries
from graphql_schema.rounds.types import LinkedRoundConnection, Round, RoundConnection, RoundPhase
from projections import rounds_read
from projections.paging import check_page_size
from projections.rounds_read import RoundFilter, RoundView
from services.clock import today_in_china


def _list_field(description: str, connection: Any = RoundConnection) -> graphene.Field:
    return graphene.Field(
        connection,
        required=True,
        description=description,
        city_id=graphene.ID(required=True),
        period_from=graphene.Date(description="Rounds whose period overlaps [from, to]."),
        period_to=graphene.Date(),
        phase=graphene.Argument(RoundPhase),
        county_id=graphene.ID(description="Rounds a county organises, joins or is inspected in."),
        as_of=graphene.Date(description="The day overdue clues are counted on (default today)."),
        first=graphene.Int(description="Page size (default 50, at most 500)."),
        after=graphene.String(),
        min_position=graphene.BigInt(description="Wait until projections reach this position."),
    )


def _filter(args: dict[str, Any]) -> RoundFilter:
    phase = args.get("phase")
    return RoundFilter(
        period_from=args.get("period_from"),
        period_to=args.get("period_to"),
        phase=getattr(phase, "value", phase),
        county_id=parse_optional_id(args.get("county_id"), "countyId"),
    )


def _want_target_units(info: GraphQLResolveInfo, views: list[RoundView]) -> None:
    want_units(info, [u for v in views for u in v.row.owner_of()])


def _rounds(linkage: DomainLinkage) -> Any:
    def resolve(_root: Any, info: GraphQLResolveInfo, city_id: str, **args: Any) -> Any:
        size = check_page_size(args.get("first"))
        with reading(info, args.get("min_position")) as conn:
            page = rounds_read.page(
                conn,
                city_id=parse_id(city_id, "cityId"),
                linkage=linkage.value,
                filters=_filter(args),
                first=size,
                after=args.get("after"),
                today=args.get("as_of") or today_in_china(),
            )
        _want_target_units(info, [view for _, view in page.items])
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
        min_position=graphene.BigInt(),
    )
    escalated_rounds = _list_field("Escalated rounds (提级巡察) of a city.")
    linked_rounds = _list_field(
        "Linked rounds (联动巡察): each parent with its county children and one combined "
        "progress row per county.",
        LinkedRoundConnection,
    )
    joint_rounds = _list_field("Joint rounds (联合巡察) of a city and its counties.")
    cross_rounds = _list_field("Cross rounds (交叉巡察) authorised by a city.")

    @staticmethod
    def resolve_round(
        _root: Any,
        info: GraphQLResolveInfo,
        id: str,
        today: date | None = None,
        as_of: datetime | None = None,
        min_position: int | None = None,
    ) -> RoundView | None:
        round_id, day = parse_id(id, "id"), today or today_in_china()
        if as_of is not None:
            caught_up(info, min_position)  # so every clue of the round is known
            view: RoundView | None = runtime_of(info).round_replay.view_as_of(round_id, as_of, day)
        else:
            with reading(info, min_position) as conn:
                view = rounds_read.round_view(conn, round_id, day)
        if view is not None:
            _want_target_units(info, [view])
        return view

    resolve_escalated_rounds = _rounds(DomainLinkage.ESCALATED)
    resolve_joint_rounds = _rounds(DomainLinkage.JOINT)
    resolve_cross_rounds = _rounds(DomainLinkage.CROSS)

    @staticmethod
    def resolve_linked_rounds(
        _root: Any, info: GraphQLResolveInfo, city_id: str, **args: Any
    ) -> dict[str, Any]:
        size = check_page_size(args.get("first"))
        with reading(info, args.get("min_position")) as conn:
            page = rounds_read.linked_page(
                conn,
                city_id=parse_id(city_id, "cityId"),
                filters=_filter(args),
                first=size,
                after=args.get("after"),
                today=args.get("as_of") or today_in_china(),
            )
        _want_target_units(
            info, [v for _, linked in page.items for v in (linked.parent, *linked.children)]
        )
        return to_connection(page)
