from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.documents.values import DocumentKind as DomainDocumentKind
from graphql_schema.labels import labelled_enum
from services.documents.service import Issued

DocumentKind = labelled_enum(DomainDocumentKind, name="DocumentKind")

DOWNLOAD_PATH = "/documents/{document_id}"
SHA256 = "SHA-256 (hex) of the bytes sent, as the DocumentIssued event recorded it."


def download_url(document_id: object) -> str:
    return DOWNLOAD_PATH.format(document_id=document_id)


class Document(graphene.ObjectType):
    """An issued official document (公文): what its DocumentIssued event recorded."""

    id = graphene.ID(required=True)
    tenant_id = graphene.ID(required=True, description="The issuing office.")
    number = graphene.String(required=True, description="发文字号, e.g. 济巡办〔2026〕12号.")
    kind = graphene.Field(DocumentKind, required=True)
    subject_id = graphene.ID(required=True, description="The clue or feedback it is about.")
    recipient = graphene.String(required=True, description="主送机关.")
    title = graphene.String(required=True)
    sha256 = graphene.String(required=True, description=SHA256)
    size = graphene.Int(required=True, description="Bytes.")
    issued_on = graphene.Date(required=True, description="成文日期.")
    issued_by = graphene.String(required=True, description="Who issued it (the event's actor).")
    recorded_at = graphene.DateTime(required=True)
    download_url = graphene.String(
        required=True, description="GET it with the same bearer token: the bytes hashed."
    )

    @staticmethod
    def resolve_id(row: Any, _info: GraphQLResolveInfo) -> str:
        return str(row.document_id)

    @staticmethod
    def resolve_download_url(row: Any, _info: GraphQLResolveInfo) -> str:
        return download_url(row.document_id)


class IssueDocumentPayload(graphene.ObjectType):
    """The document issued, its number and hash, and where its event is in the log."""

    id = graphene.ID(required=True, description="The document's id.")
    position = graphene.BigInt(
        required=True, description="Log position of the DocumentIssued event."
    )
    number = graphene.String(required=True, description="发文字号.")
    kind = graphene.Field(DocumentKind, required=True)
    recipient = graphene.String(required=True, description="主送机关.")
    title = graphene.String(required=True)
    issued_on = graphene.Date(required=True, description="成文日期.")
    sha256 = graphene.String(required=True, description=SHA256)
    size = graphene.Int(required=True)
    download_url = graphene.String(required=True)

    @staticmethod
    def of(issued: Issued) -> IssueDocumentPayload:
        document = issued.document
        return IssueDocumentPayload(
            id=str(document.document_id),
            position=issued.position,
            number=document.number,
            kind=document.kind,
            recipient=document.recipient,
            title=document.title,
            issued_on=document.issued_on,
            sha256=document.sha256,
            size=document.size,
            download_url=download_url(document.document_id),
        )
