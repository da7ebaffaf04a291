"""What OpenAPI shows of batch submission (entrypoints/http/submissions.py): the description with
every command and its input fields, request and response examples, the documented refusals
(in the error shape of entrypoints/http/app.py's handlers) and the bearer security scheme."""

from __future__ import annotations

from typing import Any, get_args

from fastapi.security import HTTPBearer
from pydantic import BaseModel

from entrypoints.http.submission_models import MAX_ITEMS, ErrorDocument
from graphql_schema.errors import ZH_CN, worded
from services.submissions.commands import BATCH_COMMANDS
from services.submissions.inputs import Part

BEARER = HTTPBearer(
    auto_error=False,  # the handler authenticates, so every refusal has the XunCha shape
    scheme_name="bearer",
    bearerFormat="JWT",
    description="A token of the caller (`xuncha token issue` mints one); its subject is the "
    "actor of every event the batch writes.",
)

CLUE = "00000000-0000-0000-0000-0000000000c1"
TASK = "00000000-0000-0000-0000-0000000000f1"
EXAMPLES: dict[str, Any] = {
    "field_day": {
        "summary": "Register a clue, then triage and transfer it",
        "value": {
            "items": [
                {
                    "clientId": "2026-11-22-li-001",
                    "command": "registerClue",
                    "input": {
                        "unitId": "00000000-0000-0000-0000-0000000000a1",
                        "roundId": "00000000-0000-0000-0000-0000000000b1",
                        "source": "PETITION",
                        "category": "三资管理",
                        "summary": "村集体土地流转收入未入账",
                        "amountInvolved": "120000",
                    },
                },
                {
                    "clientId": "2026-11-22-li-002",
                    "command": "triageClue",
                    "input": {
                        "clueRef": "2026-11-22-li-001",
                        "priority": "KEY",
                        "proposedRoute": "移交纪委监委",
                    },
                },
                {
                    "clientId": "2026-11-22-li-003",
                    "command": "transferClue",
                    "input": {
                        "clueRef": "2026-11-22-li-001",
                        "handlingBody": "DISCIPLINE_COMMISSION",
                        "receivingTenantId": "00000000-0000-0000-0000-0000000000d1",
                        "workingDays": 20,
                    },
                },
            ]
        },
    },
    "follow_up": {
        "summary": "Report progress on a known clue and close a petition channel",
        "value": {
            "items": [
                {
                    "clientId": "2026-11-23-li-001",
                    "command": "reportClueProgress",
                    "input": {
                        "clueId": CLUE,
                        "progress": "已约谈村党支部书记",
                        "expectedVersion": 3,
                    },
                },
                {
                    "clientId": "2026-11-23-li-002",
                    "command": "closePetitionChannel",
                    "input": {
                        "roundId": "00000000-0000-0000-0000-0000000000b1",
                        "channel": "HOTLINE",
                        "closedOn": "2026-11-23",
                    },
                },
            ]
        },
    },
    "rectification": {
        "summary": "A revisit: verify a task reported done, record the ballots, and a recusal",
        "value": {
            "items": [
                {
                    "clientId": "2026-11-24-li-001",
                    "command": "verifyTask",
                    "input": {"taskId": TASK, "verifiedOn": "2026-11-20", "expectedVersion": 2},
                },
                {
                    "clientId": "2026-11-24-li-002",
                    "command": "recordSatisfactionBallots",
                    "input": {
                        "taskId": TASK,
                        "satisfied": 31,
                        "basicallySatisfied": 4,
                        "dissatisfied": 1,
                        "channel": "PAPER",
                        "heldOn": "2026-11-24",
                    },
                },
                {
                    "clientId": "2026-11-24-li-003",
                    "command": "declareRecusal",
                    "input": {
                        "roundId": "00000000-0000-0000-0000-0000000000b1",
                        "inspectorId": "00000000-0000-0000-0000-0000000000e1",
                        "unitId": "00000000-0000-0000-0000-0000000000a1",
                        "reason": "其配偶任该村村委会主任",
                        "declaredOn": "2026-11-24",
                    },
                },
            ]
        },
    },
}

