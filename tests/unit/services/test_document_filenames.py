"""A document's file name (download and console) is its number and title, safe as one file
name whatever a unit is called."""

from __future__ import annotations

from pathlib import Path

from domain.documents.values import DocumentKind
from services.documents.service import filename_of


def test_the_name_is_the_number_and_title_with_the_kinds_extension() -> None:
    name = filename_of("历巡办〔2026〕3号", "关于移交问题线索的函", DocumentKind.CLUE_TRANSFER)
    assert name == "历巡办〔2026〕3号关于移交问题线索的函.docx"


def test_a_unit_name_with_separators_stays_one_file_in_the_folder_it_is_written_to() -> None:
    title = "关于对城建/城管局\\..\\..巡察情况的反馈意见"
    name = filename_of("历巡办〔2026〕4号", title, DocumentKind.FEEDBACK)
    assert Path(name).name == name
    assert not {"/", "\\"} & set(name)
    assert name.endswith("巡察情况的反馈意见.docx")
    assert name.startswith("历巡办〔2026〕4号关于对城建_城管局")
