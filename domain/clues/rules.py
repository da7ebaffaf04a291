"""The refusals of the clue lifecycle that several verbs share, each naming its rule."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.calendar.work_calendar import Deadline
from domain.clues.corrections import MAX_AMOUNT
from domain.clues.values import ClueStatus, CorrectableField, HandlingBody, PersonConcerned
from domain.errors import RuleViolation, ValidationFailed
from domain.rounds.round import Round
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit

MAX_PERSONS_CONCERNED = 50


def non_negative(value: Decimal | None, field: str) -> None:
    """Refuse an amount (CNY) that is negative, not a number, or beyond any ledger."""
    if value is not None and (not value.is_finite() or value < 0):
        raise ValidationFailed(f"{field} must not be negative", field=field)
    if value is not None and value > MAX_AMOUNT:
        raise ValidationFailed(f"{field} must be at most {MAX_AMOUNT}", field=field)


def check_registration(
    registrar: Tenant,
    unit: Unit,
    unit_owner: Tenant,
    round_: Round | None,
    persons_concerned: list[PersonConcerned],
    amount_involved: Decimal | None,
) -> None:
    if round_ is not None:
        check_round(registrar, unit, round_)
    elif unit_owner.id != registrar.id and unit_owner.parent_id != registrar.id:
        raise RuleViolation(
            "CLUE_UNIT_OUT_OF_SCOPE",
            f"Unit {unit.code} belongs to {unit_owner.code}, which {registrar.code} "
            "does not inspect",
        )
    non_negative(amount_involved, "amountInvolved")
    if len(persons_concerned) > MAX_PERSONS_CONCERNED:
        raise ValidationFailed(
            f"At most {MAX_PERSONS_CONCERNED} persons concerned per clue",
            field="personsConcerned",
        )


def check_category(category: str, categories_in_force: Sequence[str]) -> None:
    """With a checklist in force, a clue's category is one of its aspects; without one,
    categories are free text."""
    if categories_in_force and category.strip() not in categories_in_force:
        raise RuleViolation(
            "CLUE_CATEGORY_NOT_IN_CHECKLIST",
            f"Category {category.strip()!r} is not an aspect of the checklist in force "
            f"({', '.join(categories_in_force)})",
        )


def check_round(registrar: Tenant, unit: Unit, round_: Round) -> None:
    """A clue found in a round is registered by an office taking part in it, about one of
    its targets, while it is open — which is how a cross round's inspecting county registers
    clues about another county's units."""
    if round_.is_closed:
        raise RuleViolation(
            "CLUE_ROUND_CLOSED", f"Round {round_.id} is closed", round_id=str(round_.id)
        )
    if not round_.inspects(unit.id):
        raise RuleViolation(
            "CLUE_UNIT_NOT_A_TARGET",
            f"Unit {unit.code} is not a target of round {round_.id}",
            round_id=str(round_.id),
            unit_id=str(unit.id),
        )
    if registrar.id not in round_.offices_taking_part:
        raise RuleViolation(
            "CLUE_REGISTRAR_NOT_IN_ROUND",
            f"{registrar.code} takes no part in round {round_.id}",
            round_id=str(round_.id),
        )


def refuse_if_concluded(clue_id: UUID, status: ClueStatus, doing: str) -> None:
    if status is ClueStatus.CONCLUDED:
        raise RuleViolation(
            "CLUE_ALREADY_CONCLUDED", f"Clue {clue_id} is concluded; it cannot be {doing}"
        )


def refuse_unless_transferred(clue_id: UUID, status: ClueStatus, rule: str, doing: str) -> None:
    if status in (ClueStatus.REGISTERED, ClueStatus.TRIAGED):
        raise RuleViolation(
            rule, f"Clue {clue_id} has not been transferred; {doing} needs a transfer first"
        )


def check_triage(clue_id: UUID, status: ClueStatus) -> None:
    refuse_if_concluded(clue_id, status, "triaged")
    if status not in (ClueStatus.REGISTERED, ClueStatus.TRIAGED):
        raise RuleViolation(
            "CLUE_TRIAGE_AFTER_TRANSFER",
            f"Clue {clue_id} is transferred; it is triaged before transfer, and corrected "
            "afterwards",
        )


def _city_of(tenant: Tenant) -> UUID:
    return tenant.parent_id or tenant.id


def check_transfer(
    clue_id: UUID,
    *,
    status: ClueStatus,
    earlier: list[HandlingBody],
    body: HandlingBody,
    registrar: Tenant,
    receiver: Tenant,
    deadline: Deadline,
    on: date,
) -> None:
    refuse_if_concluded(clue_id, status, "transferred")
    if status is ClueStatus.REGISTERED:
        raise RuleViolation(
            "CLUE_TRANSFER_BEFORE_TRIAGE", f"Clue {clue_id} must be triaged before transfer"
        )
    if body in earlier:
        raise RuleViolation(
            "CLUE_ALREADY_TRANSFERRED_TO_BODY",
            f"Clue {clue_id} was already transferred to {body.value}",
        )
    if _city_of(receiver) != _city_of(registrar):
        raise RuleViolation(
            "CLUE_RECEIVER_OUT_OF_SCOPE",
            f"{receiver.code} is outside the city of {registrar.code}; a clue is handed "
            "only within its city",
        )
    if deadline.due_date <= on:
        raise ValidationFailed(
            f"dueDate {deadline.due_date.isoformat()} must be after the transfer date "
            f"{on.isoformat()}",
            field="dueDate",
        )


def check_correction(
    clue_id: UUID,
    *,
    status: ClueStatus,
    transferred_on: date | None,
    field: CorrectableField,
    old: Any,
    new: Any,
) -> None:
    if field is CorrectableField.DUE_DATE:
        if transferred_on is None:
            raise RuleViolation(
                "CLUE_CORRECTION_FIELD_NOT_SET", f"Clue {clue_id} has no due date to correct"
            )
        if new <= transferred_on:
            raise ValidationFailed("The due date must be after the transfer date", field="newValue")
    concluded_only = (CorrectableField.PERSONS_DISCIPLINED, CorrectableField.FUNDS_RECOVERED)
    if field in concluded_only and status is not ClueStatus.CONCLUDED:
        raise RuleViolation(
            "CLUE_CORRECTION_FIELD_NOT_SET",
            f"Clue {clue_id} is not concluded; {field.value} is set by concluding it",
        )
    if old == new:
        raise RuleViolation(
            "CLUE_CORRECTION_NO_CHANGE", f"{field.value} of clue {clue_id} is already {old}"
        )


# What the handling body does, in order: accept once, then report progress and conclude.
_HANDLING_RULES = {
    "accepted": (ClueStatus.TRANSFERRED, "CLUE_ALREADY_ACCEPTED", "was already accepted"),
    "reported on": (ClueStatus.ACCEPTED, "CLUE_PROGRESS_BEFORE_ACCEPTANCE", "is not accepted"),
    "concluded": (ClueStatus.ACCEPTED, "CLUE_CONCLUDE_BEFORE_ACCEPTANCE", "is not accepted"),
}


def check_handling(clue_id: UUID, status: ClueStatus, doing: str, before_transfer: str) -> None:
    """A clue is `doing` by its handling body: only after transfer, in the handler's order."""
    refuse_if_concluded(clue_id, status, doing)
    refuse_unless_transferred(clue_id, status, before_transfer, f"being {doing}")
    needed, rule, state = _HANDLING_RULES[doing]
    if status is not needed:
        raise RuleViolation(rule, f"Clue {clue_id} {state} by its handling body")
