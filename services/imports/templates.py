"""The import templates as workbooks to download (docs/IMPORT.md): the first sheet holds only
the header row, for the office to fill (an import reads the first sheet); a second sheet,
说明, lists each column — whether it must be filled, the other headers it may carry — and an
example."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from domain.errors import NotFound
from services.imports import inspectors, units
from services.imports.pipeline import Template


@dataclass(frozen=True)
class Kind:
    template: Template
    example: Sequence[Sequence[str]]


KINDS = {
    "units": Kind(
        units.TEMPLATE,
        [
            ("370112001", "王舍人街道", "街道", "", ""),
            ("370112001201", "东八里村", "村", "370112001", "软弱涣散村"),
        ],
    ),
    "inspectors": Kind(
        inspectors.TEMPLATE,
        [
            ("J0001", "张巡察", "370112001201", "2024-01-01", "", "", "", "", ""),
            ("J0001", "", "", "", "", "夫妻", "李某", "村委会主任", "370112001201"),
        ],
    ),
}


def template_workbook(kind: str) -> bytes:
    """The .xlsx template of imports of `kind` (units, inspectors)."""
    found = KINDS.get(kind)
    if found is None:
        raise NotFound(f"No import template {kind!r}; there are: {', '.join(KINDS)}")
    headers, required = found.template.headers, found.template.required
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    sheet = workbook.create_sheet("导入")
    sheet.append(
        [f"{names[0]}*" if field in required else names[0] for field, names in headers.items()]
    )
    notes = workbook.create_sheet("说明")
    notes.append(["列", "必填", "也可用的列名"])
    for field, names in headers.items():
        notes.append([names[0], "是" if field in required else "", " / ".join(names[1:])])
    notes.append([])
    notes.append(["示例（填在第一张表中，标题行之下）"])
    notes.append([names[0] for names in headers.values()])
    for row in found.example:
        notes.append(list(row))
    for each in (sheet, notes):
        for cell in each[1]:
            cell.font = Font(bold=True)
        for column in each.columns:
            each.column_dimensions[column[0].column_letter].width = 18
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
