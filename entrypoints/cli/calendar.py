"""`xuncha calendar load FILE`: record a year's official schedule of holidays and adjusted
working weekends (调休), as published in the State Council's notice, from JSON or CSV (the
formats: docs/CALENDAR.md, services/imports/calendar.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from domain.errors import XunChaError
from infrastructure.settings import Settings
from services.authorization import CONSOLE
from services.imports.calendar import read_schedule
from services.runtime import running

app = typer.Typer(help="The official working calendar.", no_args_is_help=True)


@app.command("load")
def load(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            help="JSON, or CSV with a header `date,kind` (or `日期,类型`) and one row per day: "
            "HOLIDAY (放假) for a weekday off, WORKDAY (上班) for a weekend day worked.",
        ),
    ],
    source: Annotated[str | None, typer.Option(help="The notice it comes from.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Load a schedule that does not look like a whole year.")
    ] = False,
) -> None:
    """Load (or revise) one year's official schedule; provisional due dates in it are recounted.
    A file that does not look like a whole year's schedule is refused without --force: it would
    replace the year as a whole."""
    try:
        schedule, named_source = read_schedule(file)
    except (XunChaError, UnicodeDecodeError) as error:
        typer.echo(f"Cannot read {file}: {getattr(error, 'message', error)}", err=True)
        raise typer.Exit(2) from None
    doubts = schedule.doubts()
    if doubts and not force:
        typer.echo(
            f"Refused: {file} does not look like the whole schedule of {schedule.year} "
            f"({'; '.join(doubts)}), and loading it replaces the year as a whole. "
            "Check the file, or load it anyway with --force.",
            err=True,
        )
        raise typer.Exit(2)
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
