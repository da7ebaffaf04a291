"""Small, shared input rules for free text the domain records."""

from __future__ import annotations

from domain.errors import ValidationFailed


def required_text(value: str, field: str, *, max_length: int = 200) -> str:
    """Strip `value`; refuse it when empty or longer than `max_length` characters."""
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(f"{field} must not be empty", field=field)
    if len(text) > max_length:
        raise ValidationFailed(
            f"{field} is {len(text)} characters long; at most {max_length} are allowed",
            field=field,
        )
    return text
