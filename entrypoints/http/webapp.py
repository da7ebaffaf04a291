"""The offices' web app, served by XunCha itself: the page at `/app/`, its own modules from
webapp/static, the third-party code it uses from webapp/node_modules (installed from the npm
registry by name and lockfile: `npm ci`, run here when missing), and the clue ledger's export
at `/app/export/clue-ledger.xlsx` (or `.csv`), which runs the same `clueLedger` query the page
shows, as the signed-in caller, and writes every row of the current filter."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import subprocess
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from graphql import graphql_sync

from domain.context import acting_as
from domain.errors import LimitExceeded, ValidationFailed, XunChaError
from entrypoints.http.submissions import worded_item
from entrypoints.http.uploads import MAX_UPLOAD_BYTES
from entrypoints.http.web_session import WebAuth
from graphql_schema.api import schema
from graphql_schema.context import RequestContext
from graphql_schema.errors import language_of
from services.audit import AuditTrail
from services.authorization import ADMIN, AUDITOR, CITY_OFFICE, Acting, require_role
from services.imports.clue_rows import clue_items, clue_template
from services.ledger_export import ledger_csv, ledger_xlsx
from services.reads import ReadSession
from services.runtime import Runtime
from services.submissions.batch import Batch, require_submitter

log = logging.getLogger(__name__)

# The checkout's folder; an installed copy (the image) names its own with XUNCHA_WEBAPP_DIR.
WEBAPP = Path(os.environ.get("XUNCHA_WEBAPP_DIR") or Path(__file__).resolve().parents[2] / "webapp")
VENDOR = {"echarts": Path("node_modules/echarts/dist")}  # URL name -> folder served, in WEBAPP
# Everything the page loads comes from this server; nothing inline.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORT_ROWS = 20_000
PAGE = 500
LEDGER = """
query Ledger($after: String, $tenantId: ID, $receivingTenantId: ID,
  $roundId: ID, $status: ClueStatus, $priority: PriorityClass, $category: String,
  $overdue: Boolean, $supervisionStep: SupervisionStep, $sort: ClueSort, $descending: Boolean) {
  clueLedger(first: %d, after: $after, tenantId: $tenantId, receivingTenantId: $receivingTenantId,
    roundId: $roundId, status: $status, priority: $priority, category: $category,
    overdue: $overdue, supervisionStep: $supervisionStep, sort: $sort, descending: $descending) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { registeredAt tenant { name } unit { name } source category summary
      amountInvolved status priority handlingBody transferredOn dueDate overdue
      supervisionStep fundsRecovered } }
  }
}
""".replace("first: %d", f"first: {PAGE}")
FILTERS = (
    "tenantId",
    "receivingTenantId",
    "roundId",
    "status",
    "priority",
    "category",
    "overdue",
    "supervisionStep",
    "sort",
    "descending",
)


def ensure_packages(webapp: Path = WEBAPP) -> bool:
    """Install the web app's npm packages from its lockfile when they are missing; whether they
    are there. Without npm the app still works, without its charts."""
    if all((webapp / folder).is_dir() for folder in VENDOR.values()):
        return True
    npm = shutil.which("npm")
    if npm is None:
        log.warning(
            "npm is not installed: the web app's charts are missing (run `npm ci` in %s)", webapp
        )
        return False
    log.info("installing the web app's packages (npm ci) in %s", webapp)
    done = subprocess.run(  # noqa: S603 - a fixed command
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=webapp,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        log.warning("npm ci failed in %s: %s", webapp, done.stderr[-2000:])
    return all((webapp / folder).is_dir() for folder in VENDOR.values())


def mount_webapp(app: FastAPI, runtime: Runtime, auth: WebAuth) -> None:
    static = StaticFiles(directory=WEBAPP / "static", check_dir=False)
    app.mount("/app/static", static, name="webapp")
    for name, folder in VENDOR.items():
        app.mount(
            f"/app/vendor/{name}",
            StaticFiles(directory=WEBAPP / folder, check_dir=False),
            name=f"webapp-{name}",
        )
    app.include_router(webapp_router(runtime, auth))


def webapp_router(runtime: Runtime, auth: WebAuth) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def root() -> RedirectResponse:
        return RedirectResponse("/app/")

    @router.get("/app/")
    def page() -> FileResponse:
        return FileResponse(
            WEBAPP / "static" / "index.html",
            headers={"Content-Security-Policy": POLICY, "Cache-Control": "no-cache"},
        )

    @router.get("/app/export/clue-ledger.{kind}")
    def export(
        kind: str,
        request: Request,
        filters: Annotated[str, Query(description="The ledger's filter, as JSON")] = "{}",
        authorization: Annotated[str | None, Header()] = None,
    ) -> Response:
        if kind not in ("xlsx", "csv"):
            raise ValidationFailed("Export as .xlsx or .csv", field="kind")
        context = RequestContext(runtime=runtime, principal=auth.principal(request, authorization))
        nodes = ledger_nodes(context, _filters(filters))
        if kind == "csv":
            body, media = ledger_csv(nodes), "text/csv; charset=utf-8"
        else:
            body = ledger_xlsx(nodes)
            media = XLSX
        name = f"clue-ledger.{kind}"
        return Response(
            body,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @router.get("/app/export/audit.jsonl")
    def audit_export(
        request: Request,
        tenant_id: Annotated[UUID, Query(alias="tenantId")],
        authorization: Annotated[str | None, Header()] = None,
    ) -> Response:
        """The office's events, each with its canonical record and hash (docs/AUDIT.md), as
        `xuncha audit export` writes them, for an auditor, city office or ADMIN of its scope."""
        acting = Acting.of(auth.principal(request, authorization))
        scope = ReadSession(runtime.reads, acting, runtime.settings.read_statement_timeout_ms)
        scope.scope.require_read(tenant_id, "tenant")
        require_role(acting, {AUDITOR, CITY_OFFICE, ADMIN}, "export an office's history")
        out = io.StringIO()
        AuditTrail(runtime.store, runtime.reads, runtime.settings).export(out, tenant_id)
        return Response(
            out.getvalue().encode("utf-8"),
            media_type="application/jsonl; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="audit-{tenant_id}.jsonl"'},
        )

    @router.get("/app/import/clues/template.xlsx")
    def clue_template_file() -> Response:
        return Response(
            clue_template(),
            media_type=XLSX,
            headers={"Content-Disposition": 'attachment; filename="clue-template.xlsx"'},
        )

    @router.post("/app/import/clues")
    def import_clues(
        request: Request,
        file: Annotated[UploadFile, File()],
        tenant_id: Annotated[UUID, Form(alias="tenantId")],
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        """Register one clue a row through the batch submission: each row's outcome."""
        principal = auth.principal(request, authorization)
        acting = Acting.of(principal)
        require_submitter(runtime, acting, tenant_id)
        data = file.file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise LimitExceeded(f"A file may hold at most {MAX_UPLOAD_BYTES} bytes")
        parsed = clue_items(file.filename or "", data, tenant_id)
        outcomes = Batch(runtime, principal.subject, acting, tenant_id).run(parsed.items)
        language = language_of(request.headers.get("accept-language"))
        rows = [
            {"row": row} | worded_item(outcome, language)
            for row, outcome in zip(parsed.rows, outcomes, strict=True)
        ]
        refused = [
            {"row": p.row, "status": "REJECTED", "error": {"message": f"{p.column}: {p.reason}"}}
            for p in parsed.problems
        ]
        return {"rows": sorted(rows + refused, key=lambda r: r["row"])}

    return router


