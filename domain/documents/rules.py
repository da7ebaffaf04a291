"""What a document may be issued about: refusals before anything is made or numbered."""

from __future__ import annotations

from uuid import UUID

from domain.clues.clue import Clue
from domain.documents.values import LADDER_STEP, DocumentKind
from domain.errors import RuleViolation


def wrong_subject(kind: DocumentKind, subject_id: UUID, found: str) -> RuleViolation:
    """The refusal of a document about the wrong kind of thing (a transfer letter for a
    feedback, a ledger for a clue)."""
    wanted = kind.subject
    return RuleViolation(
        "DOCUMENT_SUBJECT_KIND",
        f"A {kind.value} document is about a {wanted.value.lower()}; {subject_id} is a "
        f"{found.lower()}",
        kind=kind.value,
        wanted=wanted.value,
        found=found,
        subject_id=str(subject_id),
    )


def check_clue(kind: DocumentKind, clue: Clue) -> None:
    """A clue's letters follow its transfer; a ladder letter, the step it belongs to."""
    if clue.deadline is None or clue.transferred_on is None:
        raise RuleViolation(
            "DOCUMENT_CLUE_NOT_TRANSFERRED",
            f"Clue {clue.id} was never transferred: there is no transfer or supervision "
            "letter to issue for it",
            clue_id=str(clue.id),
        )
    step = LADDER_STEP.get(kind)
    if step is not None and step not in clue.ladder:
        raise RuleViolation(
            "DOCUMENT_LADDER_STEP_NOT_REACHED",
            f"Clue {clue.id} has not reached the supervision step {step.value} since its "
            f"transfer; a {kind.value} belongs to that step",
            clue_id=str(clue.id),
            step=step.value,
        )
