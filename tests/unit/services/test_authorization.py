"""The scope rules of services/authorization.py, without a database."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from domain.errors import Forbidden, NotFound
from services.authorization import (
    DEPLOYMENT_TENANT,
    Acting,
    Office,
    require_admin_of,
    require_admin_over,
    require_clearance,
    require_office,
    scope_of,
)

CITY, COUNTY, NEIGHBOUR, OTHER_CITY, FAR_COUNTY = (uuid4() for _ in range(5))
DIRECTORY = [
    Office(CITY, None),
    Office(COUNTY, CITY),
    Office(NEIGHBOUR, CITY),
    Office(OTHER_CITY, None),
    Office(FAR_COUNTY, OTHER_CITY),
]


def acting(role: str, tenant: UUID, clearance: bool = False) -> Acting:
    return Acting(role=role, tenant_id=tenant, informant_clearance=clearance)


@pytest.mark.parametrize("role", ["CITY_OFFICE", "AUDITOR", "ADMIN"])
def test_a_citys_roles_read_the_city_and_all_its_counties_only(role: str) -> None:
    scope = scope_of(acting(role, CITY), DIRECTORY)
    assert scope.tenants == {CITY, COUNTY, NEIGHBOUR}


def test_a_county_team_reads_its_own_county_only() -> None:
    scope = scope_of(acting("COUNTY_TEAM", COUNTY), DIRECTORY)
    assert scope.tenants == {COUNTY}
    with pytest.raises(NotFound):
        scope.require_read(NEIGHBOUR, "tenant")


def test_a_county_team_reads_a_round_it_takes_part_in_or_that_inspects_its_units() -> None:
    scope = scope_of(acting("COUNTY_TEAM", COUNTY), DIRECTORY)
    assert scope.reads_round({NEIGHBOUR, CITY, COUNTY})  # it inspects in a cross round
    assert scope.reads_round({NEIGHBOUR, CITY}, COUNTY)  # its units are inspected
    assert not scope.reads_round({NEIGHBOUR, CITY}, NEIGHBOUR)


def test_the_deployment_admin_and_the_console_read_everything() -> None:
    assert scope_of(acting("ADMIN", DEPLOYMENT_TENANT), DIRECTORY).reads(FAR_COUNTY)
    assert scope_of(Acting.console(), DIRECTORY).reads(FAR_COUNTY)
    assert not scope_of(acting("AUDITOR", DEPLOYMENT_TENANT), DIRECTORY).reads(FAR_COUNTY)


def test_an_auditor_writes_nothing_even_in_its_own_office() -> None:
    with pytest.raises(Forbidden):
        require_office(acting("AUDITOR", CITY), {CITY}, "plan its rounds")


def test_an_office_writes_for_the_offices_a_command_concerns_only() -> None:
    require_office(acting("CITY_OFFICE", CITY), {COUNTY, CITY}, "plan its rounds")
    with pytest.raises(Forbidden):
        require_office(acting("COUNTY_TEAM", NEIGHBOUR), {COUNTY, CITY}, "plan its rounds")


def test_counties_are_managed_by_an_admin_of_their_city() -> None:
    require_admin_of(acting("ADMIN", CITY), CITY, "rename its counties")
    require_admin_over(acting("ADMIN", CITY), COUNTY, CITY, "define its unit classes")
    with pytest.raises(Forbidden):
        require_admin_of(acting("ADMIN", COUNTY), CITY, "rename its counties")
    with pytest.raises(Forbidden):
        require_admin_over(acting("ADMIN", OTHER_CITY), COUNTY, CITY, "define its unit classes")


def test_informant_identities_need_the_clearance_claim_even_for_an_admin() -> None:
    with pytest.raises(Forbidden):
        require_clearance(acting("ADMIN", DEPLOYMENT_TENANT), "Erasing an informant")
    require_clearance(acting("CITY_OFFICE", CITY, clearance=True), "Erasing an informant")
