"""Relay-style pages over read models, keyed by log position (stable and unique)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.errors import LimitExceeded, ValidationFailed

T = TypeVar("T")

MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[tuple[str, T]]  # (cursor, item)
    total_count: int
    has_next_page: bool
    has_previous_page: bool


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"p:{position}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The position after which a page starts; 0 for the first page."""
    if not cursor:
        return 0
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind == "p":
            return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ValidationFailed(f"after: {cursor!r} is not a cursor this list gave out", field="after")


def check_page_size(first: int | None, default: int = 50) -> int:
    size = default if first is None else first
    if size < 0:
        raise ValidationFailed("first must not be negative", field="first")
    if size > MAX_PAGE_SIZE:
        raise LimitExceeded(f"first is {size}; at most {MAX_PAGE_SIZE} items per page")
    return size
