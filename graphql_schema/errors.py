"""How errors reach a client: every error carries `extensions.code` from one code set; a
domain refusal keeps its message and details; anything unexpected is logged here and shown
only as INTERNAL_SERVER_ERROR, never with a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError
from psycopg import errors as pg_errors
from pydantic.alias_generators import to_camel

from domain.errors import ErrorCode, XunChaError

log = logging.getLogger(__name__)

INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


def extensions_of(error: XunChaError) -> dict[str, Any]:
    """A refusal's code and details as clients see them, over GraphQL and REST alike: keys in
    camelCase, as the schema names its fields (`roundId`, `requiredRole`)."""
    return {"code": error.code.value, **_camel(error.details)}


def _camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {to_camel(k) if isinstance(k, str) else k: _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def present(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    formatted: dict[str, Any] = dict(error.formatted)
    if isinstance(original, XunChaError):
        formatted["message"] = original.message
        formatted["extensions"] = extensions_of(original)
    elif isinstance(original, pg_errors.QueryCanceled):  # a statement timeout outside reading()
        formatted["message"] = "The read took too long and was stopped; ask for less"
        formatted["extensions"] = {"code": ErrorCode.LIMIT_EXCEEDED.value}
    elif original is not None and error.path is not None:
        log.error("resolver failed at %s", error.path, exc_info=original)
        formatted["message"] = "Internal server error"
        formatted["extensions"] = {"code": INTERNAL_SERVER_ERROR}
    elif original is not None and not isinstance(original, GraphQLError):
        # A scalar's parser failed on a variable: keep graphql-core's account of which value,
        # not the Python exception's words.
        prefix = error.message.split("; ", 1)[0]
        formatted["message"] = f"{prefix}; the value does not fit its type"
        formatted["extensions"] = {"code": ErrorCode.VALIDATION_FAILED.value}
    else:
        # Parse, validation and input-coercion errors: the message already names the problem.
        formatted.setdefault("extensions", {}).setdefault("code", ErrorCode.VALIDATION_FAILED.value)
    return formatted
