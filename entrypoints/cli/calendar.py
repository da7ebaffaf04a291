"""`xuncha calendar load FILE`: record a year's official schedule of holidays and adjusted
working weekends (调休), as published in the State Council's notice, from JSON or CSV.

JSON: {"year": 2027, "holidays": ["2027-01-01", …], "workingWeekends": ["2027-02-06", …],
"source": "国办发明电〔2026〕…号"}. CSV: a header `date,kind` and one row per day, kind
`HOLIDAY` or `WORKDAY` (a working weekend day); the year is the one all dates share."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from domain.calendar.work_calendar import YearSchedule
from domain.errors import ValidationFailed, XunChaError
from infrastructure.settings import Settings
from services.authorization import CONSOLE
from services.runtime import running

app = typer.Typer(help="The official working calendar.", no_args_is_help=True)


def _dates(values: Any, field: str) -> frozenset[date]:
    try:
        return frozenset(date.fromisoformat(str(v)) for v in values or [])
    except (TypeError, ValueError):
        raise ValidationFailed(f"{field} must be a list of YYYY-MM-DD dates", field=field) from None


def read_schedule(path: Path) -> tuple[YearSchedule, str]:
    """The schedule a JSON or CSV file holds, and where it says it comes from."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        schedule = YearSchedule(
            year=int(data["year"]),
            holidays=_dates(data.get("holidays"), "holidays"),
            working_weekends=_dates(data.get("workingWeekends"), "workingWeekends"),
        )
        return schedule, str(data.get("source") or path.name)
    rows = list(csv.DictReader(text.splitlines()))
    kinds: dict[str, list[str]] = {"HOLIDAY": [], "WORKDAY": []}
    for row in rows:
        kind = (row.get("kind") or "").strip().upper()
        if kind not in kinds:
            raise ValidationFailed(f"kind {kind!r} is neither HOLIDAY nor WORKDAY", field="kind")
        kinds[kind].append((row.get("date") or "").strip())
    holidays = _dates(kinds["HOLIDAY"], "date")
    working = _dates(kinds["WORKDAY"], "date")
    years = {d.year for d in holidays | working}
    if len(years) != 1:
        raise ValidationFailed("A CSV file holds the days of exactly one year", field="date")
    return YearSchedule(years.pop(), holidays, working), path.name


@app.command("load")
def load(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSON or CSV file.")],
    source: Annotated[str | None, typer.Option(help="The notice it comes from.")] = None,
) -> None:
    """Load (or revise) one year's official schedule; provisional due dates in it are recounted."""
    try:
        schedule, named_source = read_schedule(file)
    except (XunChaError, KeyError, ValueError) as error:
        typer.echo(f"Cannot read {file}: {error}", err=True)
        raise typer.Exit(2) from None
    with running(Settings(), feed=False) as runtime:
        try:
            written = runtime.calendar.load_year(
                schedule, source=source or named_source, acting=CONSOLE
            )
        except XunChaError as error:
            typer.echo(f"Refused: {error.message}", err=True)
            raise typer.Exit(1) from None
    typer.echo(
        f"Loaded the calendar of {schedule.year}: {len(schedule.holidays)} holidays, "
        f"{len(schedule.working_weekends)} working weekend days (position {written.position})"
    )
