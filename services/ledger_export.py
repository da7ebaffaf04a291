"""The clue ledger as a spreadsheet, as offices keep it: Chinese headers, enum values as their
Chinese labels, dates as offices write them (2026年9月8日; in .xlsx real dates shown that way),
and every text cell neutralised against formulas (services/spreadsheets.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from domain.clues.values import ClueSource, ClueStatus, HandlingBody, PriorityClass, SupervisionStep
from domain.labels import LABELS
from services.spreadsheets import neutralised_row

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
Cell = Callable[[Mapping[str, Any]], Any]


def _label(enum: type[Any], key: str) -> Cell:
    return lambda row: LABELS[enum].get(row.get(key) or "", row.get(key) or "")


def _day(key: str) -> Cell:
    return lambda row: date.fromisoformat(row[key]) if row.get(key) else None


def _amount(key: str) -> Cell:
    return lambda row: Decimal(row[key]) if row.get(key) not in (None, "") else None


def _text(*path: str) -> Cell:
    def cell(row: Mapping[str, Any]) -> Any:
        value: Any = row
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        return value if value is not None else ""

    return cell


COLUMNS: tuple[tuple[str, Cell], ...] = (
    ("登记日期", lambda row: date.fromisoformat(row["registeredAt"][:10])),
    ("巡察机构", _text("tenant", "name")),
    ("被巡察单位", _text("unit", "name")),
    ("线索来源", _label(ClueSource, "source")),
    ("问题类别", _text("category")),
    ("问题摘要", _text("summary")),
    ("涉及金额（元）", _amount("amountInvolved")),
    ("办理状态", _label(ClueStatus, "status")),
    ("优先级", _label(PriorityClass, "priority")),
    ("承办机关", _label(HandlingBody, "handlingBody")),
    ("移交日期", _day("transferredOn")),
    ("办结期限", _day("dueDate")),
    ("是否超期", lambda row: "是" if row.get("overdue") else "否"),
    ("督办环节", _label(SupervisionStep, "supervisionStep")),
    ("挽回经济损失（元）", _amount("fundsRecovered")),
)
HEADERS = [title for title, _ in COLUMNS]


def written_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def ledger_rows(nodes: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """The ledger's rows as cells, text neutralised."""
    return [neutralised_row(cell(node) for _, cell in COLUMNS) for node in nodes]


def ledger_xlsx(nodes: Sequence[Mapping[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = "线索台账"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in ledger_rows(nodes):
        sheet.append(row)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ledger_csv(nodes: Sequence[Mapping[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark, which Excel and WPS need to read Chinese CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in ledger_rows(nodes):
        writer.writerow(
            [f"{v.year}年{v.month}月{v.day}日" if isinstance(v, date) else v for v in row]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
