"""The one error hierarchy of XunCha. Every edge (GraphQL, REST, CLI) maps these codes once."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    VALIDATION_FAILED = "VALIDATION_FAILED"
    RULE_VIOLATION = "RULE_VIOLATION"
    CONFLICT = "CONFLICT"
    STALE = "STALE"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"


class XunChaError(Exception):
    """A refusal a client can act on: a stable code, a message naming the problem, details."""

    code: ErrorCode = ErrorCode.VALIDATION_FAILED

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = {k: v for k, v in details.items() if v is not None}


class Unauthenticated(XunChaError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(XunChaError):
    code = ErrorCode.FORBIDDEN


class NotFound(XunChaError):
    code = ErrorCode.NOT_FOUND

    @classmethod
    def no(cls, what: str, object_id: object) -> NotFound:
        """The one answer for an object that does not exist, and for one the caller may not
        see: the two must not be told apart."""
        return cls(f"No {what} with id {object_id}", id=str(object_id))


class ValidationFailed(XunChaError):
    """Input is malformed or missing; `field` names the offending input."""

    code = ErrorCode.VALIDATION_FAILED

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message, field=field, **details)


class RuleViolation(XunChaError):
    """A domain rule refuses the command; `rule` is its stable identifier."""

    code = ErrorCode.RULE_VIOLATION

    def __init__(self, rule: str, message: str, **details: Any) -> None:
        super().__init__(message, rule=rule, **details)
        self.rule = rule


class Conflict(XunChaError):
    code = ErrorCode.CONFLICT


class Stale(XunChaError):
    code = ErrorCode.STALE


class LimitExceeded(XunChaError):
    code = ErrorCode.LIMIT_EXCEEDED
