"""Triage of candidate clues (疑点研判): dismissed with a reason, or promoted to a clue (source
DATA_COMPARISON) whose summary names the run; the candidate records the clue it became. The
masked evidence is shown only to callers with the data clearance, and each showing is recorded
(`Candidate.EvidenceViewed`)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid5

from domain.clues.clue import SUMMARY_MAX_LENGTH
from domain.clues.values import ClueSource
from domain.comparison.candidate import Candidate
from domain.errors import ValidationFailed
from infrastructure.store import EventStore
from services.authorization import Acting, require_office
from services.clues import ClueService
from services.comparison.datasets import cleared_for
from services.results import Written
from services.tenants import TenantService
from services.visibility import seen


@dataclass(frozen=True)
class Evidence(Written):
    """A candidate's reason and masked evidence (column -> value), as shown once recorded."""

    reason: str
    columns: dict[str, str]


class CandidateService:
    def __init__(self, store: EventStore, tenants: TenantService, clues: ClueService) -> None:
        self.store = store
        self.tenants = tenants
        self.clues = clues

    def _for(self, acting: Acting, candidate_id: UUID, expected_version: int | None) -> Candidate:
        """The candidate, once `acting` reads it (the office that ran the comparison or the
        one owning its unit, or their city) and writes for one of those offices, with the
        data clearance (triage weighs the evidence)."""
        cleared_for(acting, "triage candidates")
        candidate = self.store.load(Candidate, candidate_id, what="candidate")
        readers = [candidate.tenant_id, candidate.unit_owner_id]
        seen(self.tenants, acting, readers, "candidate", candidate_id)
        candidate.expect_version(expected_version)
        require_office(acting, readers, "triage the candidate")
        return candidate

    def dismiss_candidate(
        self,
        candidate_id: UUID,
        *,
        reason: str,
        expected_version: int | None = None,
        acting: Acting,
    ) -> Written:
        candidate = self._for(acting, candidate_id, expected_version)
        candidate.dismiss(reason=reason)
        return Written(candidate.id, self.store.record(candidate))

    def promote_candidate(
        self,
        candidate_id: UUID,
        *,
        category: str,
        unit_id: UUID | None = None,
        round_id: UUID | None = None,
        expected_version: int | None = None,
        acting: Acting,
    ) -> Written:
        """Register the clue (in the caller's office, about the candidate's unit unless
        another is given) and record the promotion; the candidate is checked first, so a
        refused promotion registers no clue. The clue's id follows from the candidate's, so a
        promotion retried after its clue was registered records the promotion only."""
        candidate = self._for(acting, candidate_id, expected_version)
        candidate.check_promotable()
        unit = unit_id or candidate.unit_id
        if unit is None:
            raise ValidationFailed(
                "The candidate names no registered unit; give the unit the clue is about",
                field="unitId",
            )
        clue_id = uuid5(candidate.id, "clue")
        if not self.store.exists(clue_id):
            self._register_clue(candidate, clue_id, unit, category, round_id, acting)
        candidate.promote(clue_id=clue_id)
        return Written(candidate.id, self.store.record(candidate))

    def _register_clue(
        self,
        candidate: Candidate,
        clue_id: UUID,
        unit_id: UUID,
        category: str,
        round_id: UUID | None,
        acting: Acting,
    ) -> None:
        summary = (
            f"{candidate.reason}（大数据比对：模型 {candidate.model_code}，"
            f"运行 {candidate.run_id}，疑点 {candidate.id}）"
        )
        self.clues.register_clue(
            tenant_id=acting.tenant_id or candidate.tenant_id,
            unit_id=unit_id,
            round_id=round_id,
            source=ClueSource.DATA_COMPARISON,
            category=category,
            summary=summary[:SUMMARY_MAX_LENGTH],
            persons_concerned=[],
            amount_involved=None,
            acting=acting,
            clue_id=clue_id,
        )

    def view_candidate_evidence(self, candidate_id: UUID, *, acting: Acting) -> Evidence:
        """The candidate's masked evidence, for a caller with the data clearance who reads
        it; the viewing is recorded before anything is shown."""
        cleared_for(acting, "view a candidate's evidence")
        candidate = self.store.load(Candidate, candidate_id, what="candidate")
        readers = [candidate.tenant_id, candidate.unit_owner_id]
        seen(self.tenants, acting, readers, "candidate", candidate_id)
        evidence = candidate.view_evidence()
        position = self.store.record(candidate)
        return Evidence(candidate.id, position, candidate.reason, evidence)
