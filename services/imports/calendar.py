"""A year's official schedule of holidays and adjusted working weekends (调休), read from the
file an office keeps it in: JSON or CSV (docs/CALENDAR.md).

JSON: {"year": 2027, "holidays": ["2027-01-01", …], "workingWeekends": ["2027-02-07", …],
"source": "国办发明电〔2026〕…号"}.
CSV (UTF-8, with or without BOM): a header naming the date column (`date` or `日期`) and the
kind column (`kind` or `类型`), then one row per day: `HOLIDAY` (or 放假, 休, 节假日) for a
weekday off, `WORKDAY` (or 上班, 班, 补班, 调休上班) for a weekend day worked. The year is the one
all dates share."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

from domain.calendar.work_calendar import YearSchedule
from domain.errors import ValidationFailed

HOLIDAY, WORKDAY = "HOLIDAY", "WORKDAY"
KINDS = {
    HOLIDAY: HOLIDAY,
    "放假": HOLIDAY,
    "休": HOLIDAY,
    "节假日": HOLIDAY,
    "假日": HOLIDAY,
    WORKDAY: WORKDAY,
    "上班": WORKDAY,
    "班": WORKDAY,
    "补班": WORKDAY,
    "调休上班": WORKDAY,
}
DATE_HEADERS = ("date", "日期")
KIND_HEADERS = ("kind", "类型")


def read_schedule(path: Path) -> tuple[YearSchedule, str]:
    """The schedule a JSON or CSV file holds, and where it says it comes from."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        return _from_json(text, path.name)
    return _from_csv(text), path.name


def _from_json(text: str, name: str) -> tuple[YearSchedule, str]:
    try:
        data = json.loads(text)
        year = int(data["year"])
    except (ValueError, KeyError, TypeError):
        raise ValidationFailed(
            'The JSON file must be an object with "year", "holidays" and "workingWeekends"',
            field="year",
        ) from None
    schedule = YearSchedule(
        year=year,
        holidays=_dates(data.get("holidays"), "holidays"),
        working_weekends=_dates(data.get("workingWeekends"), "workingWeekends"),
    )
    return schedule, str(data.get("source") or name)


def _from_csv(text: str) -> YearSchedule:
    reader = csv.DictReader(text.splitlines())
    headers = [h.strip() for h in reader.fieldnames or []]
    date_column, kind_column = _column(headers, DATE_HEADERS), _column(headers, KIND_HEADERS)
    days: dict[str, list[str]] = {HOLIDAY: [], WORKDAY: []}
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        kind = KINDS.get(row.get(kind_column, "").upper())
        if kind is None:
            raise ValidationFailed(
                f"row {line}: kind {row.get(kind_column, '')!r} is none of {', '.join(KINDS)}",
                field=kind_column,
            )
        days[kind].append(row.get(date_column, ""))
    holidays = _dates(days[HOLIDAY], date_column)
    working = _dates(days[WORKDAY], date_column)
    years = {d.year for d in holidays | working}
    if len(years) != 1:
        raise ValidationFailed("A CSV file holds the days of exactly one year", field=date_column)
    return YearSchedule(years.pop(), holidays, working)


def _column(headers: list[str], names: tuple[str, ...]) -> str:
    found = next((h for h in headers if h.lower() in names), None)
    if found is None:
        raise ValidationFailed(
            f"The CSV header must name a column {' or '.join(names)}; it has: "
            f"{', '.join(headers) or 'no header'}",
            field=names[0],
        )
    return found


def _dates(values: Any, field: str) -> frozenset[date]:
    if values is not None and not isinstance(values, list):
        raise ValidationFailed(f"{field} must be a list of YYYY-MM-DD dates", field=field)
    try:
        return frozenset(date.fromisoformat(str(v)) for v in values or [])
    except ValueError as error:
        raise ValidationFailed(f"{field}: {error}; dates are YYYY-MM-DD", field=field) from None
