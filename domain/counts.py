"""Counts the domain records (persons, ballots) stay within what any read model can add up:
an event a projection cannot apply would stall every later read, so the bound is a rule."""

from __future__ import annotations

from domain.errors import ValidationFailed

MAX_PERSONS = 100_000  # persons held accountable in one clue
MAX_BALLOTS = 1_000_000  # ballots of one kind at one revisit


def count_within(value: int, field: str, maximum: int) -> int:
    """Refuse a count below 0 or above `maximum`."""
    if value < 0:
        raise ValidationFailed(f"{field} must not be negative", field=field)
    if value > maximum:
        raise ValidationFailed(f"{field} must be at most {maximum}", field=field)
    return value
