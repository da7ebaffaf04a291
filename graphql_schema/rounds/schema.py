from __future__ import annotations

import graphene

from graphql_schema.rounds.mutations.plan_cross_batch import PlanCrossBatch
from graphql_schema.rounds.queries import RoundQueries


class RoundMutations(graphene.ObjectType):
    """The round mutations not made from a command declaration (graphql_schema/commands.py):
    planning a cross batch answers with its rounds, not one written aggregate."""

    plan_cross_batch = PlanCrossBatch.Field()


__all__ = ["RoundMutations", "RoundQueries"]
