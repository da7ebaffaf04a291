"""The inputs of the office's own commands: setting up and merging offices, units and their
configuration, planning rounds, erasing an informant. Declared like the field commands
(inputs.py) and run the same way, but only through GraphQL: the batch endpoint does not take
them (their entries in commands.py say `batch=False`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from domain.audit.report import ReportKind
from domain.configuration.values import (
    Aspect,
    ChannelKind,
    DisclosureExemption,
    LadderStep,
    SupervisionStep,
    Term,
    Trigger,
    UnitClass,
    WarningChannel,
)
from domain.rounds.values import CrossMode, Linkage, Period, RoundKind, SelectionReason
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType
from services.rounds import CrossTargets
from services.submissions.inputs import EXPECTED_VERSION, CommandInput, Part, domain_value

EFFECTIVE_FROM = "Today or later."

# -- tenants --------------------------------------------------------------------------------


class RegisterTenantInput(CommandInput):
    code: str = Field(description="Stable code, e.g. the division code.")
    name: str
    level: TenantLevel
    parent_id: UUID | None = Field(None, description="The parent city of a county.")


class RegisterUnitInput(CommandInput):
    tenant_id: UUID = Field(description="The office that owns the unit.")
    code: str
    name: str
    unit_type: UnitType
    parent_id: UUID | None = Field(None, description="E.g. the township a village belongs to.")
    class_tags: list[str] = Field(default_factory=list, description="Codes of the unit's classes.")


class OpenAccountInput(CommandInput):
    """Open a web app account (用户账号) of an office; its ADMIN or its city's may. The person
    changes the initial password before the first sign-in."""

    tenant_id: UUID = Field(description="The person's office.")
    username: str = Field(description="What the person signs in with (any case).")
    display_name: str
    role: str = Field(description="CITY_OFFICE, COUNTY_TEAM, AUDITOR or ADMIN.")
    initial_password: str = Field(description="At least 10 characters; changed at first use.")
    inspector_id: UUID | None = Field(None, description="The person's inspector record.")
    informant_clearance: bool = Field(False, description="May see informant identities.")


class RenameCountyInput(CommandInput):
    """Rename a county (e.g. 撤县设区). Only an ADMIN of its city may."""

    county_id: UUID
    name: str
    effective_on: date = Field(description="The day the new name applies.")
    reason: str = Field(description="E.g. the approval document.")


class MergeCountyInput(CommandInput):
    """Merge a county into another of the same city: the merged county records where it went
    and each of its units is reassigned by an event on its own stream. ADMIN of the city."""

    county_id: UUID = Field(description="The county that ceases.")
    into_id: UUID = Field(description="The county that takes its units.")
    effective_on: date
    reason: str


class UnitClassInput(Part):
    code: str = Field(description="E.g. WEAK.")
    name: str = Field(description="E.g. 软弱涣散村.")

    def to_domain(self) -> UnitClass:
        return UnitClass(self.code, self.name)


class DefineUnitClassesInput(CommandInput):
    """From a date on, the office classifies its units by exactly these classes."""

    tenant_id: UUID
    effective_from: date = Field(description=EFFECTIVE_FROM)
    classes: list[UnitClassInput]


class AspectInput(Part):
    name: str = Field(description="E.g. 三资管理; a clue category.")
    problem_forms: list[str] | None = None

    def to_domain(self) -> Aspect:
        return Aspect(self.name, tuple(self.problem_forms or ()))


class AdoptChecklistInput(CommandInput):
    """Adopt the common checklist or a unit class's checklist (1+X) from a date on."""

    tenant_id: UUID
    class_code: str | None = Field(None, description="A unit class; omit for the common checklist.")
    effective_from: date = Field(description=EFFECTIVE_FROM)
    aspects: list[AspectInput]


class DeclareTermInput(CommandInput):
    """Declare a committee term (届); coverage is counted per term."""

    tenant_id: UUID
    name: str = Field(description="E.g. 第十三届.")
    starts_on: date
    ends_on: date

    def arguments(self, target: UUID | None = None) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant_id,
            "term": Term(self.name, self.starts_on, self.ends_on),
        }


class SetWarningChannelInput(CommandInput):
    """Where the office's deadline warnings (超期预警) go: a WeCom or DingTalk group robot's
    webhook address (it holds the robot's key: it is stored, never logged or shown)."""

    tenant_id: UUID
    kind: ChannelKind = Field(description="The robot's message format: WECOM or DINGTALK.")
    url: str = Field(description="The robot's webhook address (https://…).")

    def arguments(self, target: UUID | None = None) -> dict[str, Any]:
        return {"tenant_id": self.tenant_id, "channel": WarningChannel(self.kind, self.url)}


class LadderStepInput(Part):
    step: SupervisionStep
    trigger: Trigger
    days: int

    def to_domain(self) -> LadderStep:
        return LadderStep(self.step, self.trigger, self.days)


class PriorityClassNamesInput(Part):
    key: str = Field(alias="KEY", description="Default 重点关注类.")
    attention: str = Field(alias="ATTENTION", description="Default 了解关注类.")
    reference: str = Field(alias="REFERENCE", description="Default 参考类.")

    def to_domain(self) -> dict[str, str]:
        return {"KEY": self.key, "ATTENTION": self.attention, "REFERENCE": self.reference}