RESULT_EXAMPLE: dict[str, Any] = {
    "tenantId": "00000000-0000-0000-0000-0000000000d0",
    "accepted": 2,
    "rejected": 1,
    "position": 1043,
    "results": [
        {
            "clientId": "2026-11-22-li-001",
            "command": "registerClue",
            "status": "ACCEPTED",
            "id": CLUE,
            "position": 1041,
            "error": None,
        },
        {
            "clientId": "2026-11-22-li-002",
            "command": "triageClue",
            "status": "ACCEPTED",
            "id": CLUE,
            "position": 1043,
            "error": None,
        },
        {
            "clientId": "2026-11-22-li-003",
            "command": "acceptClue",
            "status": "REJECTED",
            "id": None,
            "position": None,
            "error": {
                "code": "RULE_VIOLATION",
                "label": "违反业务规则",
                "message": "问题线索尚未移交，不能受理",
                "messageEn": f"Clue {CLUE} has not been transferred; being accepted needs a "
                "transfer first",
                "messageZh": None,
                "rule": "CLUE_ACCEPT_BEFORE_TRANSFER",
                "field": None,
            },
        },
    ],
}


def _refusal(status: int, description: str, code: str, message: str, **extra: str) -> Any:
    worded_message, extensions = worded(code, message, ZH_CN)
    example = {"errors": [{"message": worded_message, "extensions": {**extensions, **extra}}]}
    return {
        "model": ErrorDocument,
        "description": f"{description} ({code})",
        "content": {"application/json": {"example": example}},
    }


RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Every item's outcome, in the order sent",
        "content": {"application/json": {"example": RESULT_EXAMPLE}},
    },
    401: {
        **_refusal(
            401,
            "No bearer token, or a bad one",
            "UNAUTHENTICATED",
            "This API needs a bearer token: send `Authorization: Bearer <token>`",
            reason="missing_token",
        ),
        "headers": {
            "WWW-Authenticate": {
                "description": "The bearer challenge (RFC 6750)",
                "schema": {"type": "string"},
            }
        },
    },
    403: _refusal(
        403,
        "The caller may not submit for this office, or there is no such office (a refusal "
        "does not tell which); an auditor submits nothing",
        "FORBIDDEN",
        "The caller may not submit for office 00000000-0000-0000-0000-0000000000d0",
    ),
    404: _refusal(
        404,
        "No such office, told only to the deployment's ADMIN",
        "NOT_FOUND",
        "No tenant with id 00000000-0000-0000-0000-0000000000d0",
        id="00000000-0000-0000-0000-0000000000d0",
    ),
    413: _refusal(
        413,
        f"More than {MAX_ITEMS} items, or a body over the size limit",
        "LIMIT_EXCEEDED",
        f"A submission holds at most {MAX_ITEMS} items, not 501",
        limit="max_submission_items",
    ),
    422: _refusal(
        422,
        "The body is not a submission: not JSON, a missing field, an unknown command; an "
        "item's own input is checked item by item, in its result",
        "VALIDATION_FAILED",
        "body.items.0.clientId: Field required",
    ),
}


def _command_reference() -> str:
    """Each command's input fields, from its model (required ones in bold)."""
    return "\n".join(
        f"- `{name}`: {_fields(command.input)}" for name, command in BATCH_COMMANDS.items()
    )


def _fields(model: type[BaseModel]) -> str:
    """`model`'s fields, required ones in bold, a nested part's own fields in parentheses."""
    shown = []
    for field in model.model_fields.values():
        name = f"**{field.alias}**" if field.is_required() else str(field.alias)
        kinds = (field.annotation, *get_args(field.annotation))
        part = next((kind for kind in kinds if _is_part(kind)), None)
        shown.append(f"{name} ({_fields(part)})" if part is not None else name)
    return ", ".join(shown)


def _is_part(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Part)


DESCRIPTION = f"""Run a batch of at most {MAX_ITEMS} commands in order. Each is accepted (committed,
with the id it wrote and its log position) or rejected (nothing written; code, message, rule)
on its own. Sending an item again (same office, same `clientId`) returns its first outcome and
writes nothing; the same `clientId` with another command is a CONFLICT. The caller (bearer
token) must belong to the office or to its city; every event names the token's subject.

Commands and their `input` fields (as in the GraphQL inputs of the same names; enums and dates
as there). Clue commands name their clue by `clueId`, or by `clueRef`: the `clientId` of the
item that registered it. Registrations (`registerClue`, `registerInspector`) are for the
submitting office: their office field may be left out.

{_command_reference()}
"""
