"""Clues registered in bulk from a spreadsheet the team filled in the field (the template
below): each row becomes one `registerClue` item of a batch submission
(services/submissions/batch.py), so a row is accepted or refused on its own with its reason,
and uploading the same file again registers nothing twice (a row's clientId follows from the
file's content and the row's number)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from openpyxl import Workbook

from domain.clues.values import ClueSource
from domain.labels import LABELS
from domain.tenants.tenant import office_id_of
from domain.tenants.unit import unit_id_for
from services.imports.sheet import RowProblem, read_sheet
from services.submissions.batch import Item

HEADERS: dict[str, tuple[str, ...]] = {
    "unit_code": ("单位代码", "被巡察单位代码", "unit_code"),
    "unit_office": ("单位所属机构代码", "unit_office"),
    "source": ("线索来源", "来源", "source"),
    "category": ("问题类别", "category"),
    "summary": ("问题摘要", "summary"),
    "amount": ("涉及金额", "涉及金额（元）", "amount_involved"),
    "person_role": ("被反映人职务", "person_role"),
    "person_name": ("被反映人姓名", "person_name"),
    "occurred_on": ("文书日期", "occurred_on"),
}
REQUIRED = ("unit_code", "source", "category", "summary")
EXAMPLE = (
    "V001",
    "",
    "来信来访",
    "三资管理",
    "村集体土地流转收入未入账",
    "120000",
    "村党支部书记",
    "张某",
    "2026-09-10",
)
SOURCES = {label: value for value, label in LABELS[ClueSource].items()} | {
    value: value for value in LABELS[ClueSource]
}


@dataclass(frozen=True)
class ClueRows:
    items: list[Item]
    rows: list[int]  # the sheet row of each item
    problems: list[RowProblem]  # rows (or the header) that make no item


def clue_template() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = "线索登记"
    sheet.append([headers[0] for headers in HEADERS.values()])
    sheet.append(list(EXAMPLE))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def clue_items(filename: str, data: bytes, tenant_id: UUID) -> ClueRows:
    """The `registerClue` items of the file, registered by `tenant_id`."""
    sheet, problems = read_sheet(filename, data, HEADERS, REQUIRED)
    if problems:
        return ClueRows([], [], problems)
    digest = hashlib.sha256(data).hexdigest()[:16]
    items, rows = [], []
    for row in sheet.rows:
        given = row.values
        source = SOURCES.get(given["source"])
        if source is None:
            problems.append(RowProblem(row.number, "线索来源", f"unknown source {given['source']}"))
            continue
        items.append(
            Item(f"xlsx-{digest}-{row.number}", "registerClue", _input(given, source, tenant_id))
        )
        rows.append(row.number)
    return ClueRows(items, rows, problems)


def _input(given: dict[str, str], source: str, tenant_id: UUID) -> dict[str, Any]:
    owner = office_id_of(given["unit_office"]) if given.get("unit_office") else tenant_id
    made: dict[str, Any] = {
        "tenantId": str(tenant_id),
        "unitId": str(unit_id_for(owner, given["unit_code"])),
        "source": source,
        "category": given["category"],
        "summary": given["summary"],
    }
    if given.get("amount"):
        made["amountInvolved"] = given["amount"]
    if given.get("occurred_on"):
        made["occurredOn"] = given["occurred_on"]
    if given.get("person_role") or given.get("person_name"):
        made["personsConcerned"] = [
            {"role": given.get("person_role", ""), "name": given.get("person_name", "")}
        ]
    return made
