from __future__ import annotations

import graphene

from graphql_schema.clues.mutations.register_clue import RegisterClue
from graphql_schema.clues.queries import ClueQueries


class ClueMutations(graphene.ObjectType):
    register_clue = RegisterClue.Field()


__all__ = ["ClueMutations", "ClueQueries"]
