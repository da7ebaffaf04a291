"""The documents context's pure rules: numbers after GB/T 9704, Chinese dates and ordinals,
and the register that numbers an office's documents of a year."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.documents.letters import numeral
from domain.documents.register import DocumentRegister, Issue
from domain.documents.values import (
    DocumentKind,
    SubjectKind,
    chinese_date,
    document_number,
    place_of,
)
from domain.errors import RuleViolation

OFFICE = UUID(int=7)
SHA = "0" * 64


def _issue(on: date) -> Issue:
    return Issue(DocumentKind.FEEDBACK, UUID(int=9), "东八里村党组织", "反馈意见", on)


def test_a_number_is_the_office_code_the_year_in_brackets_and_the_serial() -> None:
    assert document_number("济南市委巡察办", 2026, 12) == "济巡办〔2026〕12号"
    assert document_number("汉江区委巡察办", 2026, 1) == "汉巡办〔2026〕1号"
    assert place_of("历下区委巡察办") == "历下区"


def test_dates_and_ordinals_are_written_the_chinese_way() -> None:
    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"
    assert [numeral(n) for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
    assert [numeral(n) for n in (100, 105, 110, 1000, 1001)] == [
        "一百",
        "一百零五",
        "一百一十",
        "一千",
        "一千零一",
    ]


def test_each_kind_is_about_a_clue_or_a_feedback() -> None:
    clue_kinds = {k for k in DocumentKind if k.subject is SubjectKind.CLUE}
    assert clue_kinds == {
        DocumentKind.CLUE_TRANSFER,
        DocumentKind.SUPERVISION_LETTER,
        DocumentKind.REMINDER_LETTER,
        DocumentKind.INTERVIEW_NOTICE,
    }
    assert DocumentKind.RECTIFICATION_LEDGER.extension == "xlsx"


def test_the_register_numbers_documents_one_after_another() -> None:
    register = DocumentRegister.open(office_id=OFFICE, office_name="济南市委巡察办", year=2026)
    first = register.issue(_issue(date(2026, 3, 1)), sha256=SHA, size=10)
    second = register.issue(_issue(date(2026, 3, 1)), sha256=SHA, size=10)

    assert (first.serial, second.serial) == (1, 2)
    assert second.number == "济巡办〔2026〕2号"
    assert first.document_id != second.document_id
    assert register.id == DocumentRegister.create_id(OFFICE, 2026)


def test_a_document_dated_before_the_previous_one_is_refused() -> None:
    register = DocumentRegister.open(office_id=OFFICE, office_name="济南市委巡察办", year=2026)
    register.issue(_issue(date(2026, 3, 2)), sha256=SHA, size=10)

    with pytest.raises(RuleViolation) as refused:
        register.issue(_issue(date(2026, 3, 1)), sha256=SHA, size=10)
    assert refused.value.rule == "DOCUMENT_DATE_BEFORE_PREVIOUS"
    assert len(register.issued) == 1


def test_a_document_of_another_year_is_not_numbered_in_this_register() -> None:
    register = DocumentRegister.open(office_id=OFFICE, office_name="济南市委巡察办", year=2026)

    with pytest.raises(RuleViolation) as refused:
        register.number_for(date(2027, 1, 4))
    assert refused.value.rule == "DOCUMENT_YEAR"
