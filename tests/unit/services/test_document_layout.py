"""The documents as files: a letter laid out after GB/T 9704 (read back with python-docx),
the rectification ledger as a sheet (read back with openpyxl), and the same facts always
giving the same bytes."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from docx.shared import Length, RGBColor

from domain.clues.values import SupervisionStep
from domain.documents.facts import ClueFacts, FeedbackFacts, ProblemLine, TaskLine
from domain.documents.letters import Letter, letter_of
from domain.documents.values import DocumentKind
from services.documents.layout import docx_bytes
from services.documents.ledger import HEADER_ROW, HEADERS, SHEET, xlsx_bytes

ISSUED_ON = date(2026, 11, 29)
NUMBER = "济巡办〔2026〕12号"
ISSUER = "济南市委巡察办"

FEEDBACK = FeedbackFacts(
    feedback_id=UUID(int=1),
    organiser=ISSUER,
    round_title="2026年第一轮巡察",
    round_kind="常规巡察",
    period_start=date(2026, 3, 2),
    period_end=date(2026, 4, 30),
    addressee="东八里村",
    level="UNIT",
    given_on=date(2026, 6, 1),
    report="巡察组听取了工作汇报。",
    report_due_on=date(2026, 8, 1),
    problems=[
        ProblemLine(
            category="三资管理",
            text="土地流转收入未入账",
            tasks=[
                TaskLine(
                    measure="=追缴流转收入并入账",  # text a spreadsheet would run as a formula
                    immediate=False,
                    leader="王书记",
                    department="村委会",
                    due_on=date(2026, 7, 31),
                    status="已销号",
                    done_on=date(2026, 7, 20),
                    verified_on=date(2026, 7, 25),
                )
            ],
        )
    ],
)
CLUE = ClueFacts(
    clue_id=UUID(int=2),
    registrar="历下区委巡察办",
    unit="东八里村",
    round_title="2026年第一轮巡察",
    source="来信来访",
    category="三资管理",
    summary="村委会主任违规发包集体土地",
    persons=[("村委会主任", "李某")],
    amount_involved=Decimal("120000"),
    handling_body="纪委监委",
    receiver="历下区委巡察办",
    transferred_on=date(2026, 10, 9),
    due_on=date(2026, 12, 10),
    steps={SupervisionStep.SUPERVISION_NOTICE: date(2026, 11, 20)},
)


def _letter(kind: DocumentKind = DocumentKind.FEEDBACK) -> Letter:
    subject = CLUE if kind is DocumentKind.CLUE_TRANSFER else FEEDBACK
    return letter_of(kind, subject, issuer=ISSUER, number=NUMBER, issued_on=ISSUED_ON)


def _opened(letter: Letter) -> docx.document.Document:
    return docx.Document(io.BytesIO(docx_bytes(letter)))


def _font_of(run: Any) -> str | None:
    """The font a run names for Chinese text (w:eastAsia)."""
    return cast(str | None, run._element.rPr.rFonts.get(qn("w:eastAsia")))


def _mm(length: Length | None) -> int:
    assert length is not None
    return round(length.mm)  # stored in twips: not exactly a whole millimetre


def test_the_header_is_the_issuing_office_in_red_over_the_number_and_a_red_line() -> None:
    document = _opened(_letter())
    mark, number = document.paragraphs[0], document.paragraphs[1]

    assert mark.text == ISSUER
    assert mark.runs[0].font.color.rgb == RGBColor(0xFF, 0x00, 0x00)
    assert _font_of(mark.runs[0]) == "方正小标宋简体"
    assert number.text == NUMBER
    properties: Any = number._p.pPr
    rule = properties.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    assert rule.get(qn("w:val")) == "single"


def test_title_recipient_body_office_and_chinese_date_follow_in_order() -> None:
    document = _opened(_letter(DocumentKind.CLUE_TRANSFER))
    texts = [p.text for p in document.paragraphs]

    assert texts[2] == "关于移交问题线索的函"
    assert texts[3] == "历下区纪委监委："
    assert any("村委会主任违规发包集体土地" in t for t in texts[4:-2])
    assert any("2026年12月10日前办结" in t for t in texts[4:-2])
    assert texts[-2:] == [ISSUER, "2026年11月29日"]
    assert _font_of(document.paragraphs[4].runs[0]) == "仿宋_GB2312"


def test_the_page_is_a4_with_the_standard_margins() -> None:
    section = _opened(_letter()).sections[0]

    sizes = (section.page_width, section.page_height)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [_mm(length) for length in sizes] == [210, 297]
    assert [_mm(length) for length in margins] == [37, 35, 28, 26]


def test_pages_are_numbered_between_dashes_in_the_footer() -> None:
    footer: Any = _opened(_letter()).sections[0].footer.paragraphs[0]._p

    (number,) = footer.findall(qn("w:fldSimple"))
    assert number.get(qn("w:instr")) == "PAGE"
    assert "".join(t.text for t in footer.iter(qn("w:t"))) == "— 1 —"


def test_the_same_letter_gives_the_same_bytes_dated_by_the_letter() -> None:
    first, second = docx_bytes(_letter()), docx_bytes(_letter())

    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    entries = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert {e.date_time for e in entries} == {(2026, 11, 29, 0, 0, 0)}
    properties = docx.Document(io.BytesIO(first)).core_properties
    assert properties.created == properties.modified == datetime(2026, 11, 29, tzinfo=UTC)
    assert (properties.title, properties.subject, properties.author) == (
        "关于对东八里村巡察情况的反馈意见",
        NUMBER,
        ISSUER,
    )


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        (DocumentKind.FEEDBACK, "关于对东八里村巡察情况的反馈意见"),
        (DocumentKind.RECTIFICATION_REPORT, "东八里村关于巡察反馈意见整改情况的报告（模板）"),
    ],
)
def test_feedback_documents_address_the_units_party_organisation(
    kind: DocumentKind, title: str
) -> None:
    texts = [p.text for p in _opened(_letter(kind)).paragraphs]

    assert texts[2:4] == [title, "东八里村党组织："]
    assert any("土地流转收入未入账" in t for t in texts)
    assert any("2026年8月1日前" in t for t in texts)


def test_a_county_committee_is_addressed_as_the_party_committee() -> None:
    county = replace(FEEDBACK, addressee="历下区委", level="COUNTY_COMMITTEE")
    letter = letter_of(
        DocumentKind.FEEDBACK, county, issuer=ISSUER, number=NUMBER, issued_on=ISSUED_ON
    )

    assert (letter.title, letter.recipient) == (
        "关于对历下区委巡察情况的反馈意见",
        "中共历下区委员会",
    )


def test_the_ledger_lists_each_task_under_its_problem_with_its_state() -> None:
    data = xlsx_bytes(FEEDBACK, issuer=ISSUER, number=NUMBER, issued_on=ISSUED_ON)
    sheet = openpyxl.load_workbook(io.BytesIO(data))[SHEET]
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0][0] == "东八里村巡察整改台账"
    assert rows[1][0] == f"{NUMBER}　{ISSUER}　2026年11月29日"
    assert rows[HEADER_ROW - 1] == HEADERS
    (task,) = rows[HEADER_ROW:]
    assert task[:8] == (
        "一-1",
        "三资管理",
        "土地流转收入未入账",
        "'=追缴流转收入并入账",  # shown as text, never run
        "否",
        "王书记",
        "村委会",
        datetime(2026, 7, 31),
    )
    assert task[8:] == ("已销号", datetime(2026, 7, 20), datetime(2026, 7, 25))


def test_the_same_ledger_gives_the_same_bytes() -> None:
    made = {xlsx_bytes(FEEDBACK, issuer=ISSUER, number=NUMBER, issued_on=ISSUED_ON) for _ in "ab"}

    assert len(made) == 1
    properties = openpyxl.load_workbook(io.BytesIO(made.pop())).properties
    assert properties.modified == datetime(2026, 11, 29)


def test_an_interview_notice_sets_the_warnings_final_date() -> None:
    warned = replace(CLUE, warning_final_date=date(2026, 12, 20))
    notice = letter_of(
        DocumentKind.INTERVIEW_NOTICE, warned, issuer=ISSUER, number=NUMBER, issued_on=ISSUED_ON
    )

    assert "请于2026年12月20日前办结，并就逾期原因" in "".join(p.text for p in notice.body)


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        (DocumentKind.SUPERVISION_LETTER, "加快办理进度"),
        (DocumentKind.REMINDER_LETTER, "特此提醒"),
        (DocumentKind.INTERVIEW_NOTICE, "约谈你单位主要负责同志。请抓紧办结，并就逾期原因"),
    ],
)
def test_each_ladder_letter_names_the_clue_its_transfer_and_due_date(
    kind: DocumentKind, says: str
) -> None:
    letter = letter_of(kind, CLUE, issuer=ISSUER, number=NUMBER, issued_on=ISSUED_ON)
    texts = [p.text for p in _opened(letter).paragraphs]

    assert texts[3] == "历下区纪委监委："
    body = "".join(texts[4:-2])
    assert says in body
    assert "2026年10月9日移交" in body
    assert "村委会主任违规发包集体土地" in body
    assert "李某" not in body  # the persons concerned are named in the transfer letter only
