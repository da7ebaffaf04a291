"""`Candidate` — a candidate clue (疑点): one hit of a comparison model. A hit is never a
finding: a person triages it, dismissing it with a reason or promoting it to a clue (source
DATA_COMPARISON). The same hit in a later run is the same candidate (its id follows from the
office, the model and the hit's match key), so runs never raise it twice."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.comparison.values import CandidateStatus
from domain.errors import Conflict, RuleViolation
from domain.text import required_text


def candidate_id_for(tenant_id: UUID, model_code: str, match_key: str) -> UUID:
    return uuid5(tenant_id, f"candidate:{model_code}:{match_key}")


class Candidate(AuditedAggregate):
    @classmethod
    def raise_from(
        cls,
        *,
        tenant_id: UUID,
        run_id: UUID,
        model_code: str,
        model_version: int,
        match_key: str,
        unit_id: UUID | None,
        unit_owner_id: UUID | None,
        evidence: dict[str, str],
        reason: str,
    ) -> Candidate:
        return cls(
            id=candidate_id_for(tenant_id, model_code, match_key),
            tenant_id=tenant_id,
            run_id=run_id,
            model_code=model_code,
            model_version=model_version,
            match_key=match_key,
            unit_id=unit_id,
            unit_owner_id=unit_owner_id,
            evidence=evidence,
            reason=reason,
        )

    class Raised(AuditedAggregate.Created):
        """v1: raised by run `run_id` of model `model_code` (`model_version`); `match_key`
        identifies the hit across runs; `unit_id` is the unit it concerns (None when the hit
        names no registered unit) and `unit_owner_id` the office owning that unit; `evidence`
        holds the hit's columns — keyed hashes, masked names and identity numbers, amounts,
        dates, never a clear identifier; `reason` is the model's sentence for the hit."""

        class_version = 1
        run_id: UUID
        model_code: str
        model_version: int
        match_key: str
        unit_id: UUID | None
        unit_owner_id: UUID | None
        evidence: dict[str, str]
        reason: str

    @event(Raised)
    def __init__(
        self,
        tenant_id: UUID,
        run_id: UUID,
        model_code: str,
        model_version: int,
        match_key: str,
        unit_id: UUID | None,
        unit_owner_id: UUID | None,
        evidence: dict[str, str],
        reason: str,
        id: UUID | None = None,  # eventsourcing takes a given aggregate id by this name
    ) -> None:
        self.tenant_id = tenant_id
        self.run_id = run_id
        self.model_code = model_code
        self.model_version = model_version
        self.match_key = match_key
        self.unit_id = unit_id
        self.unit_owner_id = unit_owner_id
        self.evidence = evidence
        self.reason = reason
        self.status = CandidateStatus.OPEN
        self.clue_id: UUID | None = None

    def expect_version(self, expected: int | None) -> None:
        if expected is not None and expected != self.version:
            raise Conflict(
                f"Candidate {self.id} is at version {self.version}, not {expected}; "
                "reload it and try again",
                expected_version=expected,
                version=self.version,
            )

    def _require_open(self, verb: str) -> None:
        if self.status != CandidateStatus.OPEN:
            raise RuleViolation(
                "CANDIDATE_TRIAGED",
                f"Candidate {self.id} is {self.status} already; it cannot be {verb}",
                status=self.status.value,
            )

    def dismiss(self, *, reason: str) -> None:
        self._require_open("dismissed")
        self._dismissed(reason=required_text(reason, "reason", max_length=500))

    class Dismissed(AuditedAggregate.Event):
        """v1: triaged as no problem (排除), with the `reason`."""

        class_version = 1
        reason: str

    @event(Dismissed)
    def _dismissed(self, reason: str) -> None:
        self.status = CandidateStatus.DISMISSED

    def check_promotable(self) -> None:
        self._require_open("promoted")

    def promote(self, *, clue_id: UUID) -> None:
        self._require_open("promoted")
        self._promoted(clue_id=clue_id)

    class Promoted(AuditedAggregate.Event):
        """v1: promoted to clue `clue_id` (registered with source DATA_COMPARISON)."""

        class_version = 1
        clue_id: UUID

    @event(Promoted)
    def _promoted(self, clue_id: UUID) -> None:
        self.status = CandidateStatus.PROMOTED
        self.clue_id = clue_id

    def view_evidence(self) -> dict[str, Any]:
        """The evidence, recording that it was viewed (and by whom: the event's actor)."""
        self._evidence_viewed()
        return dict(self.evidence)

    class EvidenceViewed(AuditedAggregate.Event):
        """v1: someone with the data clearance viewed the masked evidence (the actor)."""

        class_version = 1

    @event(EvidenceViewed)
    def _evidence_viewed(self) -> None:
        pass
