"""四级反馈: who may be addressed at each level of a round's feedback. Jinhua fed each village
round back to the village's Party organisation, the township committee, the county committee
and the line departments, each rectifying its own part (四方整改)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from domain.errors import RuleViolation
from domain.rectification.values import Addressee, FeedbackLevel
from domain.tenants.tenant import Tenant, TenantLevel
from domain.tenants.unit import Unit, UnitType


class Targets:
    """What the levels need of a round: its target units, their owners, the townships the
    inspected villages belong to (their parents), and its organiser (whose departments,
    e.g. 市直相关部门, it may address too)."""

    def __init__(
        self,
        *,
        unit_ids: Iterable[UUID],
        owner_ids: Iterable[UUID],
        townships: Iterable[UUID | None],
        organiser_id: UUID,
    ) -> None:
        self.unit_ids = frozenset(unit_ids)
        self.owner_ids = frozenset(owner_ids)
        self.townships = frozenset(t for t in townships if t is not None)
        self.organiser_id = organiser_id


def unit_addressee(level: FeedbackLevel, unit: Unit, targets: Targets) -> Addressee:
    """`unit` addressed at `level`, refused unless it is one the round may address there: a
    target at UNIT, the township of a target at TOWNSHIP_COMMITTEE, a department of an office
    whose units the round inspects (or of the organiser) at DEPARTMENT."""
    if level is FeedbackLevel.COUNTY_COMMITTEE:
        raise RuleViolation(
            "FEEDBACK_COUNTY_COMMITTEE_IS_AN_OFFICE",
            f"The county committee is addressed by its county office, not by unit {unit.code}",
        )
    fits = {
        FeedbackLevel.UNIT: unit.id in targets.unit_ids,
        FeedbackLevel.TOWNSHIP_COMMITTEE: unit.unit_type is UnitType.TOWNSHIP
        and unit.id in targets.townships,
        FeedbackLevel.DEPARTMENT: unit.unit_type is UnitType.DEPARTMENT
        and unit.tenant_id in targets.owner_ids | {targets.organiser_id},
    }[level]
    if not fits:
        raise RuleViolation(
            "FEEDBACK_UNIT_NOT_A_TARGET"  # as before there were levels
            if level is FeedbackLevel.UNIT
            else f"FEEDBACK_NOT_ADDRESSABLE_AT_{level.value}",
            f"Unit {unit.code} ({unit.unit_type}) cannot be addressed as {level.named} "
            f"by this round: {_WHO[level]}",
            unit_id=str(unit.id),
        )
    return Addressee(id=unit.id, level=level, owner_id=unit.tenant_id, name=unit.name)


def county_addressee(county: Tenant, targets: Targets) -> Addressee:
    """The county committee (县委) of a county whose units the round inspects."""
    if county.level is not TenantLevel.COUNTY or county.id not in targets.owner_ids:
        raise RuleViolation(
            "FEEDBACK_NOT_ADDRESSABLE_AT_COUNTY_COMMITTEE",
            f"Office {county.code} cannot be addressed as the county committee by this round: "
            f"{_WHO[FeedbackLevel.COUNTY_COMMITTEE]}",
        )
    return Addressee(
        id=county.id, level=FeedbackLevel.COUNTY_COMMITTEE, owner_id=county.id, name=county.name
    )


_WHO = {
    FeedbackLevel.UNIT: "only its target units",
    FeedbackLevel.TOWNSHIP_COMMITTEE: "only a township its target villages belong to",
    FeedbackLevel.COUNTY_COMMITTEE: "only a county whose units it inspects",
    FeedbackLevel.DEPARTMENT: "only a department of its organiser or of an office whose "
    "units it inspects",
}
