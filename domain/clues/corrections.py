"""How `ClueCorrected` reads its new value: each correctable field has one canonical text form,
so the event records text and replays the same value forever."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.clues.values import CorrectableField
from domain.counts import MAX_PERSONS, count_within
from domain.errors import ValidationFailed
from domain.text import required_text

SUMMARY_MAX_LENGTH = 2000
MAX_AMOUNT = Decimal("9999999999999999.99")  # CNY; what the ledger's numeric(18, 2) holds
# The clue attribute each field corrects (DUE_DATE corrects the deadline as a whole).
ATTRIBUTE = {
    CorrectableField.CATEGORY: "category",
    CorrectableField.SUMMARY: "summary",
    CorrectableField.AMOUNT_INVOLVED: "amount_involved",
    CorrectableField.PERSONS_DISCIPLINED: "persons_disciplined",
    CorrectableField.FUNDS_RECOVERED: "funds_recovered",
}
CATEGORY_MAX_LENGTH = 100


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValidationFailed(f"newValue: {text!r} is not an amount", field="newValue") from None
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        raise ValidationFailed(
            f"newValue must be an amount between 0 and {MAX_AMOUNT}", field="newValue"
        )
    return value


def _count(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValidationFailed(f"newValue: {text!r} is not a number", field="newValue") from None
    return count_within(value, "newValue", MAX_PERSONS)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed(
            f"newValue: {text!r} is not a date (YYYY-MM-DD)", field="newValue"
        ) from None


def parse(field: CorrectableField, text: str) -> Any:
    """The value `text` stands for in `field`; refused when malformed."""
    match field:
        case CorrectableField.CATEGORY:
            return required_text(text, "newValue", max_length=CATEGORY_MAX_LENGTH)
        case CorrectableField.SUMMARY:
            return required_text(text, "newValue", max_length=SUMMARY_MAX_LENGTH)
        case CorrectableField.AMOUNT_INVOLVED | CorrectableField.FUNDS_RECOVERED:
            return _amount(text)
        case CorrectableField.PERSONS_DISCIPLINED:
            return _count(text)
        case CorrectableField.DUE_DATE:
            return _date(text)
    raise ValidationFailed(f"{field} cannot be corrected", field="field")


def canonical(value: Any) -> str | None:
    """The text form a value is recorded in."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
