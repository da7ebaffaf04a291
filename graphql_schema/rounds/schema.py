from __future__ import annotations

import graphene

from graphql_schema.rounds.mutations.advance_round_phase import AdvanceRoundPhase
from graphql_schema.rounds.mutations.assign_inspector import AssignInspector
from graphql_schema.rounds.mutations.declare_recusal import DeclareRecusal
from graphql_schema.rounds.mutations.petition_channels import (
    ClosePetitionChannel,
    OpenPetitionChannel,
)
from graphql_schema.rounds.mutations.plan_cross_batch import PlanCrossBatch
from graphql_schema.rounds.mutations.plan_round import PlanRound
from graphql_schema.rounds.queries import RoundQueries


class RoundMutations(graphene.ObjectType):
    plan_round = PlanRound.Field()
    plan_cross_batch = PlanCrossBatch.Field()
    assign_inspector = AssignInspector.Field()
    declare_recusal = DeclareRecusal.Field()
    advance_round_phase = AdvanceRoundPhase.Field()
    open_petition_channel = OpenPetitionChannel.Field()
    close_petition_channel = ClosePetitionChannel.Field()


__all__ = ["RoundMutations", "RoundQueries"]
