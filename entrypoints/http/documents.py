"""`GET /documents/{id}`: an issued document's bytes, exactly those its DocumentIssued event
hashed, for a caller who may read it (the same scope as the `documents` query; any other id
answers NOT_FOUND). The file name is the document's number and title, in UTF-8 (RFC 6266)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Header, Request, Response

from domain.errors import NotFound
from entrypoints.http.uploads import acting_of
from infrastructure.auth import Principal
from services.runtime import Runtime
from services.tenants import Acting

Authenticate = Callable[[Request], Principal]  # a bearer token, or the web app's session
FALLBACK_NAME = "document"


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the UTF-8 name (RFC 6266, RFC 8187)."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else ""
    fallback = f"{FALLBACK_NAME}.{extension}" if extension else FALLBACK_NAME
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def documents_router(runtime: Runtime, authenticate: Authenticate) -> APIRouter:
    router = APIRouter(prefix="/documents", tags=["documents"])

    @router.get("/{document_id}", response_class=Response)
    def download(
        request: Request,
        document_id: str,
        authorization: Annotated[str | None, Header()] = None,  # documents the header
    ) -> Response:
        """An issued document (.docx or .xlsx) as sent; verify it against its `sha256`."""
        acting: Acting = acting_of(authenticate(request))
        found = runtime.documents.download(acting, _document_id(document_id))
        return Response(
            found.content,
            media_type=found.media_type,
            headers={"Content-Disposition": content_disposition(found.filename)},
        )

    return router


def _document_id(given: str) -> UUID:
    try:
        return UUID(given)
    except ValueError:
        raise NotFound.no("document", given) from None
