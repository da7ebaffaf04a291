"""Recusal (回避): when an inspector may not serve on a round, by DOMAIN.md's four rules.
Each refusal names the rule, the inspector and the unit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from domain.errors import RuleViolation
from domain.inspectors.inspector import Inspector
from domain.rounds.values import Target

POST_RECUSAL_YEARS = 3


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _refuse(rule: str, inspector: Inspector, unit_id: UUID, why: str) -> RuleViolation:
    return RuleViolation(
        rule,
        f"Inspector {inspector.name} ({inspector.id}) must recuse from unit {unit_id}: {why}",
        inspector_id=str(inspector.id),
        unit_id=str(unit_id),
    )


def check_recusal(
    inspector: Inspector,
    targets: Iterable[Target],
    *,
    reference: date,
    declared_units: set[UUID],
    home_area_applies: bool = True,
) -> None:
    """Refuse when any recusal rule applies to `inspector` for a target unit.

    - RECUSAL_DECLARED_CONFLICT (公务回避): the inspector declared a recusal for the unit.
    - RECUSAL_POST (任职回避): they hold or held a post at the unit within 3 years before
      `reference` (the round's planned start).
    - RECUSAL_HOME_AREA (地域回避): the unit belongs to the inspector's home county.
    - RECUSAL_KINSHIP: a declared kin relation to a member of the unit's leadership.
    """
    since = years_before(reference, POST_RECUSAL_YEARS)
    for target in targets:
        unit_id = target.unit_id
        if unit_id in declared_units:
            raise _refuse("RECUSAL_DECLARED_CONFLICT", inspector, unit_id, "a recusal was declared")
        for posting in inspector.postings:
            if posting.unit_id == unit_id and posting.held_since(since):
                raise _refuse(
                    "RECUSAL_POST",
                    inspector,
                    unit_id,
                    f"held a post there until {posting.end or 'now'}, within "
                    f"{POST_RECUSAL_YEARS} years before {reference}",
                )
        if home_area_applies and target.owner_id == inspector.home_tenant_id:
            raise _refuse("RECUSAL_HOME_AREA", inspector, unit_id, "the unit is in their home area")
        for relation in inspector.relations:
            if relation.unit_id == unit_id:
                raise _refuse(
                    "RECUSAL_KINSHIP",
                    inspector,
                    unit_id,
                    f"{relation.kinship} relation to {relation.person} ({relation.position})",
                )
