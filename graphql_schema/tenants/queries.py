from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from domain.errors import ValidationFailed
from graphql_schema.as_of import AS_OF_ARGUMENT
from graphql_schema.context import parse_id, parse_optional_id, reading, runtime_of
from graphql_schema.relay import to_connection
from graphql_schema.tenants.acting import scope_for, scope_in
from graphql_schema.tenants.types import Tenant, TenantOnDate, UnitConnection, UnitType
from projections import directory
from projections.directory import Directory
from projections.paging import check_page_size
from services.clock import today_in_china
from services.configuration import TenantOnDate as TenantOnDateView


def _term(
    info: GraphQLResolveInfo,
    tenant_id: UUID,
    on: date | None,
    start: date | None,
    end: date | None,
) -> tuple[date, date]:
    """The term `inspectedInTerm` asks about: explicit dates, or the office's declared term."""
    if start is not None or end is not None:
        if start is None or end is None or end < start:
            raise ValidationFailed(
                "termStart and termEnd go together, the end not before the start",
                field="termStart",
            )
        return start, end
    day = on or today_in_china()
    term = runtime_of(info).configuration.term_on(tenant_id, day)
    if term is None:
        raise ValidationFailed(
            f"No committee term is declared for {day}; declare one or pass termStart/termEnd",
            field="termOn",
        )
    return term.starts_on, term.ends_on


class TenantQueries(graphene.ObjectType):
    tenants = graphene.List(
        graphene.NonNull(Tenant),
        required=True,
        min_position=graphene.BigInt(),
        as_of=AS_OF_ARGUMENT,
    )
    tenant = graphene.Field(
        TenantOnDate,
        required=True,
        id=graphene.ID(required=True),
        as_of=graphene.Date(description="The date the configuration is asked for (today)."),
        description="An office with its name and configuration in force on a date. Read from "
        "the event store (as-of questions are history), so always current.",
    )
    units = graphene.Field(
        UnitConnection,
        required=True,
        tenant_id=graphene.ID(required=True),
        unit_type=graphene.Argument(UnitType),
        class_code=graphene.String(description="Only units most recently given this class."),
        township_id=graphene.ID(description="Only units of this township."),
        inspected_in_term=graphene.Boolean(
            description="true: only units inspected in the term (a target of a round that "
            "reached STATIONED within it); false: only those not inspected. The term is "
            "termStart..termEnd when given, else the office's term in force on termOn (today)."
        ),
        term_on=graphene.Date(description="A day of the term meant (today by default)."),
        term_start=graphene.Date(description="An explicit term start (with termEnd)."),
        term_end=graphene.Date(description="An explicit term end (with termStart)."),
        first=graphene.Int(description="Page size (default 50, at most 500)."),
        after=graphene.String(),
        min_position=graphene.BigInt(),
        as_of=AS_OF_ARGUMENT,
    )

    @staticmethod
    def resolve_tenants(
        _root: Any,
        info: GraphQLResolveInfo,
        min_position: int | None = None,
        as_of: datetime | None = None,
    ) -> list[directory.TenantRow]:
        with reading(info, min_position, views=[Directory.name], as_of=as_of) as conn:
            scope = scope_in(info)
            return [t for t in directory.tenants(conn) if scope.reads(t.tenant_id)]

    @staticmethod
    def resolve_tenant(
        _root: Any, info: GraphQLResolveInfo, id: str, as_of: date | None = None
    ) -> TenantOnDateView:
        on = as_of or today_in_china()
        scope_for(info).require_read(parse_id(id, "id"), "tenant")
        return runtime_of(info).configuration.tenant_on(parse_id(id, "id"), on)

    @staticmethod
    def resolve_units(
        _root: Any,
        info: GraphQLResolveInfo,
        tenant_id: str,
        unit_type: Any = None,
        class_code: str | None = None,
        township_id: str | None = None,
        inspected_in_term: bool | None = None,
        term_on: date | None = None,
        term_start: date | None = None,
        term_end: date | None = None,
        first: int | None = None,
        after: str | None = None,
        min_position: int | None = None,
        as_of: datetime | None = None,
    ) -> dict[str, Any]:
        size = check_page_size(first)
        owner = parse_id(tenant_id, "tenantId")
        township = parse_optional_id(township_id, "townshipId")
        with reading(info, min_position, views=[Directory.name], as_of=as_of) as conn:
            scope_in(info).require_read(owner, "tenant")
            inspected_in = None
            if inspected_in_term is not None:  # asked only once the office may be read
                start, end = _term(info, owner, term_on, term_start, term_end)
                inspected_in = (start, end, inspected_in_term)
            where = directory.UnitFilter(
                tenant_id=owner,
                unit_type=getattr(unit_type, "value", unit_type),
                class_tag=class_code,
                township_id=township,
                inspected_in=inspected_in,
            )
            page = directory.units_page(conn, where, first=size, after=after)
        return to_connection(page)
