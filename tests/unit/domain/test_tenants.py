import pytest

from domain.errors import RuleViolation, ValidationFailed
from domain.tenants.tenant import Tenant, TenantLevel, tenant_id_for
from domain.tenants.unit import Unit, UnitType
from tests.unit.domain.factories import city, county, village


def test_a_county_belongs_to_a_city() -> None:
    jinan = city()
    lixia = county(jinan)
    assert lixia.parent_id == jinan.id
    assert lixia.tenant_id == lixia.id == tenant_id_for("370102")


def test_a_county_without_a_parent_city_is_refused() -> None:
    with pytest.raises(RuleViolation) as refused:
        Tenant.register(code="370102", name="历下区", level=TenantLevel.COUNTY, parent=None)
    assert refused.value.rule == "TENANT_PARENT_LEVEL"


def test_a_county_cannot_be_the_parent_of_a_county() -> None:
    lixia = county(city())
    with pytest.raises(RuleViolation):
        Tenant.register(code="370103", name="市中区", level=TenantLevel.COUNTY, parent=lixia)


def test_a_city_has_no_parent() -> None:
    with pytest.raises(RuleViolation):
        Tenant.register(code="3702", name="青岛市", level=TenantLevel.CITY, parent=city())


def test_blank_names_are_refused_with_the_field_named() -> None:
    with pytest.raises(ValidationFailed) as refused:
        Tenant.register(code="3701", name="   ", level=TenantLevel.CITY, parent=None)
    assert refused.value.details["field"] == "name"


def test_a_village_belongs_to_a_township_of_the_same_office() -> None:
    lixia = county(city())
    township = Unit.register(
        owner=lixia, code="T1", name="甲镇", unit_type=UnitType.TOWNSHIP, parent=None
    )
    assert village(lixia, parent=township).parent_id == township.id


def test_a_village_under_a_village_is_refused() -> None:
    lixia = county(city())
    with pytest.raises(RuleViolation) as refused:
        village(lixia, code="V2", parent=village(lixia))
    assert refused.value.rule == "UNIT_PARENT_TYPE"


def test_a_unit_under_another_offices_unit_is_refused() -> None:
    jinan = city()
    township = Unit.register(
        owner=county(jinan, "370103"),
        code="T1",
        name="乙镇",
        unit_type=UnitType.TOWNSHIP,
        parent=None,
    )
    with pytest.raises(RuleViolation) as refused:
        village(county(jinan), parent=township)
    assert refused.value.rule == "UNIT_PARENT_TENANT"


def test_unit_ids_are_unique_per_office_and_code() -> None:
    jinan = city()
    assert village(county(jinan)).id != village(county(jinan, "370103")).id
    assert village(county(jinan)).id == village(county(jinan)).id
