"""Request bodies as JSON, decoded by orjson rather than the standard library.

`json` lets a lone surrogate (`"\\ud800"`) through into text PostgreSQL cannot store, and
fails on bytes that are not UTF-8, on nesting thousands deep (RecursionError) and on numbers
thousands of digits long (ValueError) with errors a server turns into a 500. orjson refuses
each with a reason, and nesting past 1,024 levels before it costs anything."""

from __future__ import annotations

import orjson

from domain.errors import ValidationFailed


def decode_json(data: str | bytes) -> object:
    """The JSON value of a request body, or VALIDATION_FAILED naming why it is unreadable."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise ValidationFailed(f"The request is not JSON XunCha can read: {error.msg}") from None
