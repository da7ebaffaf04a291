"""`openPetitionChannel` and `closePetitionChannel`: hotline, mailbox, e-mail, QR code."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.rounds.values import PetitionChannel as DomainPetitionChannel
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.rounds.types import PetitionChannel, as_domain
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class OpenPetitionChannelInput(graphene.InputObjectType):
    round_id = graphene.ID(required=True)
    channel = graphene.Field(PetitionChannel, required=True)
    address = graphene.String(required=True, description="Number, box location, address, URL.")
    opened_on = graphene.Date(required=True)
    closes_on = graphene.Date(description="The published closing date.")


class OpenPetitionChannel(graphene.Mutation):
    class Arguments:
        input = graphene.Argument(OpenPetitionChannelInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).rounds.open_petition_channel(
            round_id=parse_id(input["round_id"], "roundId"),
            channel=as_domain(DomainPetitionChannel, input["channel"]),
            on=input["opened_on"],
            address=input["address"],
            closes_on=input.get("closes_on"),
            acting=acting_of(info),
        )
        return WriteResult.of(written)


class ClosePetitionChannelInput(graphene.InputObjectType):
    round_id = graphene.ID(required=True)
    channel = graphene.Field(PetitionChannel, required=True)
    closed_on = graphene.Date(required=True)


class ClosePetitionChannel(graphene.Mutation):
    class Arguments:
        input = graphene.Argument(ClosePetitionChannelInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).rounds.close_petition_channel(
            round_id=parse_id(input["round_id"], "roundId"),
            channel=as_domain(DomainPetitionChannel, input["channel"]),
            on=input["closed_on"],
            acting=acting_of(info),
        )
        return WriteResult.of(written)
