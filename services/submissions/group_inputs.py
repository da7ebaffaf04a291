"""The inputs of the office's commands on inspection groups and cross batches inside the
office. Office commands, like those of office_inputs.py: GraphQL only (`batch=False`)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import Field

from domain.groups.group import GroupKind
from domain.rounds.values import SelectionReason
from services.groups import StaffIds
from services.submissions.inputs import CommandInput, Part
from services.submissions.office_inputs import CrossBatchInput
from services.township_cross import ChosenVillage, TownshipTargets


class GroupStaffInput(CommandInput):
    """Who holds the group's posts: cadres (inspectors) of the office."""

    leader_id: UUID = Field(description="组长.")
    deputy_id: UUID | None = Field(None, description="副组长.")
    member_ids: list[UUID] = Field(default_factory=list, description="成员.", max_length=50)
    liaison_id: UUID | None = Field(None, description="联络员.")

    def staff(self) -> StaffIds:
        return StaffIds(self.leader_id, self.deputy_id, tuple(self.member_ids), self.liaison_id)

    def arguments(self, target: UUID | None = None) -> dict[str, Any]:
        staffing = {"leader_id", "deputy_id", "member_ids", "liaison_id"}
        given = {k: v for k, v in super().arguments(target).items() if k not in staffing}
        return given | {"staff": self.staff()}


class FormInspectionGroupInput(GroupStaffInput):
    """Form an inspection group (巡察组) of an office: an ordinary or extension group drawn
    from a township, a supervisory group (督导组) or a guidance group (指导组)."""

    tenant_id: UUID = Field(description="The office the group belongs to.")
    name: str
    kind: GroupKind
    home_township_id: UUID | None = Field(
        None,
        description="The township the group is drawn from (required for INSPECTION and "
        "EXTENSION groups); a cross batch never sends it there.",
    )


class ChangeGroupMembersInput(GroupStaffInput):
    """Replace who holds an inspection group's posts."""

    group_id: UUID
    reason: str


class RecordGuidanceVisitInput(CommandInput):
    """Record a visit of a guidance or supervisory group (蹲点指导) to a unit a round
    inspects, and the suggestions it left; the city and the county read it."""

    group_id: UUID
    round_id: UUID
    unit_id: UUID = Field(description="A target of the round, e.g. a village.")
    started_on: date
    ended_on: date
    suggestions: list[str] = Field(default_factory=list, max_length=100)


class DefineZoneInput(CommandInput):
    """Define a zone (片区) for cooperation: a county's townships, or a city's counties,
    whose groups cross inside it when a batch is planned over it."""

    tenant_id: UUID = Field(description="The county or city.")
    name: str
    member_ids: list[UUID] = Field(
        description="Townships (of a county) or counties (of a city).", max_length=200
    )


class ChosenVillageInput(Part):
    unit_id: UUID = Field(description="A village of the township.")
    reasons: list[SelectionReason] = Field(
        default_factory=list, description="Why it was chosen (软弱涣散, 换届难点, …)."
    )

    def to_domain(self) -> ChosenVillage:
        return ChosenVillage(self.unit_id, tuple(self.reasons))


class CrossTownshipInput(Part):
    township_id: UUID
    group_id: UUID = Field(description="The group drawn from the township.")
    targets: list[ChosenVillageInput] = Field(
        description="The township's villages another group inspects.", max_length=500
    )

    def to_domain(self) -> TownshipTargets:
        return TownshipTargets(
            self.township_id, self.group_id, [t.to_domain() for t in self.targets]
        )


class PlanTownshipCrossBatchInput(CrossBatchInput):
    """Plan a cross batch between the townships of one office (推磨式, Hanjiang), all or
    none: each township's group inspects chosen villages of another township, never its own;
    each group whole (全建制) forms the team of its round, with every recusal rule applied."""

    tenant_id: UUID = Field(description="The office whose townships cross.")
    townships: list[CrossTownshipInput] = Field(max_length=200)
    supervisory_group_id: UUID | None = Field(
        None, description="The supervisory group (督导组) overseeing the batch."
    )
