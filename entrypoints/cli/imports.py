"""`xuncha import …`: bulk onboarding from spreadsheets (docs/IMPORT.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, TypedDict
from uuid import UUID

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from domain.context import acting_as
from domain.errors import XunChaError
from domain.tenants.tenant import tenant_id_for
from infrastructure.settings import Settings
from services.imports.inspectors import inspector_imports
from services.imports.pipeline import ImportRefused, OfficeReport
from services.imports.units import unit_imports
from services.runtime import Runtime, running
from services.tenants import Acting

Progressed = Callable[[int, int], None]
Importing = Callable[[Runtime, Progressed], OfficeReport]  # one import, given its progress bar
SheetFile = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".xlsx or .csv")]
Actor = Annotated[str, typer.Option(help="Recorded on every event as its cause.")]
UNIT_COUNTS = ("rows", "created", "renamed", "retyped", "moved", "reclassified", "unchanged")
INSPECTOR_COUNTS = (
    "rows",
    "inspectors",
    "created",
    "renamed",
    "postings_added",
    "postings_ended",
    "postings_removed",
    "relations_declared",
    "relations_withdrawn",
    "unchanged",
)

app = typer.Typer(help="Import units and inspectors from .xlsx or .csv files.")


def _tenant(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        return tenant_id_for(value)


@app.callback()
def imports() -> None:
    """Import units and inspectors from .xlsx or .csv files."""


def _import(what: str, actor: str, counts: tuple[str, ...], run: Importing) -> None:
    """Run one import and print the report's `counts`, its position and how long it took."""
    report = _run(what, actor, run).as_dict()
    summary = ", ".join(f"{name} {report[name]}" for name in counts)
    typer.echo(f"{summary}; position {report['position']}; {report['seconds']:.1f} s")


def _run(what: str, actor: str, run: Importing) -> OfficeReport:
    """Run one import under `actor` with a progress bar; print every bad row (or the
    refusal) and exit 1 when the file is refused."""
    console = Console(stderr=True)
    with (
        running(Settings()) as runtime,
        acting_as(actor),
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar,
    ):
        task = bar.add_task(f"saving {what}", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            return run(runtime, advance)
        except ImportRefused as refused:
            bar.stop()
            table = Table("row", "column", "reason", title=refused.message)
            for problem in refused.problems:
                table.add_row(str(problem.row), problem.column, problem.reason)
            console.print(table)
            raise typer.Exit(1) from None
        except XunChaError as error:
            bar.stop()
            console.print(f"[red]{error.code.value}[/red]: {error.message}")
            raise typer.Exit(1) from None


@app.command("units")
def units(
    file: SheetFile,
    tenant: Annotated[str, typer.Option(help="The owning office: its id or code.")],
    effective_from: Annotated[
        str | None, typer.Option(help="Date the classes in the file take effect (YYYY-MM-DD).")
    ] = None,
    actor: Actor = "import",
) -> None:
    """Import units: validated whole first; a file with bad rows writes nothing."""
    effective = date.fromisoformat(effective_from) if effective_from else None
    _import(
        "units",
        actor,
        UNIT_COUNTS,
        lambda runtime, advance: unit_imports(runtime).import_units(
            **_file(file, tenant), effective_from=effective, progress=advance
        ),
    )


@app.command("inspectors")
def inspectors(
    file: SheetFile,
    tenant: Annotated[str, typer.Option(help="The inspectors' home office: its id or code.")],
    actor: Actor = "import",
) -> None:
    """Import inspectors with postings and relations: validated whole first."""
    _import(
        "inspectors",
        actor,
        INSPECTOR_COUNTS,
        lambda runtime, advance: inspector_imports(runtime).import_inspectors(
            **_file(file, tenant), progress=advance
        ),
    )


class _File(TypedDict):
    acting: Acting
    tenant_id: UUID
    filename: str
    data: bytes


def _file(file: Path, tenant: str) -> _File:
    """What either import is given from the command line: the console acts, for `tenant`."""
    return {
        "acting": Acting.console(),
        "tenant_id": _tenant(tenant),
        "filename": file.name,
        "data": file.read_bytes(),
    }
