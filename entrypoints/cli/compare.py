"""`xuncha compare …`: data comparison (大数据比对) from the console — register and delete
datasets, list the models, run one (docs/DATA_COMPARISON.md). The console acts with every
clearance; what it prints holds counts and ids, never a row."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from domain.comparison.library import LIBRARY
from domain.comparison.values import DatasetKind
from domain.context import acting_as
from domain.errors import XunChaError
from domain.tenants.tenant import office_id_of
from infrastructure.settings import Settings
from services.authorization import CONSOLE
from services.runtime import running

app = typer.Typer(help="Data comparison (大数据比对): datasets, models and runs.")
dataset_app = typer.Typer(help="Register and delete datasets.")
app.add_typer(dataset_app, name="dataset")

Office = Annotated[str, typer.Option(help="The office: its code or id.")]
Actor = Annotated[str, typer.Option(help="Recorded on every event as its cause.")]


def _refused(error: XunChaError) -> typer.Exit:
    typer.echo(f"Refused: {error.message}", err=True)
    for problem in error.details.get("problems", []):
        typer.echo(f"  row {problem['row']}, {problem['column']}: {problem['reason']}", err=True)
    return typer.Exit(1)


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        header, sep, field = pair.partition("=")
        if not sep:
            raise typer.BadParameter(f"{pair!r}: give HEADER=field", param_hint="--map")
        mapping[header.strip()] = field.strip()
    return mapping


@dataset_app.command("register")
def register(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".xlsx .csv .parquet")],
    office: Office,
    kind: Annotated[DatasetKind, typer.Option(case_sensitive=False, help="The dataset's kind.")],
    period: Annotated[str, typer.Option(help="The period it covers, e.g. 2026年10月.")],
    source: Annotated[str, typer.Option(help="Who supplied it (default: the file's name).")] = "",
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="A column of the file and the field it holds: 身份证=id_number"),
    ] = None,
    actor: Actor = "console",
) -> None:
    """Register a dataset: every row is checked first; a file with problems is refused whole,
    with a report of each row's problem."""
    with running(Settings()) as runtime, acting_as(actor):
        try:
            written = runtime.datasets.register_dataset(
                tenant_id=office_id_of(office),
                kind=kind,
                period=period,
                source=source or file.name,
                filename=file.name,
                data=file.read_bytes(),
                mapping=_mapping(map_ or []),
                acting=CONSOLE,
            )
        except XunChaError as error:
            raise _refused(error) from None
    typer.echo(
        f"dataset {written.id}: {written.row_count} rows, sha256 {written.content_sha256}; "
        f"position {written.position}"
    )


@dataset_app.command("delete")
def delete(
    dataset_id: Annotated[str, typer.Argument(help="The dataset's id.")],
    reason: Annotated[str, typer.Option(help="Why it is deleted.")],
    actor: Actor = "console",
) -> None:
    """Delete a dataset: its rows and its key are destroyed (crypto-shredding)."""
    with running(Settings()) as runtime, acting_as(actor):
        try:
            written = runtime.datasets.delete_dataset(
                UUID(dataset_id), reason=reason, acting=CONSOLE
            )
        except XunChaError as error:
            raise _refused(error) from None
    typer.echo(f"dataset {written.id} deleted; position {written.position}")


@app.command("models")
def models() -> None:
    """The library's models: code, the kinds of dataset each reads, title."""
    for model in LIBRARY.values():
        kinds = ",".join(model.kinds)
        typer.echo(f"{model.code}\tv{model.version}\t{kinds}\t{model.title}")


@app.command("run")
def run(
    model: Annotated[str, typer.Argument(help="The model's code (see `xuncha compare models`).")],
    office: Office,
    actor: Actor = "console",
) -> None:
    """Run a model over the office's datasets in force; each new hit becomes a candidate
    clue. On Spark where XUNCHA_SPARK_MASTER is set, else on the embedded DuckDB."""
    with running(Settings()) as runtime, acting_as(actor):
        try:
            written = runtime.comparisons.run_comparison(
                tenant_id=office_id_of(office), model_code=model, acting=CONSOLE
            )
        except XunChaError as error:
            raise _refused(error) from None
    typer.echo(
        f"run {written.id}: {written.hit_count} hits, {written.new_candidates} new candidates, "
        f"{written.duration_ms} ms; position {written.position}"
    )
