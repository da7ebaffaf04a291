"""Small, shared input rules for free text the domain records."""

from __future__ import annotations

from domain.errors import ValidationFailed


def required_text(value: str, field: str, *, max_length: int = 200) -> str:
    """Strip `value`; refuse it when empty, longer than `max_length` characters, or holding
    control characters other than line breaks and tabs (PostgreSQL cannot store NUL in text,
    and a read model that cannot apply an event would stall every later read)."""
    text = (value or "").strip()
    if any((ch < " " and ch not in "\n\r\t") or ch == "\x7f" for ch in text):
        raise ValidationFailed(f"{field} must not contain control characters", field=field)
    if not text:
        raise ValidationFailed(f"{field} must not be empty", field=field)
    if len(text) > max_length:
        raise ValidationFailed(
            f"{field} is {len(text)} characters long; at most {max_length} are allowed",
            field=field,
        )
    return text
