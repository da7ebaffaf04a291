"""Renaming and merging counties: only an ADMIN of their city may; history stays attached."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import Forbidden
from domain.tenants.tenant import Tenant, TenantLevel
from domain.tenants.unit import Unit, UnitType
from projections import directory
from services.authorization import CONSOLE
from services.runtime import Runtime
from services.tenants import Acting
from tests.support.unit_files import onboard_county

MERGED_ON = date(2027, 1, 1)


def register_second_county(runtime: Runtime, city: str) -> UUID:
    return runtime.tenants.register_tenant(
        code="370181", name="章丘市", level=TenantLevel.COUNTY, parent_id=UUID(city), acting=CONSOLE
    ).id


@pytest.mark.parametrize(
    "acting",
    [
        Acting(role="COUNTY_TEAM", tenant_id=None),
        Acting(role="CITY_OFFICE", tenant_id=None),
        Acting(role="ADMIN", tenant_id=None),  # an ADMIN of the county itself, below
    ],
    ids=["county team", "city office", "county admin"],
)
def test_only_an_admin_of_the_city_may_rename_or_merge_its_counties(
    runtime: Runtime, acting: Acting
) -> None:
    city, county = onboard_county(runtime)
    other = register_second_county(runtime, city)
    tenant = UUID(county) if acting.role == "ADMIN" else UUID(city)
    who = Acting(role=acting.role, tenant_id=tenant)
    head = runtime.store.max_position()

    with pytest.raises(Forbidden):
        runtime.tenants.rename_county(
            acting=who, county_id=UUID(county), name="历城新区", effective_on=MERGED_ON, reason="x"
        )
    with pytest.raises(Forbidden):
        runtime.tenants.merge_county(
            acting=who,
            county_id=other,
            into_id=UUID(county),
            units=[],
            effective_on=MERGED_ON,
            reason="x",
        )
    assert runtime.store.max_position() == head


def test_a_merge_moves_the_units_by_events_and_keeps_their_history(runtime: Runtime) -> None:
    city, county = onboard_county(runtime)
    absorbed = register_second_county(runtime, city)
    township = runtime.tenants.register_unit(
        tenant_id=absorbed,
        code="Z-T1",
        name="双山街道",
        unit_type=UnitType.TOWNSHIP,
        parent_id=None,
        acting=CONSOLE,
    ).id
    village = runtime.tenants.register_unit(
        tenant_id=absorbed,
        code="Z-V1",
        name="三涧溪村",
        unit_type=UnitType.VILLAGE,
        parent_id=township,
        acting=CONSOLE,
    ).id
    admin = Acting(role="ADMIN", tenant_id=UUID(city))

    runtime.tenants.merge_county(
        acting=admin,
        county_id=absorbed,
        into_id=UUID(county),
        units=[township, village],
        effective_on=MERGED_ON,
        reason="撤市设区，并入历城区",
    )

    gone = runtime.store.load(Tenant, absorbed, what="tenant")
    assert gone.merged_into == UUID(county)
    moved = runtime.store.load(Unit, village, what="unit")
    assert (moved.tenant_id, moved.parent_id, moved.version) == (UUID(county), township, 2)
    # As of its first version, the unit still belongs to the county it was registered in.
    assert runtime.store.repository.get(village, version=1).tenant_id == absorbed
    runtime.wait_for_projections(runtime.store.max_position())
    with runtime.reads.connection() as conn:
        assert {u.code for u in directory.units_of(conn, UUID(county))} == {"Z-T1", "Z-V1"}
        assert directory.tenants_by_id(conn, [absorbed])[absorbed].merged_into == UUID(county)
    assert runtime.tenants.unit_by_code(runtime.tenants.tenant(UUID(county)), "Z-V1") is not None


def test_a_renamed_county_answers_its_former_name_for_earlier_dates(runtime: Runtime) -> None:
    city, county = onboard_county(runtime)
    runtime.tenants.rename_county(
        acting=Acting(role="ADMIN", tenant_id=UUID(city)),
        county_id=UUID(county),
        name="历城新区",
        effective_on=MERGED_ON,
        reason="更名",
    )
    tenant = runtime.tenants.tenant(UUID(county))
    assert (tenant.name_on(date(2026, 12, 31)), tenant.name) == ("历城区", "历城新区")
