"""The linkage rules of DOMAIN.md ("Rounds"): who may organise which kind of combined round,
on whose units. Each refusal is a `RuleViolation` whose rule id names the rule broken."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID

from domain.errors import RuleViolation, ValidationFailed
from domain.rounds.values import Linkage, Period, Target
from domain.tenants.tenant import Tenant, TenantLevel


class ParentRound(Protocol):
    """What a LINKED child needs to know about its parent round."""

    @property
    def id(self) -> UUID: ...
    @property
    def tenant_id(self) -> UUID: ...
    @property
    def city_id(self) -> UUID: ...
    @property
    def linkage(self) -> Linkage: ...
    @property
    def parent_id(self) -> UUID | None: ...
    @property
    def period(self) -> Period: ...


@dataclass(frozen=True)
class Scope:
    """Who organises a round and which offices take part, as the linkage rules see it."""

    organiser: Tenant
    linkage: Linkage
    period: Period
    targets: list[Target]
    co_organisers: list[Tenant] = field(default_factory=list)
    parent: ParentRound | None = None
    inspecting: Tenant | None = None
    owning: Tenant | None = None


def _is_county_of(tenant: Tenant, city: Tenant | UUID) -> bool:
    city_id = city if isinstance(city, UUID) else city.id
    return tenant.level == TenantLevel.COUNTY and tenant.parent_id == city_id


def _targets_outside(targets: list[Target], owners: set[UUID]) -> list[Target]:
    return [t for t in targets if t.owner_id not in owners]


def city_of(tenant: Tenant) -> UUID:
    """The city a round of `tenant` belongs to: itself if a city, else its parent city."""
    if tenant.level == TenantLevel.CITY or tenant.parent_id is None:
        return tenant.id
    return tenant.parent_id


def check(scope: Scope, *, counties_of_city: set[UUID]) -> UUID:
    """Refuse a scope that breaks a linkage rule; return the city the round belongs to.
    `counties_of_city` are the ids of the counties of the organiser's city."""
    _check_fields(scope)
    organiser, linkage = scope.organiser, scope.linkage
    if linkage is Linkage.STANDALONE:
        _refuse_outside(scope, {organiser.id}, "ROUND_STANDALONE_TARGETS", "the organiser's own")
    elif linkage is Linkage.ESCALATED:
        _require_city(organiser, "ROUND_ESCALATED_ORGANISER", "an ESCALATED round")
        _refuse_outside(
            scope, counties_of_city, "ROUND_ESCALATED_TARGETS", f"{organiser.code}'s counties'"
        )
    elif linkage is Linkage.LINKED:
        _check_linked(scope, counties_of_city)
    elif linkage is Linkage.JOINT:
        _require_city(organiser, "ROUND_JOINT_ORGANISER", "a JOINT round")
        strangers = [c.code for c in scope.co_organisers if not _is_county_of(c, organiser)]
        if not scope.co_organisers or strangers:
            raise RuleViolation(
                "ROUND_JOINT_CO_ORGANISERS",
                "A JOINT round is co-organised by the city and one or more of its counties; "
                + (
                    f"{', '.join(strangers)} are not counties of {organiser.code}"
                    if strangers
                    else "no county was named"
                ),
            )
        owners = {organiser.id, *(c.id for c in scope.co_organisers)}
        _refuse_outside(scope, owners, "ROUND_JOINT_TARGETS", "the co-organisers'")
    elif linkage is Linkage.CROSS:
        _check_cross(scope)
    return city_of(organiser)


def _check_fields(scope: Scope) -> None:
    if not scope.targets:
        raise ValidationFailed("A round needs at least one target unit", field="targetUnitIds")
    if len({t.unit_id for t in scope.targets}) != len(scope.targets):
        raise ValidationFailed("A target unit is named twice", field="targetUnitIds")
    if scope.co_organisers and scope.linkage is not Linkage.JOINT:
        raise ValidationFailed("Only a JOINT round has co-organisers", field="coOrganiserIds")
    if scope.parent is not None and scope.linkage is not Linkage.LINKED:
        raise ValidationFailed("Only a LINKED round has a parent round", field="parentRoundId")
    if (scope.inspecting or scope.owning) and scope.linkage is not Linkage.CROSS:
        raise ValidationFailed(
            "Only a CROSS round has inspecting and owning counties", field="inspectingCountyId"
        )


def _require_city(organiser: Tenant, rule: str, what: str) -> None:
    if organiser.level != TenantLevel.CITY:
        raise RuleViolation(rule, f"{what} is organised by a city; {organiser.code} is not one")


def _refuse_outside(scope: Scope, owners: set[UUID], rule: str, whose: str) -> None:
    outside = _targets_outside(scope.targets, owners)
    if outside:
        raise RuleViolation(
            rule,
            f"A {scope.linkage} round inspects {whose} units; unit {outside[0].unit_id} "
            f"belongs to another office",
            unit_id=str(outside[0].unit_id),
        )


def _check_linked(scope: Scope, counties_of_city: set[UUID]) -> None:
    organiser, parent = scope.organiser, scope.parent
    if parent is None:
        # The parent of a linked round: a city round whose objects may sink one level.
        _require_city(organiser, "ROUND_LINKED_PARENT_ORGANISER", "a LINKED parent round")
        _refuse_outside(
            scope,
            {organiser.id, *counties_of_city},
            "ROUND_LINKED_PARENT_TARGETS",
            f"{organiser.code}'s or its counties'",
        )
        return
    if parent.parent_id is not None or parent.linkage not in (Linkage.LINKED, Linkage.ESCALATED):
        raise RuleViolation(
            "ROUND_LINKED_PARENT",
            f"Round {parent.id} cannot be a parent: a parent is a city's LINKED or ESCALATED "
            "round that is not itself a child",
        )
    if not _is_county_of(organiser, parent.tenant_id):
        raise RuleViolation(
            "ROUND_LINKED_ORGANISER",
            f"A LINKED child is organised by a county of the parent's city; {organiser.code} "
            "is not one",
        )
    if not parent.period.contains(scope.period):
        raise RuleViolation(
            "ROUND_LINKED_PERIOD",
            f"A LINKED child runs inside its parent's period {parent.period.start} – "
            f"{parent.period.end}; {scope.period.start} – {scope.period.end} does not",
        )
    _refuse_outside(scope, {organiser.id}, "ROUND_LINKED_TARGETS", "its own county's")


def _check_cross(scope: Scope) -> None:
    organiser, inspecting, owning = scope.organiser, scope.inspecting, scope.owning
    _require_city(organiser, "ROUND_CROSS_AUTHORISER", "a CROSS round (authorised by the city)")
    if inspecting is None or owning is None:
        raise ValidationFailed(
            "A CROSS round names its inspecting and its owning county", field="inspectingCountyId"
        )
    if inspecting.id == owning.id:
        raise RuleViolation(
            "ROUND_CROSS_SAME_COUNTY",
            f"In a CROSS round a county does not inspect itself; {inspecting.code} was named "
            "as both inspecting and owning county",
        )
    for county in (inspecting, owning):
        if not _is_county_of(county, organiser):
            raise RuleViolation(
                "ROUND_CROSS_COUNTIES",
                f"{county.code} is not a county of the authorising city {organiser.code}",
            )
    _refuse_outside(scope, {owning.id}, "ROUND_CROSS_TARGETS", f"the owning county {owning.code}'s")
