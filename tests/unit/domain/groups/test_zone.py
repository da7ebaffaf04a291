"""Zones (片区协作): a county pools its townships, a city its counties; a batch over a zone
takes only its members."""

from __future__ import annotations

import pytest

from domain.errors import RuleViolation, ValidationFailed
from domain.groups.zone import Zone
from tests.unit.domain.factories import city, county
from tests.unit.domain.groups.builders import district


def test_a_county_pools_its_townships_and_a_city_its_counties() -> None:
    hanjiang = district(3)
    townships = [p.township for p in hanjiang.parts]
    east = Zone.define(office=hanjiang.office, name="东片区", townships=townships)
    assert east.member_ids == [t.id for t in townships]
    neighbour = county(hanjiang.city, "429005")
    pair = Zone.define(office=hanjiang.city, name="南片区", counties=[hanjiang.office, neighbour])
    pair.check_pools(hanjiang.city.id, [neighbour.id])
    with pytest.raises(RuleViolation) as refused:
        pair.check_pools(hanjiang.office.id, [neighbour.id])
    assert refused.value.rule == "ZONE_OFFICE"


def test_a_zone_refuses_members_that_are_not_the_offices_own() -> None:
    hanjiang = district(2)
    one, two = hanjiang.parts
    for strangers in (
        {"townships": [one.township, one.villages[0]]},
        {"townships": [one.township], "counties": [hanjiang.office]},
    ):
        with pytest.raises(RuleViolation) as refused:
            Zone.define(office=hanjiang.office, name="片区", **strangers)
        assert refused.value.rule == "ZONE_MEMBER"
    other_county = county(city("3702"), "370202")
    with pytest.raises(RuleViolation):
        Zone.define(office=hanjiang.city, name="片区", counties=[hanjiang.office, other_county])
    with pytest.raises(ValidationFailed):
        Zone.define(office=hanjiang.office, name="片区", townships=[one.township])
    with pytest.raises(ValidationFailed):
        Zone.define(office=hanjiang.office, name="片区", townships=[two.township, two.township])
