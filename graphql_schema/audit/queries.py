from __future__ import annotations

from datetime import datetime
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.clues.clue import Clue
from graphql_schema.audit.types import ClueAsOf
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import scope_for
from services.history import AggregateState


class AuditQueries(graphene.ObjectType):
    clue = graphene.Field(
        ClueAsOf,
        required=True,
        id=graphene.ID(required=True),
        as_of=graphene.DateTime(
            description="The moment to see the clue at (default: now). A time without an "
            "offset is UTC."
        ),
        version=graphene.Int(
            description="The version to see the clue at, instead of a moment (not with asOf)."
        ),
        description="A clue rebuilt from its events as it stood at `asOf` or `version`, with "
        "its history.",
    )

    @staticmethod
    def resolve_clue(
        _root: Any,
        info: GraphQLResolveInfo,
        id: str,
        as_of: datetime | None = None,
        version: int | None = None,
    ) -> AggregateState:
        clue_id = parse_id(id, "id")
        runtime_of(info).clues.require_readable(scope_for(info), clue_id)
        return runtime_of(info).history.state_as_of(
            clue_id, as_of, version=version, kind=Clue, what="clue"
        )
