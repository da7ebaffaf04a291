"""Small builders for domain tests: a city, its county, a village, a clue about it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.clues.clue import Clue
from domain.clues.values import ClueSource, PriorityClass
from domain.tenants.tenant import Tenant, TenantLevel
from domain.tenants.unit import Unit, UnitType


def city(code: str = "3701") -> Tenant:
    return Tenant.register(code=code, name="济南市", level=TenantLevel.CITY, parent=None)


def county(parent: Tenant, code: str = "370102") -> Tenant:
    return Tenant.register(code=code, name="历下区", level=TenantLevel.COUNTY, parent=parent)


def village(owner: Tenant, code: str = "V001", parent: Unit | None = None) -> Unit:
    return Unit.register(
        owner=owner, code=code, name="甲村", unit_type=UnitType.VILLAGE, parent=parent
    )


def triaged_clue(found: date, triaged: date) -> Clue:
    """A county's clue about its village, its registration and triage dated as given."""
    lixia = county(city())
    clue = Clue.register(
        registrar=lixia,
        unit=village(lixia),
        unit_owner=lixia,
        round_=None,
        source=ClueSource.PETITION,
        category="三资管理",
        summary="村集体收入未入账",
        persons_concerned=[],
        amount_involved=Decimal("10"),
        on=found,
    )
    clue.triage(priority=PriorityClass.KEY, proposed_route="移交纪委监委", on=triaged)
    return clue
