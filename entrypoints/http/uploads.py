"""`POST /imports/units`: the bulk import of units over HTTP, as a multipart upload.

A plain multipart endpoint rather than a GraphQL mutation: spreadsheets are files, every HTTP
client and browser form can send `multipart/form-data`, OpenAPI documents it, and the answer
(a report, or every bad row) is a plain JSON document. Refusals use the same error body as
the rest of the API (`errors[0].extensions.code`, here with `problems`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, File, Form, Header, UploadFile

from domain.context import acting_as
from domain.errors import LimitExceeded, ValidationFailed
from infrastructure.auth import Principal
from services.imports.inspectors import inspector_imports
from services.imports.units import unit_imports
from services.runtime import Runtime
from services.tenants import Acting

MAX_UPLOAD_BYTES = 50 * 1024 * 1024

Authenticate = Callable[[str | None], Principal]  # an Authorization header -> the caller


def acting_of(principal: Principal) -> Acting:
    return Acting.of(principal)


def units_upload_router(runtime: Runtime, authenticate: Authenticate) -> APIRouter:
    router = APIRouter(prefix="/imports", tags=["imports"])

    @router.post("/units")
    def import_units(
        file: Annotated[
            UploadFile, File(description="The units file: .xlsx, or .csv in UTF-8/GBK")
        ],
        tenant_id: Annotated[str, Form(alias="tenantId", description="The owning office's id")],
        effective_from: Annotated[
            str | None, Form(alias="effectiveFrom", description="When classes take effect")
        ] = None,
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        """Import units (docs/IMPORT.md): all-or-nothing per file; re-importing the same file
        changes nothing; a changed file records only the differences."""
        principal = authenticate(authorization)
        data = file.file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise LimitExceeded(f"An upload holds at most {MAX_UPLOAD_BYTES // 2**20} MiB")
        try:
            owner = UUID(tenant_id)
            effective = date.fromisoformat(effective_from) if effective_from else None
        except ValueError as error:
            raise ValidationFailed(f"Bad form field: {error}", field="tenantId") from None
        with acting_as(principal.subject):
            report = unit_imports(runtime).import_units(
                acting=acting_of(principal),
                tenant_id=owner,
                filename=file.filename or "",
                data=data,
                effective_from=effective,
            )
        return report.as_dict()

    @router.post("/inspectors")
    def import_inspectors(
        file: Annotated[
            UploadFile, File(description="The inspectors file: .xlsx, or .csv in UTF-8/GBK")
        ],
        tenant_id: Annotated[str, Form(alias="tenantId", description="The home office's id")],
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        """Import inspectors with postings and relations (docs/IMPORT.md): all-or-nothing
        per file; re-importing the same file changes nothing."""
        principal = authenticate(authorization)
        data = file.file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise LimitExceeded(f"An upload holds at most {MAX_UPLOAD_BYTES // 2**20} MiB")
        try:
            home = UUID(tenant_id)
        except ValueError as error:
            raise ValidationFailed(f"Bad form field: {error}", field="tenantId") from None
        with acting_as(principal.subject):
            report = inspector_imports(runtime).import_inspectors(
                acting=acting_of(principal),
                tenant_id=home,
                filename=file.filename or "",
                data=data,
            )
        return report.as_dict()

    return router
