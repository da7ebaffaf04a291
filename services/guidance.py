"""Visits of guidance and supervisory groups (蹲点指导): a group of a city or county squats in
a village a round inspects and leaves suggestions; both levels read them.

Who may: the group's office, or that office's city; the group's office must read the round
(it organises it, takes part in it, or is its city)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.errors import RuleViolation
from domain.groups.group import Visit
from services.authorization import Acting, require_office
from services.results import Written
from services.rounds import RoundService, readers


class GuidanceService:
    def __init__(self, rounds: RoundService) -> None:
        self.rounds = rounds
        self.groups = rounds.groups

    def record_guidance_visit(
        self,
        *,
        group_id: UUID,
        round_id: UUID,
        unit_id: UUID,
        started_on: date,
        ended_on: date,
        suggestions: list[str],
        acting: Acting,
    ) -> Written:
        group = self.groups.group_for(acting, group_id)
        office = self.rounds.tenants.tenant(group.tenant_id)
        require_office(acting, {office.id, office.parent_id}, "record its groups' visits")
        round_ = self.rounds.round_for(acting, round_id)
        if group.tenant_id not in readers(round_):
            raise RuleViolation(
                "VISIT_ROUND_SCOPE",
                f"Group {group.name}'s office takes no part in round {round_id}",
                group_id=str(group_id),
            )
        group.record_visit(Visit(unit_id, started_on, ended_on, suggestions), round_=round_)
        return Written(group.id, self.rounds.store.record(group))
