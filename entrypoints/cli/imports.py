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
from domain.tenants.tenant import office_id_of
from infrastructure.settings import Settings
from services.imports.inspectors import inspector_imports
from services.imports.pipeline import ImportRefused, OfficeReport
from services.imports.templates import template_workbook
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


@app.command("template")
def template(
    kind: Annotated[str, typer.Argument(help="units or inspectors")],
    out: Annotated[
        Path | None, typer.Option(help="Where to write it (default: KIND-template.xlsx).")
    ] = None,
) -> None:
    """Write the .xlsx template of an import: the header row to fill, and a sheet 说明 that
    explains each column with an example."""
    try:
        data = template_workbook(kind)
    except XunChaError as error:
        typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(2) from None
    target = out or Path(f"{kind}-template.xlsx")
    target.write_bytes(data)
    typer.echo(f"wrote {target}")


class _File(TypedDict):
    acting: Acting
    tenant_id: UUID
    filename: str
    data: bytes


def _file(file: Path, tenant: str) -> _File:
    """What either import is given from the command line: the console acts, for `tenant`."""
    return {
        "acting": Acting.console(),
        "tenant_id": office_id_of(tenant),
        "filename": file.name,
        "data": file.read_bytes(),
    }
