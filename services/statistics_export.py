"""The figures of 整改与统计 as a spreadsheet: one row per office and, below, per office and
category, with Chinese headers; rates as percentages (empty where DOMAIN.md leaves a rate
undefined, its denominator being 0); text neutralised against formulas."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from services.spreadsheets import neutralised_row

COLUMNS = (  # the statistics field, its header
    ("problemsFound", "发现问题"),
    ("tasksDue", "整改任务"),
    ("tasksVerified", "已销号"),
    ("rectificationRate", "整改完成率"),
    ("cluesTransferred", "移交线索"),
    ("cluesConcluded", "办结线索"),
    ("transferCompletionRate", "移交办结率"),
    ("fundsRecovered", "挽回经济损失（元）"),
    ("satisfactionRate", "群众满意率"),
)
FIGURES = [name for name, _ in COLUMNS]
RATES = {"rectificationRate", "transferCompletionRate", "satisfactionRate"}
Figures = Mapping[str, Any]


def statistics_xlsx(offices: Sequence[tuple[str, Mapping[str, Any]]]) -> bytes:
    """`offices`: each office's name and its `statistics` answer (total, byCategory)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = "整改与统计"
    sheet.append(["巡察机构", "问题类别", *(title for _, title in COLUMNS)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for name, statistics in offices:
        sheet.append(_row(name, "合计", statistics["total"]))
    for name, statistics in offices:
        for category in statistics["byCategory"]:
            sheet.append(_row(name, category["category"], category["figures"]))
    for row in sheet.iter_rows(min_row=2):
        for cell, (field, _) in zip(row[2:], COLUMNS, strict=True):
            if field in RATES:
                cell.number_format = "0.0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(office: str, category: str, figures: Figures) -> list[Any]:
    values = [_value(field, figures.get(field)) for field, _ in COLUMNS]
    return neutralised_row([office, category, *values])


def _value(field: str, value: Any) -> Any:
    if value is None:
        return None
    return Decimal(str(value)) if field == "fundsRecovered" else value
