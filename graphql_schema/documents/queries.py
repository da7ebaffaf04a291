from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.context import parse_optional_id, reading
from graphql_schema.documents.types import Document, DocumentKind
from graphql_schema.tenants.acting import scope_in
from projections import documents
from projections.documents import MAX_LISTED, DocumentRow, DocumentsView


class DocumentQueries(graphene.ObjectType):
    documents = graphene.List(
        graphene.NonNull(Document),
        required=True,
        tenant_id=graphene.ID(
            description="Only this office's: issued by it, or about what it reads (a clue "
            "transferred to it, a feedback on its unit); for a city, not its counties'."
        ),
        kind=graphene.Argument(DocumentKind),
        subject_id=graphene.ID(description="Only documents about this clue or feedback."),
        year=graphene.Int(description="Only documents dated in this year."),
        first=graphene.Int(default_value=100, description=f"At most this many (≤ {MAX_LISTED})."),
        min_position=graphene.BigInt(description="Wait until projections reach this position."),
        description="Issued official documents (公文) the caller may read, latest first.",
    )

    @staticmethod
    def resolve_documents(
        _root: Any,
        info: GraphQLResolveInfo,
        tenant_id: str | None = None,
        kind: Any = None,
        subject_id: str | None = None,
        year: int | None = None,
        first: int = 100,
        min_position: int | None = None,
    ) -> list[DocumentRow]:
        office = parse_optional_id(tenant_id, "tenantId")
        with reading(info, min_position, views=[DocumentsView.name]) as conn:
            if office is not None:
                scope_in(info).require_read(office, "tenant")
            where = documents.DocumentFilter(
                office_ids=scope_in(info).narrowed_to(office),
                kind=getattr(kind, "value", kind),
                subject_id=parse_optional_id(subject_id, "subjectId"),
                year=year,
            )
            return documents.documents(conn, where, first=max(first, 0))
