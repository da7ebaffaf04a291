"""The rules of the supervision ladder (五书制): it only moves forward; a reminder comes before
the due date, a warning after it with a final date, accountability after that final date."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.clues.values import SupervisionStep
from domain.errors import RuleViolation, ValidationFailed


def check_step(
    clue_id: UUID,
    *,
    current: SupervisionStep | None,
    warning_final_date: date | None,
    step: SupervisionStep,
    on: date,
    due: date,
    final_date: date | None,
) -> None:
    """Refuse `step` on day `on` for a clue due on `due`, naming the rule it breaks."""
    if current is not None and step.rank <= current.rank:
        raise RuleViolation(
            "CLUE_SUPERVISION_STEP_NOT_FORWARD",
            f"Clue {clue_id} is already at {current.value}; the ladder only moves on",
        )
    if step is SupervisionStep.REMINDER and on > due:
        raise RuleViolation(
            "CLUE_REMINDER_AFTER_DUE_DATE",
            f"A reminder comes before the due date {due.isoformat()}; clue {clue_id} is "
            "overdue, so the next step is a warning",
        )
    if step is SupervisionStep.WARNING:
        if on <= due:
            raise RuleViolation(
                "CLUE_WARNING_BEFORE_DUE_DATE",
                f"A warning comes after the due date {due.isoformat()}, which has not passed",
            )
        if final_date is None or final_date <= on:
            raise ValidationFailed("A warning sets a finalDate after today", field="finalDate")
    elif final_date is not None:
        raise ValidationFailed("Only a warning sets a finalDate", field="finalDate")
    if step is SupervisionStep.ACCOUNTABILITY:
        if warning_final_date is None:
            raise RuleViolation(
                "CLUE_ACCOUNTABILITY_WITHOUT_WARNING",
                f"Clue {clue_id} has had no warning; accountability follows a warning",
            )
        if on <= warning_final_date:
            raise RuleViolation(
                "CLUE_ACCOUNTABILITY_BEFORE_FINAL_DATE",
                f"The warning's final date {warning_final_date.isoformat()} has not passed",
            )
