from datetime import date

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


def test_a_units_class_as_of_any_date_follows_its_reclassifications() -> None:
    lixia = county(city())
    unit = Unit.register(
        owner=lixia, code="V9", name="丙村", unit_type=UnitType.VILLAGE, parent=None, tags=["WEAK"]
    )
    unit.reclassify(["ASSETS"], effective_from=date(2027, 1, 1), reason="年度研判")
    assert unit.classes_on(date(2026, 6, 1)) == ["WEAK"]
    assert unit.classes_on(date(2027, 1, 1)) == ["ASSETS"]


def test_a_merged_county_records_where_it_went_and_owns_no_new_units() -> None:
    jinan = city()
    lixia, shizhong = county(jinan), county(jinan, "370103")
    shizhong.merge_into(lixia, effective_on=date(2027, 1, 1), reason="行政区划调整")
    assert shizhong.merged_into == lixia.id
    assert shizhong.id in lixia.unit_namespaces
    with pytest.raises(RuleViolation) as refused:
        village(shizhong)
    assert refused.value.rule == "TENANT_MERGED"


def test_counties_of_different_cities_cannot_merge() -> None:
    with pytest.raises(RuleViolation) as refused:
        county(city()).merge_into(
            county(city("3702"), "370202"), effective_on=date(2027, 1, 1), reason="调整"
        )
    assert refused.value.rule == "COUNTY_MERGE_OTHER_CITY"


def test_a_renamed_county_keeps_its_former_name_for_earlier_dates() -> None:
    lixia = county(city())
    lixia.rename("历下新区", effective_on=date(2027, 1, 1), reason="撤县设区")
    assert lixia.name_on(date(2026, 12, 31)) == "历下区"
    assert lixia.name_on(date(2027, 1, 2)) == "历下新区"
