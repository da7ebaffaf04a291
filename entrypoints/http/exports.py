"""The web app's downloads, each read as the signed-in caller: the clue ledger under the page's
filter (`/app/export/clue-ledger.xlsx` or `.csv`, through the same `clueLedger` query the page
shows, every page of it), the figures of 整改与统计 (`/app/export/statistics.xlsx`, through the
`statistics` query for each office the caller reads), and an office's history for a third
party (`/app/export/audit.jsonl`, as `xuncha audit export` writes it)."""

from __future__ import annotations

import io
import json
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Query, Request, Response
from graphql import graphql_sync

from domain.context import acting_as
from domain.errors import LimitExceeded, ValidationFailed, XunChaError
from entrypoints.http.web_session import WebAuth
from graphql_schema.api import schema
from graphql_schema.context import RequestContext
from services.audit import AuditTrail
from services.authorization import ADMIN, AUDITOR, CITY_OFFICE, Acting, require_role
from services.ledger_export import ledger_csv, ledger_xlsx
from services.reads import ReadSession
from services.runtime import Runtime
from services.statistics_export import FIGURES, statistics_xlsx

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


STATISTICS = """
query Statistics($id: ID) { statistics(tenantId: $id) {
  total { %(f)s } byCategory { category figures { %(f)s } } } }
"""


def exports_router(runtime: Runtime, auth: WebAuth) -> APIRouter:
    router = APIRouter(include_in_schema=False)

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

    @router.get("/app/export/statistics.xlsx")
    def statistics_export(
        request: Request, authorization: Annotated[str | None, Header()] = None
    ) -> Response:
        context = RequestContext(runtime=runtime, principal=auth.principal(request, authorization))
        offices = execute(context, "{ tenants { id name } }", {})["tenants"]
        query = STATISTICS % {"f": " ".join(FIGURES)}
        figures = [
            (o["name"], execute(context, query, {"id": o["id"]})["statistics"]) for o in offices
        ]
        return Response(
            statistics_xlsx(figures),
            media_type=XLSX,
            headers={"Content-Disposition": 'attachment; filename="statistics.xlsx"'},
        )

    return router


def execute(context: RequestContext, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The data of one GraphQL operation run as the caller; its first refusal raised as is."""
    with acting_as(context.actor), context.read_session.sharing():
        result = graphql_sync(
            schema.graphql_schema,
            query,
            variable_values=variables,
            context_value={"xuncha": context},
        )
    if result.errors:
        original = result.errors[0].original_error
        if isinstance(original, XunChaError):
            raise original
        raise ValidationFailed(result.errors[0].message, field="filters")
    assert result.data is not None  # noqa: S101 - no errors, so data
    return result.data


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
        ledger = execute(context, LEDGER, {**filters, "after": after})["clueLedger"]
        nodes.extend(edge["node"] for edge in ledger["edges"])
        if len(nodes) > MAX_EXPORT_ROWS:
            raise LimitExceeded(f"An export holds at most {MAX_EXPORT_ROWS} rows; filter further")
        if not ledger["pageInfo"]["hasNextPage"]:
            return nodes
        after = ledger["pageInfo"]["endCursor"]
