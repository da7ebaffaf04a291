"""The rectification ledger (整改台账) as an .xlsx: one row per task, under the problem it
answers, with its responsibility line and how it stands. Pure: the bytes depend on the facts
alone. Text cells pass through `neutralised` (services/spreadsheets.py), as every sheet
XunCha writes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from domain.documents.facts import FeedbackFacts
from domain.documents.letters import numeral
from domain.documents.values import chinese_date
from services.documents.packaging import at_midnight, fixed_package
from services.spreadsheets import neutralised_row

SHEET = "整改台账"
HEADERS = (
    "序号",
    "问题类别",
    "存在问题",
    "整改措施",
    "立行立改",
    "责任领导",
    "责任部门",
    "完成时限",
    "整改状态",
    "完成日期",
    "销号日期",
)
WIDTHS = (6, 14, 40, 40, 10, 12, 16, 14, 10, 14, 14)
HEADER_ROW = 3  # after the title and the line naming the document


def ledger_rows(feedback: FeedbackFacts) -> Iterator[list[Any]]:
    """The ledger's rows: 一-1, 一-2, … for the tasks of the first problem, and so on."""
    for n, problem in enumerate(feedback.problems, start=1):
        for m, task in enumerate(problem.tasks, start=1):
            yield [
                f"{numeral(n)}-{m}",
                problem.category,
                problem.text,
                task.measure,
                "是" if task.immediate else "否",
                task.leader or "",
                task.department or "",
                task.due_on,
                task.status,
                task.done_on,
                task.verified_on,
            ]


def xlsx_bytes(feedback: FeedbackFacts, *, issuer: str, number: str, issued_on: date) -> bytes:
    """The ledger of `feedback` as issued by `issuer` under `number` on `issued_on`."""
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = SHEET
    title = f"{feedback.addressee}巡察整改台账"
    sheet.append([title])
    sheet.append([f"{number}　{issuer}　{chinese_date(issued_on)}"])
    sheet.append(list(HEADERS))
    for row in ledger_rows(feedback):
        sheet.append(neutralised_row(row))
    _styled(sheet)
    properties = workbook.properties
    properties.title, properties.subject = title, number
    properties.creator = properties.lastModifiedBy = issuer
    properties.created = properties.modified = at_midnight(issued_on)
    buffer = io.BytesIO()
    # ExcelWriter, not Workbook.save: save stamps the properties with the current time
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return fixed_package(buffer.getvalue(), issued_on)


def _styled(sheet: Any) -> None:
    last = get_column_letter(len(HEADERS))
    sheet.merge_cells(f"A1:{last}1")
    sheet.merge_cells(f"A2:{last}2")
    sheet["A1"].font = Font(name="方正小标宋简体", size=18)
    sheet["A1"].alignment = Alignment(horizontal="center")
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(name="黑体", bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
