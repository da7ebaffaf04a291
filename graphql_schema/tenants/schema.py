from __future__ import annotations

import graphene

from graphql_schema.tenants.mutations.adopt_checklist import AdoptChecklist
from graphql_schema.tenants.mutations.amend_practice import AmendPractice
from graphql_schema.tenants.mutations.declare_term import DeclareTerm
from graphql_schema.tenants.mutations.define_unit_classes import DefineUnitClasses
from graphql_schema.tenants.mutations.merge_county import MergeCounty
from graphql_schema.tenants.mutations.register_tenant import RegisterTenant
from graphql_schema.tenants.mutations.register_unit import RegisterUnit
from graphql_schema.tenants.mutations.rename_county import RenameCounty
from graphql_schema.tenants.queries import TenantQueries


class TenantMutations(graphene.ObjectType):
    register_tenant = RegisterTenant.Field()
    register_unit = RegisterUnit.Field()
    rename_county = RenameCounty.Field()
    merge_county = MergeCounty.Field()
    define_unit_classes = DefineUnitClasses.Field()
    adopt_checklist = AdoptChecklist.Field()
    amend_practice = AmendPractice.Field()
    declare_term = DeclareTerm.Field()


__all__ = ["TenantMutations", "TenantQueries"]
