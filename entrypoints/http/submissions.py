"""`POST /api/v1/tenants/{tenantId}/submissions`: batch submission for county teams.

A batch is a list of commands — the GraphQL mutations, same names and input fields (see
services/submissions/commands.py) — each with a `clientId` the client generates. Items run in
order, each as its own command through the services, as the caller (the token's subject is the
actor of every event): an accepted item is committed with its log position and the id it wrote,
a rejected one writes nothing and says why (code, message, rule). A later item may name a clue
registered by an earlier item — of this batch or an earlier one — by `clueRef` (that
item's clientId).

Idempotency. Every item's outcome is kept in `submission_results` (services/submissions/ledger.py),
keyed by (path tenant, clientId); the same item sent again is answered from there and runs
nothing. The same clientId with a different command is refused with CONFLICT. The event store
saves on its own connection, so the outcome row cannot share the event's transaction; instead:

1. Work on one (tenant, clientId) is serialised by a Postgres advisory lock held on the
   ledger's connection (a crashed process's connection, and its lock, go away).
2. Before the command runs, a `PENDING` row is committed with the log position at that moment
   and the aggregate the command targets; after it ran, the outcome replaces it (`DONE`).
3. A retry that finds a `PENDING` row knows the previous attempt died between 2's two writes,
   and asks the log whether its event exists: an event of the command's type, by the same
   actor, that the item's input recorded (`CommandInput.recorded`: on the targeted aggregate;
   for a registration, in the same office with the same unit, category and summary of a clue,
   or name and staff number of an inspector), after the recorded position, and not already
   claimed by another item (a unique index on the claimed position). Found: the item is
   accepted with that event's id and position. Not found: nothing was written, and the command
   runs now.
   Claims make this count-exact: two lost attempts can never both claim one event, so a crash
   can neither duplicate an item's write nor drop it.

(A registerClue whose clue id were derived with uuid5 from (tenant, clientId) would make the
look-up direct; ClueService chooses clue ids itself, so the log look-up is used instead.)
After a crash, a recovered multi-event command (advanceRoundPhase closing a round,
recordFeedback with its tasks) reports the position of its own event on its aggregate rather
than of the last event of its save."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Path, Request, Response, Security
from fastapi.routing import APIRoute
from psycopg import Connection
from pydantic import ValidationError

from domain.context import acting_as
from domain.errors import (
    Conflict,
    Forbidden,
    LimitExceeded,
    NotFound,
    XunChaError,
)
from entrypoints.http.json_route import Handler, ReadableJsonRoute
from entrypoints.http.submission_models import (
    MAX_ITEMS,
    ItemResult,
    Submission,
    SubmissionItem,
    SubmissionResult,
)
from entrypoints.http.submission_openapi import BEARER, DESCRIPTION, EXAMPLES, RESPONSES
from infrastructure.auth import Principal
from services.authorization import AUDITOR, Acting
from services.results import Written
from services.runtime import Runtime
from services.submissions import ledger
from services.submissions.commands import BATCH_COMMANDS, Command
from services.submissions.inputs import CommandInput, invalid

Authenticate = Callable[[str | None], Principal]


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
        require_submitter(runtime, Acting.of(principal), tenant_id)
        with runtime.reads.connection() as conn:
            batch = Batch(runtime, conn, principal, tenant_id)
            results = [batch.process(item) for item in submission.items]
        positions = [r.position for r in results if r.position is not None]
        return SubmissionResult(
            tenant_id=tenant_id,
            accepted=sum(r.status == "ACCEPTED" for r in results),
            rejected=sum(r.status == "REJECTED" for r in results),
            position=max(positions) if positions else None,
            results=results,
        )

    return router


def authenticated_first(authenticate: Authenticate) -> type[APIRoute]:
    """A route that checks the bearer token before it reads the body: an anonymous caller is
    answered 401 whatever it sent, and learns nothing of what a valid body would hold."""

    class AuthenticatedRoute(ReadableJsonRoute):
        def get_route_handler(self) -> Handler:
            handle = super().get_route_handler()

            async def authenticate_then_handle(request: Request) -> Response:
                request.state.principal = authenticate(request.headers.get("authorization"))
                return await handle(request)

            return authenticate_then_handle

    return AuthenticatedRoute


def fingerprint(item: SubmissionItem) -> str:
    canonical = json.dumps(
        {"command": item.command, "input": item.input},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def accepted(aggregate_id: UUID, position: int) -> dict[str, Any]:
    return {"status": "ACCEPTED", "id": str(aggregate_id), "position": position}


def rejected(error: XunChaError) -> dict[str, Any]:
    details = error.details
    return {
        "status": "REJECTED",
        "error": {
            "code": error.code.value,
            "message": _storable(error.message),
            "rule": _storable(details.get("rule")),
            "field": _storable(details.get("field")),
        },
    }


def _storable(text: Any) -> str | None:
    """`text` as PostgreSQL can keep it (no NUL character): messages may quote input."""
    return None if text is None else str(text).replace("\x00", "\ufffd")


def require_submitter(runtime: Runtime, acting: Acting, tenant_id: UUID) -> None:
    """Refuse unless `acting` may submit for office `tenant_id`: a writing role of the office
    or of its city. An office the caller may not submit for, and one that does not exist,
    get the same FORBIDDEN, so a refusal never confirms that another tenant exists."""
    if acting.role == AUDITOR:
        raise Forbidden("An auditor reads; it submits nothing")
    refused = Forbidden(f"The caller may not submit for office {tenant_id}")
    try:
        office = runtime.tenants.tenant(tenant_id)
    except NotFound:
        if acting.deployment_wide:
            raise
        raise refused from None
    if not acting.deployment_wide and acting.tenant_id not in {office.id, office.parent_id}:
        raise refused


class Batch:
    """One batch in flight: the ledger connection, the caller, and the clues its items
    registered so far (for `clueRef`)."""

    def __init__(
        self, runtime: Runtime, conn: Connection[Any], principal: Principal, tenant_id: UUID
    ) -> None:
        self.runtime = runtime
        self.conn = conn
        self.principal = principal
        self.acting = Acting.of(principal)
        self.tenant_id = tenant_id
        self.refs: dict[str, UUID] = {}

    def process(self, item: SubmissionItem) -> ItemResult:
        ledger.lock(self.conn, self.tenant_id, item.client_id)
        try:
            outcome = self._outcome(item)
        finally:
            ledger.unlock(self.conn, self.tenant_id, item.client_id)
        if item.command == "registerClue" and outcome["status"] == "ACCEPTED":
            self.refs[item.client_id] = UUID(outcome["id"])
        return ItemResult(client_id=item.client_id, command=item.command, **outcome)

    def _outcome(self, item: SubmissionItem) -> dict[str, Any]:
        print_ = fingerprint(item)
        row = ledger.find(self.conn, self.tenant_id, item.client_id)
        if row is not None and row.fingerprint != print_:
            return rejected(ledger_conflict(item.client_id, row.command))
        if row is not None and row.state == ledger.DONE and row.outcome is not None:
            return row.outcome
        command = BATCH_COMMANDS[item.command]
        try:
            given = command.input.model_validate(item.input)
            self._remember(getattr(given, "clue_ref", None))
            target = given.target(self.tenant_id, self.refs)
        except ValidationError as error:
            return self._settle(item, row, print_, rejected(invalid(error)), None)
        except XunChaError as error:
            return self._settle(item, row, print_, rejected(error), None)
        if row is not None:  # an earlier attempt died between its two writes
            found = self._recover(row, command, given)
            if found is not None:
                return self._settle(item, row, print_, accepted(*found), found[1])
        else:
            row = self._pending(item, print_, target)
        try:
            with acting_as(self.principal.subject):
                written: Written = command.run(self.runtime, self.acting, given, target)
        except XunChaError as error:
            return self._settle(item, row, print_, rejected(error), None)
        return self._settle(
            item, row, print_, accepted(written.id, written.position), written.position
        )

    def _remember(self, ref: str | None) -> None:
        """Make a clue registered by an item of an earlier batch referable by its clientId."""
        if ref is None or ref in self.refs:
            return
        row = ledger.find(self.conn, self.tenant_id, ref)
        outcome = (row.outcome if row is not None and row.command == "registerClue" else None) or {}
        if outcome.get("status") == "ACCEPTED":
            self.refs[ref] = UUID(outcome["id"])

    def _pending(self, item: SubmissionItem, print_: str, target: UUID) -> ledger.Row:
        row = ledger.Row(
            tenant_id=self.tenant_id,
            client_id=item.client_id,
            command=item.command,
            fingerprint=print_,
            subject=self.principal.subject,
            state=ledger.PENDING,
            after_position=self.runtime.store.max_position(),
            target_id=target,
            outcome=None,
        )
        ledger.begin(self.conn, row)
        return row

    def _settle(
        self,
        item: SubmissionItem,
        row: ledger.Row | None,
        print_: str,
        outcome: dict[str, Any],
        position: int | None,
    ) -> dict[str, Any]:
        if row is None:
            row = self._pending(item, print_, self.tenant_id)
        ledger.finish(self.conn, self.tenant_id, item.client_id, outcome, position)
        return outcome

    def _recover(
        self, row: ledger.Row, command: Command, given: CommandInput
    ) -> tuple[UUID, int] | None:
        """The event the attempt of `row` recorded before it died, if it did (see above)."""
        store = self.runtime.store
        start = row.after_position + 1
        while True:
            page = store.recorder.select_notifications(start, 200, topics=[command.topic])
            for notification in page:
                event: Any = store.mapper.to_domain_event(notification)
                if (
                    event.actor == row.subject
                    and given.recorded(event, row.target_id)
                    and not ledger.claimed(self.conn, notification.id)
                ):
                    return event.originator_id, notification.id
            if len(page) < 200:
                return None
            start = page[-1].id + 1


def ledger_conflict(client_id: str, command: str) -> XunChaError:
    return Conflict(
        f"clientId {client_id!r} was already used for another {command} command; "
        "give each command its own clientId"
    )
