"""Small builders for domain tests: a city, its county, a village."""

from __future__ import annotations

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
