"""Value types of the documents context: the kinds of document an office issues (DOMAIN.md,
"Documents offices send"), what each is about, and how a document is numbered and dated."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from domain.clues.values import SupervisionStep

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DocumentKind(StrEnum):
    """The kind of an official document (公文种类), and what it is made from."""

    FEEDBACK = "FEEDBACK"  # 巡察反馈意见, to the inspected unit's Party organisation
    CLUE_TRANSFER = "CLUE_TRANSFER"  # 问题线索移交函
    SUPERVISION_LETTER = "SUPERVISION_LETTER"  # 督办函 (ladder step SUPERVISION_NOTICE)
    REMINDER_LETTER = "REMINDER_LETTER"  # 提醒函 (ladder step REMINDER)
    INTERVIEW_NOTICE = "INTERVIEW_NOTICE"  # 约谈通知 (ladder step WARNING, 告诫约谈)
    RECTIFICATION_LEDGER = "RECTIFICATION_LEDGER"  # 整改台账 (.xlsx)
    RECTIFICATION_REPORT = "RECTIFICATION_REPORT"  # 整改情况报告 (the template to fill in)

    @property
    def subject(self) -> SubjectKind:
        if self is DocumentKind.CLUE_TRANSFER or self in LADDER_STEP:
            return SubjectKind.CLUE
        return SubjectKind.FEEDBACK

    @property
    def media_type(self) -> str:
        return XLSX if self is DocumentKind.RECTIFICATION_LEDGER else DOCX

    @property
    def extension(self) -> str:
        return "xlsx" if self is DocumentKind.RECTIFICATION_LEDGER else "docx"


class SubjectKind(StrEnum):
    """What a document is about: a clue, or a feedback (one round's feedback to one unit)."""

    CLUE = "CLUE"
    FEEDBACK = "FEEDBACK"


# The supervision ladder's step each letter of it belongs to: a letter is issued only for a
# step the clue has reached.
LADDER_STEP: dict[DocumentKind, SupervisionStep] = {
    DocumentKind.SUPERVISION_LETTER: SupervisionStep.SUPERVISION_NOTICE,
    DocumentKind.REMINDER_LETTER: SupervisionStep.REMINDER,
    DocumentKind.INTERVIEW_NOTICE: SupervisionStep.WARNING,
}

# Suffixes of an office's name that follow its place name (济南市委巡察办 → 济南市).
_OFFICE_SUFFIXES = ("委巡察工作领导小组办公室", "委巡察办公室", "委巡察机构", "委巡察办", "巡察办")


def place_of(office_name: str) -> str:
    """The place an office's name begins with (历下区委巡察办 → 历下区), or the whole name."""
    for suffix in _OFFICE_SUFFIXES:
        if office_name.endswith(suffix) and len(office_name) > len(suffix):
            return office_name[: -len(suffix)]
    return office_name


def issuer_code(office_name: str) -> str:
    """The issuing office's code in its document numbers (机关代字): the first character of
    its place and 巡办, as offices abbreviate (济南市委巡察办 → 济巡办)."""
    return f"{place_of(office_name)[:1]}巡办"


def document_number(office_name: str, year: int, serial: int) -> str:
    """The document number (发文字号) after GB/T 9704: code, year in 〔〕, serial, 号 —
    济巡办〔2026〕12号."""
    return f"{issuer_code(office_name)}〔{year}〕{serial}号"


def chinese_date(day: date) -> str:
    """A date as a document writes it (成文日期): 2026年11月29日, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"
