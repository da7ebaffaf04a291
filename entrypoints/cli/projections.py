"""`xuncha projections status|rebuild`: see how far behind the read models are; rebuild one
without downtime."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from entrypoints.http.metrics import lag
from infrastructure.feeds.rebuild import find_projection, rebuild
from infrastructure.settings import Settings
from services.runtime import running

app = typer.Typer(help="Read models: lag and rebuilds.", no_args_is_help=True)


class EventsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:,.0f} events/s")


@app.command()
def status() -> None:
    """Per projection (and per Kafka partition): how far behind the head of the log it is."""
    with running(Settings(), feed=False) as runtime:
        current = lag(runtime)
    console = Console()
    relayed = "" if current.relay_position is None else f", relayed to {current.relay_position}"
    console.print(f"head of the log: {current.head}{relayed}")
    table = Table("projection", "partition", "position", "behind", "messages behind", "applied")
    for projection in current.projections:
        table.add_row(
            projection.projection, "all", "", str(projection.behind), "", str(projection.applied)
        )
        for partition in projection.partitions:
            table.add_row(
                "",
                str(partition.partition),
                str(partition.position),
                str(max(partition.published_position - partition.position, 0)),
                str(partition.messages_behind),
                "",
            )
    console.print(table)


@app.command("rebuild")
def rebuild_command(
    name: Annotated[
        str | None, typer.Argument(help="The projection to rebuild; all when omitted.")
    ] = None,
) -> None:
    """Rebuild read models from the event store beside the live ones, then switch atomically;
    queries keep answering throughout."""
    with running(Settings(), feed=False) as runtime:
        try:
            chosen = [find_projection(runtime, name)] if name else list(runtime.projections)
        except LookupError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(2) from None
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            EventsPerSecond(),
            TimeRemainingColumn(),
        )
        with Progress(*columns) as progress:
            for projection in chosen:
                task = progress.add_task(projection.name, total=None)

                def advance(done: int, total: int, task: TaskID = task) -> None:
                    progress.update(task, completed=done, total=total)

                result = rebuild(runtime, projection, progress=advance)
                progress.update(task, completed=result.events, total=result.events)
        for projection in chosen:
            typer.echo(f"{projection.name}: switched to the rebuilt tables")
