"""An inspector's record after registration: a stable id from the staff number, and every
change to name, postings and relations an event that recusal then sees."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import RuleViolation, ValidationFailed
from domain.inspectors.inspector import (
    Inspector,
    Kinship,
    Posting,
    Relation,
    inspector_id_for,
)
from domain.rounds.values import Linkage, TeamRole
from tests.unit.domain.rounds.builders import Jinan, inspector, plan, target


def kinds(wang: Inspector) -> list[str]:
    return [type(e).__name__ for e in wang.collect_events()]


def test_a_staff_number_gives_the_same_id_in_the_same_office_only() -> None:
    jinan = Jinan()
    first = Inspector.register(
        home=jinan.city, name="王巡察", postings=[], relations=[], staff_number="JN0001"
    )
    again = Inspector.register(
        home=jinan.city, name="王巡察", postings=[], relations=[], staff_number=" JN0001 "
    )
    elsewhere = Inspector.register(
        home=jinan.lixia, name="王巡察", postings=[], relations=[], staff_number="JN0001"
    )
    assert first.id == again.id == inspector_id_for(jinan.city.id, "JN0001")
    assert elsewhere.id != first.id
    assert first.staff_number == "JN0001"


def test_without_a_staff_number_each_registration_is_a_new_inspector() -> None:
    jinan = Jinan()
    assert inspector(jinan.city).id != inspector(jinan.city).id
    assert inspector(jinan.city).staff_number is None


def test_bringing_a_record_up_to_date_records_only_the_differences() -> None:
    jinan = Jinan()
    a, b, c = (UUID(int=n) for n in (1, 2, 3))
    wang = Inspector.register(
        home=jinan.city,
        name="王巡察",
        postings=[Posting(a, date(2018, 1, 1)), Posting(b, date(2015, 1, 1), date(2017, 1, 1))],
        relations=[Relation(Kinship.SPOUSE, "李某", "村主任", a)],
        staff_number="JN0001",
    )
    wang.collect_events()

    same = wang.bring_up_to_date(
        name="王巡察",
        postings=[Posting(b, date(2015, 1, 1), date(2017, 1, 1)), Posting(a, date(2018, 1, 1))],
        relations=[Relation(Kinship.SPOUSE, "李某", "村主任", a)],
        reason="imported",
    )
    assert same == 0

    changed = wang.bring_up_to_date(
        name="王新",
        postings=[Posting(a, date(2018, 1, 1), date(2025, 6, 30)), Posting(c, date(2025, 7, 1))],
        relations=[Relation(Kinship.LINEAL, "王父", "村会计", c)],
        reason="imported",
    )
    assert changed == 6
    assert kinds(wang) == [
        "Renamed",
        "PostingEnded",
        "PostingRemoved",
        "PostingAdded",
        "RelationWithdrawn",
        "RelationDeclared",
    ]
    assert wang.name == "王新"
    assert set(wang.postings) == {
        Posting(a, date(2018, 1, 1), date(2025, 6, 30)),
        Posting(c, date(2025, 7, 1)),
    }
    assert wang.relations == [Relation(Kinship.LINEAL, "王父", "村会计", c)]


def test_a_posting_cannot_end_before_it_starts() -> None:
    jinan = Jinan()
    a = UUID(int=1)
    wang = inspector(jinan.city, postings=[Posting(a, date(2020, 1, 1))])
    with pytest.raises(ValidationFailed):
        wang.end_posting(a, date(2020, 1, 1), date(2019, 1, 1), reason="typo")
    assert wang.postings == [Posting(a, date(2020, 1, 1))]


def test_recusal_sees_a_posting_added_after_registration() -> None:
    jinan = Jinan()
    village = target(jinan.lixia)
    round_ = plan(jinan.city, Linkage.ESCALATED, [village], jinan)
    wang = inspector(jinan.city)
    wang.add_posting(Posting(village.unit_id, date(2024, 1, 1)), reason="imported")
    with pytest.raises(RuleViolation) as refused:
        round_.assign_inspector(inspector=wang, home=jinan.city, role=TeamRole.MEMBER)
    assert refused.value.rule == "RECUSAL_POST"

    wang.remove_posting(village.unit_id, date(2024, 1, 1), reason="entered in error")
    round_.assign_inspector(inspector=wang, home=jinan.city, role=TeamRole.MEMBER)


def test_recusal_sees_a_relation_declared_after_registration() -> None:
    jinan = Jinan()
    village = target(jinan.lixia)
    round_ = plan(jinan.city, Linkage.ESCALATED, [village], jinan)
    wang = inspector(jinan.city)
    wang.declare_relation(
        Relation(Kinship.COLLATERAL, "王兄", "村党支部书记", village.unit_id), reason="declared"
    )
    with pytest.raises(RuleViolation) as refused:
        round_.assign_inspector(inspector=wang, home=jinan.city, role=TeamRole.MEMBER)
    assert refused.value.rule == "RECUSAL_KINSHIP"


def test_inspector_registration_is_at_version_2_and_reads_version_1() -> None:
    state: dict[str, object] = {"name": "王巡察", "postings": [], "relations": []}
    Inspector.Registered.upcast_v1_v2(state)
    assert Inspector.Registered.class_version == 2
    assert state["staff_number"] is None
