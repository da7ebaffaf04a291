"""With a checklist in force, a clue's category must be one of its aspects (1+X: the common
checklist plus those of the unit's classes); without one, categories are free text."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.clues.values import ClueSource
from domain.configuration.values import Aspect
from domain.errors import RuleViolation
from domain.tenants.unit import UnitType
from services.authorization import CONSOLE
from services.clock import today_in_china
from services.runtime import Runtime
from services.tenants import Acting
from tests.support.unit_files import onboard_county


def register(runtime: Runtime, county: UUID, unit: UUID, category: str) -> int:
    return runtime.clues.register_clue(
        tenant_id=county,
        unit_id=unit,
        round_id=None,
        source=ClueSource.INTERVIEW,
        category=category,
        summary="班子成员长期不和",
        persons_concerned=[],
        amount_involved=None,
        acting=CONSOLE,
    ).position


def test_a_clue_category_comes_from_the_checklist_in_force(runtime: Runtime) -> None:
    _city, county_code = onboard_county(runtime)
    county = UUID(county_code)
    weak_village = runtime.tenants.register_unit(
        tenant_id=county,
        code="V1",
        name="甲村",
        unit_type=UnitType.VILLAGE,
        parent_id=None,
        class_tags=["WEAK"],
        acting=CONSOLE,
    ).id
    plain_village = runtime.tenants.register_unit(
        tenant_id=county,
        code="V2",
        name="乙村",
        unit_type=UnitType.VILLAGE,
        parent_id=None,
        acting=CONSOLE,
    ).id
    register(runtime, county, plain_village, "任意类别")  # no checklist yet: free text

    admin = Acting(role="ADMIN", tenant_id=county)
    for class_code, aspect in ((None, "三资管理"), ("WEAK", "软弱涣散整顿")):
        runtime.configuration.adopt_checklist(
            acting=admin,
            tenant_id=county,
            class_code=class_code,
            aspects=[Aspect(aspect)],
            effective_from=today_in_china(),
        )

    register(runtime, county, plain_village, "三资管理")
    register(runtime, county, weak_village, "软弱涣散整顿")
    before = runtime.store.max_position()
    with pytest.raises(RuleViolation) as refused:
        register(runtime, county, plain_village, "软弱涣散整顿")  # not a class of this unit
    assert refused.value.rule == "CLUE_CATEGORY_NOT_IN_CHECKLIST"
    assert runtime.store.max_position() == before
