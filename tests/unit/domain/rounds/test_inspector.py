"""Registering an inspector: home office, postings and declared relations."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import ValidationFailed
from domain.inspectors.inspector import Inspector, Kinship, Posting, Relation
from tests.unit.domain.factories import city, county


def test_an_inspector_keeps_home_office_postings_and_relations() -> None:
    lixia = county(city())
    unit_id = uuid4()
    wang = Inspector.register(
        home=lixia,
        name=" 王巡察 ",
        postings=[Posting(unit_id, date(2021, 1, 1))],
        relations=[Relation(Kinship.LINEAL, "王某", "村委会主任", unit_id)],
    )
    assert (wang.name, wang.home_tenant_id) == ("王巡察", lixia.id)
    assert wang.postings[0].held_since(date(2026, 1, 1))
    assert wang.relations[0].kinship is Kinship.LINEAL
    (registered,) = wang.collect_events()
    assert registered.tenant_id == lixia.id  # type: ignore[attr-defined]


def test_a_posting_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationFailed) as refused:
        Posting(uuid4(), date(2024, 1, 1), date(2023, 1, 1))
    assert refused.value.details["field"] == "postings"


def test_a_relation_names_the_person_and_their_position() -> None:
    with pytest.raises(ValidationFailed) as refused:
        Relation(Kinship.SPOUSE, " ", "村党支部书记", uuid4())
    assert refused.value.details["field"] == "relations.person"
