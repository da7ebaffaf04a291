"""A spreadsheet costs the server no more than the rows and bytes a file may hold: blank rows
count against the row limit, and a workbook that unpacks to too much is refused unread."""

from __future__ import annotations

import io
import zipfile

import pytest

from domain.errors import ErrorCode, LimitExceeded
from services.imports.sheet import MAX_ROWS, MAX_XLSX_UNPACKED_BYTES, read_sheet
from tests.support.unit_files import HEADER, workbook

SHEET = "xl/worksheets/sheet1.xml"


def header_row() -> str:
    cells = "".join(
        f'<c r="{chr(ord("A") + i)}1" t="inlineStr"><is><t>{title}</t></is></c>'
        for i, title in enumerate(HEADER)
    )
    return f'<row r="1">{cells}</row>'


def with_sheet(rows_xml: str) -> bytes:
    """A real workbook (written by openpyxl) whose first sheet holds `rows_xml`."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{header_row()}{rows_xml}</sheetData></worksheet>"
    )
    return replaced(workbook([]), SHEET, sheet.encode("utf-8"))


def replaced(xlsx: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            data = content if member.filename == name else source.read(member)
            target.writestr(member.filename, data)
    return out.getvalue()


def assert_refused_as_too_large(data: bytes) -> None:
    with pytest.raises(LimitExceeded) as refused:
        read_sheet("units.xlsx", data)
    assert refused.value.code is ErrorCode.LIMIT_EXCEEDED


def test_a_workbook_of_three_million_blank_rows_is_refused() -> None:
    blank = "".join(f'<row r="{n}" spans="1:6"/>' for n in range(2, 3_000_002))
    data = with_sheet(blank)

    assert_refused_as_too_large(data)


def test_a_workbook_whose_rows_jump_far_down_is_refused() -> None:
    far = '<row r="3000000"><c r="A3000000" t="inlineStr"><is><t>X1</t></is></c></row>'

    assert_refused_as_too_large(with_sheet(far))


def test_blank_rows_count_against_the_limit() -> None:
    data = with_sheet("".join(f'<row r="{n}"/>' for n in range(2, MAX_ROWS + 3)))

    assert_refused_as_too_large(data)


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook([]))) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            target.writestr(member.filename, source.read(member))
        with target.open("xl/media/padding.bin", "w", force_zip64=True) as padding:
            chunk = bytes(2**20)
            for _ in range(MAX_XLSX_UNPACKED_BYTES // len(chunk) + 1):
                padding.write(chunk)

    assert len(out.getvalue()) < 2**20  # small as uploaded
    assert_refused_as_too_large(out.getvalue())


def test_a_sheet_with_trailing_blank_rows_and_far_right_cells_reads_as_typed() -> None:
    rows = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>T001</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>第1镇</t></is></c>'
        '<c r="C2" t="inlineStr"><is><t>乡镇</t></is></c>'
        '<c r="XFD2" t="inlineStr"><is><t>far right</t></is></c></row>'
        + "".join(f'<row r="{n}"/>' for n in range(3, 1000))
    )

    sheet, problems = read_sheet("units.xlsx", with_sheet(rows))

    assert problems == []
    assert [(row.number, row.values["code"], row.values["name"]) for row in sheet.rows] == [
        (2, "T001", "第1镇")
    ]
