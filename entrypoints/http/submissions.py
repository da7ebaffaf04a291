"""`POST /api/v1/tenants/{tenantId}/submissions`: batch submission for county teams. The route
checks the caller and the body's shape; the batch itself — items in order, each accepted or
rejected on its own, answered once per clientId — is services/submissions/batch.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Path, Request, Response, Security
from fastapi.routing import APIRoute

from domain.errors import LimitExceeded
from entrypoints.http.json_route import Handler, ReadableJsonRoute
from entrypoints.http.submission_models import (
    MAX_ITEMS,
    ItemResult,
    Submission,
    SubmissionResult,
)
from entrypoints.http.submission_openapi import BEARER, DESCRIPTION, EXAMPLES, RESPONSES
from graphql_schema.errors import language_of, worded
from infrastructure.auth import Principal
from services.authorization import Acting
from services.runtime import Runtime
from services.submissions import ledger
from services.submissions.batch import Batch, Item, require_submitter

Authenticate = Callable[[Request], Principal]


def submissions_router(runtime: Runtime, authenticate: Authenticate) -> APIRouter:
    with runtime.reads.connection() as conn:
        ledger.install(conn)
    router = APIRouter(
        prefix="/api/v1", tags=["submissions"], route_class=authenticated_first(authenticate)
    )

    @router.post(
        "/tenants/{tenantId}/submissions",
        summary="Submit a batch of commands from the field",
        response_model=SubmissionResult,
        description=DESCRIPTION,
        responses=RESPONSES,
        dependencies=[Security(BEARER)],  # documents the scheme; `authenticate` checks it
    )
    def submit(
        request: Request,
        tenant_id: Annotated[UUID, Path(alias="tenantId", description="The office submitting")],
        submission: Annotated[Submission, Body(openapi_examples=EXAMPLES)],
    ) -> SubmissionResult:
        """Run a batch of commands in order, each accepted (committed) or rejected (nothing
        written) on its own; a repeated clientId returns its first outcome and writes nothing.
        The caller must belong to the office or to its city."""
        principal: Principal = request.state.principal
        if len(submission.items) > MAX_ITEMS:
            raise LimitExceeded(
                f"A submission holds at most {MAX_ITEMS} items, not {len(submission.items)}",
                limit="max_submission_items",
            )
        acting = Acting.of(principal)
        require_submitter(runtime, acting, tenant_id)
        items = [Item(i.client_id, i.command, i.input) for i in submission.items]
        outcomes = Batch(runtime, principal.subject, acting, tenant_id).run(items)
        language = language_of(request.headers.get("accept-language"))
        results = [
            ItemResult(
                client_id=item.client_id, command=item.command, **worded_item(outcome, language)
            )
            for item, outcome in zip(items, outcomes, strict=True)
        ]
        positions = [r.position for r in results if r.position is not None]
        return SubmissionResult(
            tenant_id=tenant_id,
            accepted=sum(r.status == "ACCEPTED" for r in results),
            rejected=sum(r.status == "REJECTED" for r in results),
            position=max(positions) if positions else None,
            results=results,
        )

    return router


def worded_item(outcome: dict[str, Any], language: str) -> dict[str, Any]:
    """An item's outcome with its error's message in `language`, the other one kept."""
    error = outcome.get("error")
    if error is None:
        return outcome
    message, extensions = worded(error["code"], error["message"], language, error.get("message_zh"))
    worded_error = {
        **error,
        "label": extensions["label"],
        "message": message,
        "message_en": extensions.get("messageEn"),
        "message_zh": extensions.get("messageZh"),
    }
    return {**outcome, "error": worded_error}


def authenticated_first(authenticate: Authenticate) -> type[APIRoute]:
    """A route that checks the bearer token before it reads the body: an anonymous caller is
    answered 401 whatever it sent, and learns nothing of what a valid body would hold."""

    class AuthenticatedRoute(ReadableJsonRoute):
        def get_route_handler(self) -> Handler:
            handle = super().get_route_handler()

            async def authenticate_then_handle(request: Request) -> Response:
                request.state.principal = authenticate(request)
                return await handle(request)

            return authenticate_then_handle

    return AuthenticatedRoute
