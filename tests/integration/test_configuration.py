"""A tenant's configuration as of a date: a change with a later effective date leaves the
due dates and clue categories of earlier records as they were."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from domain.configuration.values import Aspect, Practice
from domain.errors import Forbidden
from domain.tenants.unit import UnitType
from services.authorization import CONSOLE
from services.clock import today_in_china
from services.configuration import add_months
from services.runtime import Runtime
from services.tenants import Acting
from tests.support.unit_files import onboard_county


def test_a_later_change_leaves_earlier_due_dates_and_categories_as_they_were(
    runtime: Runtime,
) -> None:
    _city, county = onboard_county(runtime)
    tenant = UUID(county)
    admin = Acting(role="ADMIN", tenant_id=tenant)
    today = today_in_china()
    later = today + timedelta(days=30)
    config = runtime.configuration
    village = runtime.tenants.register_unit(
        tenant_id=tenant,
        code="V1",
        name="甲村",
        unit_type=UnitType.VILLAGE,
        parent_id=None,
        class_tags=["WEAK"],
        acting=CONSOLE,
    ).id
    config.adopt_checklist(
        acting=admin,
        tenant_id=tenant,
        class_code=None,
        aspects=[Aspect("党组织建设"), Aspect("三资管理")],
        effective_from=today,
    )
    config.adopt_checklist(
        acting=admin,
        tenant_id=tenant,
        class_code="WEAK",
        aspects=[Aspect("软弱涣散整顿", ("班子不团结",))],
        effective_from=today,
    )
    feedback_before = today
    due_before = config.rectification_report_due(tenant, feedback_before)
    categories_before = config.categories_in_force(tenant, village, today)

    config.amend_practice(
        acting=admin,
        tenant_id=tenant,
        practice=Practice(transfer_due_working_days=20, rectification_report_due_months=3),
        effective_from=later,
    )
    config.adopt_checklist(
        acting=admin,
        tenant_id=tenant,
        class_code=None,
        aspects=[Aspect("党组织建设"), Aspect("惠农政策落实")],
        effective_from=later,
    )

    assert config.rectification_report_due(tenant, feedback_before) == due_before
    assert due_before == add_months(today, 2)
    assert config.rectification_report_due(tenant, later) == add_months(later, 3)
    assert config.transfer_due_working_days(tenant, today) == 30
    assert config.transfer_due_working_days(tenant, later) == 20
    assert config.categories_in_force(tenant, village, today) == categories_before
    assert categories_before == ["党组织建设", "三资管理", "软弱涣散整顿"]
    assert config.categories_in_force(tenant, village, later) == [
        "党组织建设",
        "惠农政策落实",
        "软弱涣散整顿",
    ]


@pytest.mark.parametrize("role", ["COUNTY_TEAM", "AUDITOR", "CITY_OFFICE"])
def test_only_admins_change_a_tenants_configuration(runtime: Runtime, role: str) -> None:
    city, county = onboard_county(runtime)
    head = runtime.store.max_position()
    with pytest.raises(Forbidden):
        runtime.configuration.amend_practice(
            acting=Acting(role=role, tenant_id=UUID(city)),
            tenant_id=UUID(county),
            practice=Practice(),
            effective_from=today_in_china(),
        )
    assert runtime.store.max_position() == head


def test_the_report_month_is_clamped_to_its_last_day() -> None:
    from datetime import date

    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)