def _filters(given: str) -> dict[str, Any]:
    try:
        filters = json.loads(given)
    except ValueError:
        raise ValidationFailed("filters must be a JSON object", field="filters") from None
    if not isinstance(filters, dict) or set(filters) - set(FILTERS):
        raise ValidationFailed(f"filters may name {', '.join(FILTERS)}", field="filters")
    return {k: v for k, v in filters.items() if v not in (None, "")}


def ledger_nodes(context: RequestContext, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of the ledger under `filters`, read page by page as the caller."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        with acting_as(context.actor), context.read_session.sharing():
            result = graphql_sync(
                schema.graphql_schema,
                LEDGER,
                variable_values={**filters, "after": after},
                context_value={"xuncha": context},
            )
        if result.errors:
            original = result.errors[0].original_error
            if isinstance(original, XunChaError):
                raise original
            raise ValidationFailed(result.errors[0].message, field="filters")
        assert result.data is not None  # noqa: S101 - no errors, so data
        ledger = result.data["clueLedger"]
        nodes.extend(edge["node"] for edge in ledger["edges"])
        if len(nodes) > MAX_EXPORT_ROWS:
            raise LimitExceeded(f"An export holds at most {MAX_EXPORT_ROWS} rows; filter further")
        if not ledger["pageInfo"]["hasNextPage"]:
            return nodes
        after = ledger["pageInfo"]["endCursor"]
