"""A candidate is triaged once: dismissed with a reason or promoted to a clue, never both."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.comparison.candidate import Candidate, candidate_id_for
from domain.comparison.values import CandidateStatus
from domain.errors import RuleViolation, ValidationFailed


def candidate() -> Candidate:
    return Candidate.raise_from(
        tenant_id=uuid4(),
        run_id=uuid4(),
        model_code="PAYROLL_ALLOWANCE",
        model_version=1,
        match_key="PA:abc",
        unit_id=None,
        unit_owner_id=None,
        evidence={"name_masked": "张*"},
        reason="张*……",
    )


def test_the_same_hit_of_the_same_model_is_the_same_candidate_in_every_run() -> None:
    tenant = uuid4()
    assert candidate_id_for(tenant, "M", "k") == candidate_id_for(tenant, "M", "k")
    assert candidate_id_for(tenant, "M", "k") != candidate_id_for(uuid4(), "M", "k")


def test_a_dismissed_candidate_cannot_be_promoted_afterwards() -> None:
    found = candidate()
    found.dismiss(reason="核实为同名同号录入错误")
    assert found.status == CandidateStatus.DISMISSED
    with pytest.raises(RuleViolation) as refused:
        found.promote(clue_id=uuid4())
    assert refused.value.rule == "CANDIDATE_TRIAGED"
    assert len(found.collect_events()) == 2  # raised, dismissed: nothing for the refusal


def test_a_dismissal_needs_a_reason() -> None:
    with pytest.raises(ValidationFailed):
        candidate().dismiss(reason="  ")


def test_a_promoted_candidate_names_its_clue() -> None:
    found, clue = candidate(), uuid4()
    found.promote(clue_id=clue)
    assert (found.status, found.clue_id) == (CandidateStatus.PROMOTED, clue)
