"""`POST /imports/units` and `POST /imports/inspectors`: the bulk imports over HTTP, as
multipart uploads.

Plain multipart endpoints rather than GraphQL mutations: spreadsheets are files, every HTTP
client and browser form can send `multipart/form-data`, OpenAPI documents it, and the answer
(a report, or every bad row) is a plain JSON document. Refusals use the same error body as
the rest of the API (`errors[0].extensions.code`, here with `problems`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from inspect import Parameter, Signature
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, File, Form, Header, Request, Response, UploadFile

from domain.comparison.values import DatasetKind
from domain.context import acting_as
from domain.errors import LimitExceeded, ValidationFailed
from domain.tenants.tenant import office_id_of
from infrastructure.auth import Principal
from services.comparison.datasets import DatasetReport
from services.imports.inspectors import inspector_imports
from services.imports.pipeline import OfficeReport
from services.imports.templates import template_workbook
from services.imports.units import unit_imports
from services.runtime import Runtime
from services.tenants import Acting

MAX_UPLOAD_BYTES = 50 * 1024 * 1024

# The caller of a request: its bearer token, or the web app's session cookie (with its CSRF check).
Authenticate = Callable[[Request], Principal]


def acting_of(principal: Principal) -> Acting:
    return Acting.of(principal)


@dataclass(frozen=True)
class Option:
    """A further, optional form field of an upload, parsed (ValueError: refused) before use."""

    name: str  # the keyword it is passed to the import under
    alias: str
    description: str
    parse: Callable[[str], Any]


@dataclass(frozen=True)
class Received:
    """An upload as the import takes it: who sends it, for which office, and the file."""

    acting: Acting
    tenant_id: UUID
    filename: str
    data: bytes
    options: dict[str, Any]


@dataclass(frozen=True)
class Upload:
    """One kind of file the API imports."""

    name: str  # the endpoint's name, as OpenAPI calls its operation
    path: str
    file: str  # what the file holds
    office: str  # which office tenantId names
    summary: str  # the endpoint's description
    run: Callable[[Runtime, Received], OfficeReport]
    options: tuple[Option, ...] = ()


def _import_units(runtime: Runtime, upload: Received) -> OfficeReport:
    return unit_imports(runtime).import_units(
        acting=upload.acting,
        tenant_id=upload.tenant_id,
        filename=upload.filename,
        data=upload.data,
        **upload.options,
    )


def _import_inspectors(runtime: Runtime, upload: Received) -> OfficeReport:
    return inspector_imports(runtime).import_inspectors(
        acting=upload.acting, tenant_id=upload.tenant_id, filename=upload.filename, data=upload.data
    )


def _register_dataset(runtime: Runtime, upload: Received) -> OfficeReport:
    given = upload.options
    if given["kind"] is None:
        kinds = ", ".join(DatasetKind)
        raise ValidationFailed(f"kind is required: one of {kinds}", field="kind")
    written = runtime.datasets.register_dataset(
        acting=upload.acting,
        tenant_id=upload.tenant_id,
        kind=given["kind"],
        period=given["period"] or "",
        source=given["source"] or upload.filename,
        filename=upload.filename,
        data=upload.data,
        mapping=given["mapping"] or {},
    )
    return DatasetReport(
        upload.tenant_id,
        str(written.id),
        given["kind"].value,
        written.row_count,
        written.content_sha256,
        written.position,
    )


def _mapping(text: str) -> dict[str, str]:
    found = json.loads(text)
    if not isinstance(found, dict) or not all(isinstance(v, str) for v in found.values()):
        raise ValueError(
            'mapping is a JSON object of header -> field, e.g. {"证件号码": "id_number"}'
        )
    return found


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOADS = (
    Upload(
        name="import_units",
        path="/units",
        file="The units file: .xlsx, or .csv in UTF-8/GBK",
        office="The owning office: its id or its code (e.g. 370112)",
        summary="Import units (docs/IMPORT.md): all-or-nothing per file; re-importing the "
        "same file changes nothing; a changed file records only the differences.",
        run=_import_units,
        options=(
            Option(
                "effective_from", "effectiveFrom", "When classes take effect", date.fromisoformat
            ),
        ),
    ),
    Upload(
        name="import_inspectors",
        path="/inspectors",
        file="The inspectors file: .xlsx, or .csv in UTF-8/GBK",
        office="The home office: its id or its code (e.g. 3701)",
        summary="Import inspectors with postings and relations (docs/IMPORT.md): "
        "all-or-nothing per file; re-importing the same file changes nothing.",
        run=_import_inspectors,
    ),
    Upload(
        name="register_dataset",
        path="/datasets",
        file="A dataset for data comparison: .xlsx, .csv in UTF-8/GBK, or .parquet",
        office="The office registering it: its id or its code (e.g. 3701)",
        summary="Register a dataset for data comparison (docs/DATA_COMPARISON.md; the data "
        "clearance): every row checked, all-or-nothing per file, with each bad row's problem.",
        run=_register_dataset,
        options=(
            Option("kind", "kind", "The dataset's kind, e.g. SUBSISTENCE_ALLOWANCE", DatasetKind),
            Option("period", "period", "The period it covers, e.g. 2026年10月", str),
            Option("source", "source", "Who supplied it (default: the file's name)", str),
            Option(
                "mapping",
                "mapping",
                'Headers of the office\'s own: {"证件号码": "id_number"}',
                _mapping,
            ),
        ),
    ),
)


def units_upload_router(runtime: Runtime, authenticate: Authenticate) -> APIRouter:
    router = APIRouter(prefix="/imports", tags=["imports"])
    for upload in UPLOADS:
        router.post(upload.path)(_endpoint(runtime, authenticate, upload))

    @router.get("/{kind}/template.xlsx", response_class=Response)
    def template(kind: str) -> Response:
        """The import template of `kind` (units, inspectors) as an .xlsx workbook: the header
        row to fill, and a sheet 说明 with each column and an example."""
        return Response(
            template_workbook(kind),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{kind}-template.xlsx"'},
        )

    return router


def _endpoint(
    runtime: Runtime, authenticate: Authenticate, upload: Upload
) -> Callable[..., dict[str, Any]]:
    """The handler of `upload`, with the form FastAPI reads (and OpenAPI documents) declared
    by its signature: the file, tenantId, the upload's options and the Authorization header."""

    def endpoint(
        *,
        request: Request,
        file: UploadFile,
        tenant_id: str,
        authorization: str | None = None,
        **given: str | None,
    ) -> dict[str, Any]:
        principal = authenticate(request)
        data = _read(file)
        owner = office_id_of(tenant_id.strip())
        try:
            options = {o.name: o.parse(v) if (v := given[o.name]) else None for o in upload.options}
        except ValueError as error:
            raise ValidationFailed(f"Bad form field: {error}", field="tenantId") from None
        received = Received(acting_of(principal), owner, file.filename or "", data, options)
        with acting_as(principal.subject):
            report = upload.run(runtime, received)
        return report.as_dict()

    endpoint.__name__ = endpoint.__qualname__ = upload.name
    endpoint.__doc__ = upload.summary
    endpoint.__signature__ = _form(upload)  # type: ignore[attr-defined]
    return endpoint


def _form(upload: Upload) -> Signature:
    def field(name: str, annotation: Any, default: Any = Parameter.empty) -> Parameter:
        return Parameter(name, Parameter.KEYWORD_ONLY, default=default, annotation=annotation)

    return Signature(
        [
            field("file", Annotated[UploadFile, File(description=upload.file)]),
            field("tenant_id", Annotated[str, Form(alias="tenantId", description=upload.office)]),
            *(
                field(
                    o.name,
                    Annotated[str | None, Form(alias=o.alias, description=o.description)],
                    None,
                )
                for o in upload.options
            ),
            field("authorization", Annotated[str | None, Header()], None),
            field("request", Request),
        ],
        return_annotation=dict[str, Any],
    )


def _read(file: UploadFile) -> bytes:
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise LimitExceeded(f"An upload holds at most {MAX_UPLOAD_BYTES // 2**20} MiB")
    return data
