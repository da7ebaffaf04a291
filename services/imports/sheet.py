"""Reading a units file (xlsx, or CSV in UTF-8 or GBK) into rows keyed by field, with the
column headers of the documented template in Chinese or English (docs/IMPORT.md)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.errors import LimitExceeded, ValidationFailed

MAX_ROWS = 100_000  # rows read after the header, blank ones included
MAX_COLUMNS = 256  # columns further right are not read
# What the parts of an .xlsx (a zip) may unpack to, all together: twice what 100,000 rows of
# the units template take, and a bound on the time spent parsing (openpyxl reads a sheet's XML
# through once just to look for its size). Python's zipfile never inflates a member beyond the
# size the zip's directory declares, so checking the directory is enough.
MAX_XLSX_UNPACKED_BYTES = 64 * 2**20

# field -> accepted headers (compared without spaces, '*' marks and case).
HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("代码", "单位代码", "编码", "统一代码", "code", "unit_code"),
    "name": ("名称", "单位名称", "村名", "村名称", "村(社区)名称", "单位名", "name", "unit_name"),
    "type": ("类型", "单位类型", "type", "unit_type"),
    "township": (
        "所属乡镇",
        "所属乡镇代码",
        "乡镇代码",
        "所属乡镇名称",
        "乡镇",
        "乡镇(街道)",
        "所属街道",
        "township",
        "township_code",
    ),
    "classes": ("分类", "单位分类", "类别", "classes", "class_tags"),
}
REQUIRED = ("code", "name", "type")
# The header each field is reported under (the template's Chinese header).
LABELS = {field: headers[0] for field, headers in HEADERS.items()}


@dataclass(frozen=True)
class RowProblem:
    """Why one cell (or row, or the header) of the file cannot be imported."""

    row: int  # 1 is the header row; data starts at 2, as a spreadsheet numbers them
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass(frozen=True)
class SheetRow:
    number: int
    values: dict[str, str]  # field -> cell text, stripped; only the fields the file has


@dataclass(frozen=True)
class Sheet:
    fields: frozenset[str]  # which of HEADERS the file has columns for
    rows: list[SheetRow]
    titles: dict[str, str] = field(default_factory=dict)  # field -> its header in this file


def _normalise(header: str) -> str:
    return "".join(header.split()).replace("*", "").replace("（", "(").casefold()


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without '.0' (codes typed as numbers), dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value).strip()


def decode_csv(data: bytes) -> str:
    """CSV text from UTF-8 (with or without BOM) or, failing that, GBK (read as GB18030,
    its superset, which Excel and WPS on Chinese Windows write)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationFailed(
            "The CSV file is neither UTF-8 nor GBK; save it as 'CSV UTF-8' and retry",
            field="file",
        ) from None


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    yield from csv.reader(io.StringIO(decode_csv(data), newline=""))


def _check_unpacked_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise ValidationFailed("The file is not a readable .xlsx workbook", field="file") from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise LimitExceeded(
            f"The workbook unpacks to {unpacked // 2**20} MiB, more than the "
            f"{MAX_XLSX_UNPACKED_BYTES // 2**20} MiB a file may hold; split it"
        )


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    _check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationFailed("The file is not a readable .xlsx workbook", field="file") from None
    try:
        sheet = workbook.worksheets[0]
        # The size the file claims for itself would make openpyxl pad every row to it.
        sheet.reset_dimensions()
        # One row past the limit is enough to refuse the file; openpyxl reads no further.
        rows = sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS, values_only=True)
        for row in rows:
            yield list(row)
    finally:
        workbook.close()


def read_sheet(
    filename: str,
    data: bytes,
    headers: dict[str, tuple[str, ...]] = HEADERS,
    required: tuple[str, ...] = REQUIRED,
) -> tuple[Sheet, list[RowProblem]]:
    """The rows of `data` (a .xlsx or .csv named `filename`) and any header problems, for a
    template given as field -> accepted headers (the units template by default)."""
    suffix = filename.lower().rsplit(".", 1)[-1]
    if suffix == "xlsx":
        raw = _xlsx_rows(data)
    elif suffix == "csv":
        raw = _csv_rows(data)
    else:
        raise ValidationFailed(f"{filename}: only .xlsx and .csv files are read", field="file")
    return _rows(raw, headers, required)


def _rows(
    raw: Iterable[list[Any]], headers: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[Sheet, list[RowProblem]]:
    field_of = {_normalise(h): f for f, accepted in headers.items() for h in accepted}
    labels = {field: accepted[0] for field, accepted in headers.items()}
    iterator = iter(raw)
    header = next(iterator, None)
    problems: list[RowProblem] = []
    columns: dict[int, str] = {}
    titles: dict[str, str] = {}
    for index, title in enumerate(header or []):
        text = cell_text(title)
        found = field_of.get(_normalise(text)) if text else None
        if found is None:
            continue  # other columns (备注 …) are the office's own and are left alone
        if found in columns.values():
            problems.append(RowProblem(1, text, f"a second column for {titles[found]}"))
            continue
        columns[index], titles[found] = found, text
    for needed in required:
        if needed not in columns.values():
            accepted = " / ".join(headers[needed])
            problems.append(RowProblem(1, labels[needed], f"missing column (one of {accepted})"))
    rows: list[SheetRow] = []
    for number, cells in enumerate(iterator, start=2):
        if number - 1 > MAX_ROWS:  # blank rows cost reading too
            raise LimitExceeded(f"A file holds at most {MAX_ROWS} rows, blank ones included")
        if _blank(cells):
            continue  # blank lines are common at the end of a sheet
        values = {
            name: cell_text(cells[index]) if index < len(cells) else ""
            for index, name in columns.items()
        }
        rows.append(SheetRow(number, values))
    return Sheet(frozenset(columns.values()), rows, titles), problems


def _blank(cells: list[Any]) -> bool:
    if cells.count(None) + cells.count("") == len(cells):  # the common case, counted in C
        return True
    return not any(cell_text(c) for c in cells)