class AmendPracticeInput(CommandInput):
    """Change the office's time limits and names from a date on; earlier records keep theirs.
    Fields left out keep the values in force on `effectiveFrom`."""

    tenant_id: UUID
    effective_from: date = Field(description=EFFECTIVE_FROM)
    transfer_due_working_days: int | None = None
    rectification_report_due_months: int | None = None
    supervision_ladder: list[LadderStepInput] | None = None
    priority_class_names: PriorityClassNamesInput | None = None
    disclosure_exemptions: list[DisclosureExemption] | None = None

    def arguments(self, target: UUID | None = None) -> dict[str, Any]:
        changes = {
            name: domain_value(getattr(self, name))
            for name in type(self).model_fields
            if name not in {"tenant_id", "effective_from"} and getattr(self, name) is not None
        }
        return {
            "tenant_id": self.tenant_id,
            "effective_from": self.effective_from,
            "changes": {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()},
        }


# -- rounds ---------------------------------------------------------------------------------


class TargetReasonsInput(Part):
    unit_id: UUID = Field(description="A target unit.")
    reasons: list[SelectionReason] = Field(description="Why it was chosen (软弱涣散, …).")

    def to_domain(self) -> tuple[UUID, tuple[SelectionReason, ...]]:
        return self.unit_id, tuple(self.reasons)


class PlanRoundInput(CommandInput):
    """Plan an inspection round; refused with RULE_VIOLATION when a linkage rule is broken."""

    tenant_id: UUID = Field(description="The organising office.")
    kind: RoundKind
    linkage: Linkage
    title: str
    theme: str | None = Field(None, description="The theme of a THEMATIC round.")
    revisit_of_round_id: UUID | None = Field(None, description="The round a REVISIT checks.")
    period_start: date
    period_end: date
    target_unit_ids: list[UUID]
    co_organiser_ids: list[UUID] | None = Field(
        None, description="The counties co-organising a JOINT round."
    )
    parent_round_id: UUID | None = Field(
        None, description="The city round a LINKED child runs under."
    )
    inspecting_county_id: UUID | None = Field(
        None, description="CROSS: the county whose team inspects."
    )
    owning_county_id: UUID | None = Field(
        None, description="CROSS: the county whose units are inspected."
    )
    target_reasons: list[TargetReasonsInput] | None = Field(
        None, description="Why targets were chosen, for those whose reasons are recorded."
    )

    def arguments(self, target: UUID | None = None) -> dict[str, Any]:
        given = super().arguments(target)
        period = Period(given.pop("period_start"), given.pop("period_end"))
        return given | {
            "period": period,
            "co_organiser_ids": self.co_organiser_ids or [],
            "target_reasons": dict(given.pop("target_reasons") or []),
        }


class CrossCountyInput(Part):
    county_id: UUID
    target_unit_ids: list[UUID] = Field(description="The county's units inspected.")

    def to_domain(self) -> CrossTargets:
        return CrossTargets(self.county_id, list(self.target_unit_ids))


class CrossBatchInput(CommandInput):
    """What every cross batch names: mode, kind, title, theme, period and ring step."""

    mode: CrossMode
    kind: RoundKind
    title: str
    theme: str | None = None
    period_start: date
    period_end: date
    shift: int | None = Field(
        None, description="Ring step: party i works with party i+shift (default 1)."
    )
    zone_id: UUID | None = Field(
        None, description="A zone (片区) the batch is planned over: every party is its member."
    )

    def arguments(self, target: UUID | None = None) -> dict[str, Any]:
        given = super().arguments(target)
        period = Period(given.pop("period_start"), given.pop("period_end"))
        return given | {"period": period, "shift": self.shift or 1}


class PlanCrossBatchInput(CrossBatchInput):
    """Generate and plan a batch of cross rounds (交叉巡察), all or none."""

    city_id: UUID = Field(description="The authorising city.")
    counties: list[CrossCountyInput]

    def arguments(self, target: UUID | None = None) -> dict[str, Any]:
        given = super().arguments(target)
        return given | {"targets": given.pop("counties")}


# -- clues ----------------------------------------------------------------------------------


class EraseInformantInput(CommandInput):
    """Destroy the key of a clue's informant identity (InformantErased; informant clearance
    only): afterwards no query, export or replay can recover it; the rest of the clue's
    history stays intact."""

    aims_at = "clue_id"

    clue_id: UUID
    reason: str
    expected_version: int | None = Field(None, description=EXPECTED_VERSION)


class IssueReportInput(CommandInput):
    """Issue a view as a report (docs/TIME_MACHINE.md): computed at the log position of
    `asOf` (default: now), pinned with the SHA-256 of its content; `report(id)` recomputes it."""

    tenant_id: UUID = Field(description="The office whose view (with the offices below it).")
    kind: ReportKind
    period_from: date | None = Field(None, description="STATISTICS: first day of the period.")
    period_to: date | None = Field(
        None, description="STATISTICS: last day of the period (default: asOf's day)."
    )
    today: date | None = Field(
        None, description="CLUE_LEDGER: the day overdue is judged on (default: asOf's day)."
    )
    as_of: datetime | None = Field(None, description="The recorded moment (default: now).")
