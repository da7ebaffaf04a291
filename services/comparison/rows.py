"""A dataset file's rows: read (.xlsx, .csv in UTF-8 or GBK, Parquet) with the kind's column
headers (Chinese or English) and the office's own mapping, validated cell by cell (identity
numbers per GB 11643, dates, amounts), and, when every row is valid, turned into the stored
columns: personal identifiers as keyed hash, masked text and ciphertext.

Nothing here logs a cell: a problem names its row and column and why, never the value."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from domain.comparison.identity import (
    id_number_problem,
    masked_id_number,
    masked_name,
    normal_id_number,
)
from domain.comparison.values import SCHEMAS, DatasetField, DatasetKind, FieldType
from domain.errors import ValidationFailed
from infrastructure.comparison.keys import Sealer
from services.imports.sheet import RowProblem, SheetRow, cell_text, read_sheet

MAX_PROBLEMS = 200  # a report longer than this helps nobody; the count says how many more
AMOUNT_LIMIT = Decimal("1e12")
Value = str | date | Decimal | None


@dataclass(frozen=True)
class ValidRows:
    kind: DatasetKind
    rows: list[dict[str, Value]]

    @property
    def content_sha256(self) -> str:
        """SHA-256 of the normalised rows (one JSON array per row, fields in schema order)."""
        digest = hashlib.sha256()
        names = [f.name for f in SCHEMAS[self.kind]]
        for row in self.rows:
            line = [None if row[n] is None else str(row[n]) for n in names]
            digest.update(json.dumps(line, ensure_ascii=False).encode() + b"\n")
        return digest.hexdigest()


def headers_of(kind: DatasetKind, mapping: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Field -> accepted headers: the kind's own, and the office's mapping (header -> field)."""
    fields = {f.name: f for f in SCHEMAS[kind]}
    unknown = sorted(set(mapping.values()) - fields.keys())
    if unknown:
        raise ValidationFailed(
            f"The column mapping names fields a {kind} dataset does not have: "
            f"{', '.join(unknown)} (it has {', '.join(fields)})",
            field="mapping",
        )
    extra = {name: tuple(h for h, f in mapping.items() if f == name) for name in fields}
    return {name: (*extra[name], *f.headers) for name, f in fields.items()}


def read_rows(
    kind: DatasetKind, filename: str, data: bytes, mapping: Mapping[str, str]
) -> tuple[list[SheetRow], list[RowProblem]]:
    headers = headers_of(kind, mapping)
    required = tuple(f.name for f in SCHEMAS[kind] if f.required)
    if filename.lower().endswith(".parquet"):
        return _parquet_rows(data, headers, required)
    sheet, problems = read_sheet(filename, data, headers, required)
    return sheet.rows, problems


def _parquet_rows(
    data: bytes, headers: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[list[SheetRow], list[RowProblem]]:
    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError):
        raise ValidationFailed("The file is not a readable Parquet file", field="file") from None
    field_of = {h.casefold(): name for name, accepted in headers.items() for h in accepted}
    found = {field_of[c.casefold()]: c for c in table.column_names if c.casefold() in field_of}
    problems = [
        RowProblem(1, headers[name][0], "missing column") for name in required if name not in found
    ]
    columns = {name: table.column(column).to_pylist() for name, column in found.items()}
    rows = [
        SheetRow(index + 2, {name: cell_text(values[index]) for name, values in columns.items()})
        for index in range(table.num_rows)
    ]
    return rows, problems


def validated(kind: DatasetKind, rows: Iterable[SheetRow], problems: list[RowProblem]) -> ValidRows:
    """Every row typed and checked; VALIDATION_FAILED with the per-row report (`problems`,
    the first MAX_PROBLEMS, and `problemCount`) when any cell is wrong: all or nothing."""
    fields = SCHEMAS[kind]
    typed: list[dict[str, Value]] = []
    for row in rows:
        values: dict[str, Value] = {}
        for field in fields:
            value, problem = _typed(field, row.values.get(field.name, ""))
            if problem:
                problems.append(RowProblem(row.number, field.headers[0], problem))
            values[field.name] = value
        typed.append(values)
    if not typed and not problems:
        problems.append(RowProblem(2, "", "the file holds no rows"))
    if problems:
        raise ValidationFailed(
            f"The file was not registered: {len(problems)} problems (nothing was stored)",
            field="file",
            problems=[p.as_dict() for p in problems[:MAX_PROBLEMS]],
            problemCount=len(problems),
        )
    return ValidRows(kind, typed)


def _typed(field: DatasetField, text: str) -> tuple[Value, str | None]:
    if not text:
        return None, "required" if field.required else None
    if field.type == FieldType.ID_NUMBER:
        number = normal_id_number(text)
        return number, id_number_problem(number)
    if field.type == FieldType.DATE:
        try:
            return date.fromisoformat(text.replace("/", "-")[:10]), None
        except ValueError:
            return None, "not a date (YYYY-MM-DD)"
    if field.type == FieldType.AMOUNT:
        return _amount(text)
    return text, None if len(text) <= 200 else "longer than 200 characters"


def _amount(text: str) -> tuple[Value, str | None]:
    try:
        amount = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None, "not an amount"
    if not amount.is_finite() or abs(amount) >= AMOUNT_LIMIT:
        return None, "not an amount"
    if amount != amount.quantize(Decimal("0.01")):
        return None, "an amount has at most two decimals (fen)"
    return amount.quantize(Decimal("0.01")), None


def stored_table(valid: ValidRows, sealer: Sealer) -> pa.Table:
    """The rows as stored: personal fields as keyed hash, masked text and ciphertext."""
    columns: dict[str, pa.Array] = {}
    for field in SCHEMAS[valid.kind]:
        values = [row[field.name] for row in valid.rows]
        if field.type.personal:
            texts = [None if v is None else str(v) for v in values]
            mask = masked_id_number if field.type == FieldType.ID_NUMBER else masked_name
            columns[f"{field.name}_key"] = _strings(texts, sealer.keyed)
            columns[f"{field.name}_masked"] = _strings(texts, mask)
            columns[f"{field.name}_sealed"] = _strings(texts, sealer.sealed)
        else:
            columns[field.name] = pa.array(values, type=ARROW_TYPES[field.type])
    return pa.table(columns)


def _strings(values: list[str | None], made: Any) -> pa.Array:
    return pa.array([None if v is None else made(v) for v in values], type=pa.string())


ARROW_TYPES = {
    FieldType.TEXT: pa.string(),
    FieldType.DATE: pa.date32(),
    FieldType.AMOUNT: pa.decimal128(18, 2),
}


def schema_of(kind: DatasetKind) -> list[dict[str, str]]:
    """The stored columns and their types, as the registration event records them."""
    out: list[dict[str, str]] = []
    for field in SCHEMAS[kind]:
        types = ("string",) * 3 if field.type.personal else (str(ARROW_TYPES[field.type]),)
        out.extend(
            {"name": column, "type": type_}
            for column, type_ in zip(field.columns, types, strict=True)
        )
    return out
