from __future__ import annotations

import graphene

from graphql_schema.inspectors.mutations.register_inspector import RegisterInspector
from graphql_schema.inspectors.queries import InspectorQueries


class InspectorMutations(graphene.ObjectType):
    register_inspector = RegisterInspector.Field()


__all__ = ["InspectorMutations", "InspectorQueries"]
