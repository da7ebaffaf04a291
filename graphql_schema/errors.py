"""How errors reach a client: every error carries `extensions.code` from one code set and its
Chinese `extensions.label`; a domain refusal keeps its details; anything unexpected is logged
here and shown only as INTERNAL_SERVER_ERROR, never with a stack trace.

The message is in the caller's language, Chinese (zh-CN) unless Accept-Language prefers
English (`en`); the other language is kept in `extensions.messageEn` / `extensions.messageZh`."""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError
from psycopg import errors as pg_errors
from pydantic.alias_generators import to_camel

from domain.errors import ErrorCode, XunChaError
from domain.labels import label_of
from domain.messages import ERROR_MESSAGES_ZH, message_zh

log = logging.getLogger(__name__)

INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
INTERNAL_SERVER_ERROR_ZH = "服务器内部错误"
ZH_CN, EN = "zh-CN", "en"


def language_of(accept_language: str | None) -> str:
    """EN when the caller's Accept-Language prefers English to Chinese, else ZH_CN (the default,
    also for a header naming neither)."""
    best_q, best = 0.0, ZH_CN
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("zh", "en"):
            continue
        q = _quality(params)
        if q > best_q:
            best_q, best = q, EN if primary == "en" else ZH_CN
    return best


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def worded(
    code: str, message_en: str, language: str, message_zh: str | None = None
) -> tuple[str, dict[str, Any]]:
    """The message in `language` and the extensions that carry the code, its Chinese label
    and the message in the other language; `message_zh` defaults to the code's generic one."""
    label, generic_zh = _chinese(code)
    message_zh = message_zh or generic_zh
    if language == EN:
        return message_en, {"code": code, "label": label, "messageZh": message_zh}
    return message_zh, {"code": code, "label": label, "messageEn": message_en}


def _chinese(code: str) -> tuple[str, str]:
    """A code's Chinese label and generic message; INTERNAL_SERVER_ERROR's (or an unknown
    code's) are both 服务器内部错误."""
    try:
        known = ErrorCode(code)
    except ValueError:
        return INTERNAL_SERVER_ERROR_ZH, INTERNAL_SERVER_ERROR_ZH
    return label_of(known), ERROR_MESSAGES_ZH[known]


def refusal(error: XunChaError, language: str) -> tuple[str, dict[str, Any]]:
    """A refusal's message and extensions as clients see them, over GraphQL and REST alike:
    detail keys in camelCase, as the schema names its fields (`roundId`, `requiredRole`)."""
    message, extensions = worded(error.code.value, error.message, language, message_zh(error))
    return message, {**extensions, **_camel(error.details)}


def _camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {to_camel(k) if isinstance(k, str) else k: _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def present(error: GraphQLError, language: str = ZH_CN) -> dict[str, Any]:
    formatted: dict[str, Any] = dict(error.formatted)
    formatted["message"], formatted["extensions"] = _answer(error, language)
    return formatted


def _answer(error: GraphQLError, language: str) -> tuple[str, dict[str, Any]]:
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    if isinstance(original, XunChaError):
        return refusal(original, language)
    if isinstance(original, pg_errors.QueryCanceled):  # a statement timeout outside reading()
        message = "The read took too long and was stopped; ask for less"
        return worded(
            ErrorCode.LIMIT_EXCEEDED.value, message, language, "读取超时已停止，请缩小查询范围"
        )
    if original is not None and error.path is not None:
        log.error("resolver failed at %s", error.path, exc_info=original)
        return worded(INTERNAL_SERVER_ERROR, "Internal server error", language)
    if original is not None and not isinstance(original, GraphQLError):
        # A scalar's parser failed on a variable: keep graphql-core's account of which value,
        # not the Python exception's words.
        prefix = error.message.split("; ", 1)[0]
        message = f"{prefix}; the value does not fit its type"
        return worded(ErrorCode.VALIDATION_FAILED.value, message, language)
    # Parse, validation and input-coercion errors: the message already names the problem.
    extensions = dict(error.extensions or {})
    code = str(extensions.pop("code", ErrorCode.VALIDATION_FAILED.value))
    message, worded_extensions = worded(code, error.message, language)
    return message, {**extensions, **worded_extensions}
