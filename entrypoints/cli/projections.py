"""`xuncha projections status|retry|rebuild`: see how far behind the read models are and which
is stopped at an event it could not apply; resume one after a fix; rebuild one without
downtime."""

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
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from entrypoints.http.metrics import ProjectionLag, lag
from infrastructure.feeds.rebuild import find_projection, rebuild_all
from infrastructure.settings import Settings
from services.runtime import running

app = typer.Typer(
    help="Read models: lag, stopped ones, retries and rebuilds.", no_args_is_help=True
)


class EventsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:,.0f} events/s")


@app.command()
def status() -> None:
    """Per projection (and per Kafka partition): how far behind the head of the log it is, and
    whether it is stopped at an event it could not apply."""
    with running(Settings(), feed=False) as runtime:
        current = lag(runtime)
    console = Console(width=160)
    relayed = "" if current.relay_position is None else f", relayed to {current.relay_position}"
    console.print(f"head of the log: {current.head}{relayed}")
    table = Table(
        "projection", "partition", "position", "behind", "messages behind", "applied", "state"
    )
    for projection in current.projections:
        table.add_row(
            projection.projection,
            "all",
            str(current.head - projection.behind),
            str(projection.behind),
            "",
            str(projection.applied),
            _state(projection),
        )
        for partition in projection.partitions:
            table.add_row(
                "",
                str(partition.partition),
                str(partition.position),
                str(max(partition.published_position - partition.position, 0)),
                str(partition.messages_behind),
                "",
                "",
            )
    console.print(table)
    for projection in current.projections:
        for event in projection.parked:
            console.print(
                f"{event.projection} STOPPED at position {event.position} ({event.feed}): "
                f"{event.error_class}: {event.error_message}\n"
                f"  event {event.event_topic} {event.originator_id} "
                f"v{event.originator_version}, parked {event.parked_at:%Y-%m-%d %H:%M:%S %Z}",
                markup=False,
            )
    if any(p.stopped for p in current.projections):
        console.print("after fixing the cause: xuncha projections retry NAME", markup=False)


def _state(projection: ProjectionLag) -> str:
    if not projection.parked:
        return "running"
    return f"STOPPED at {min(p.position for p in projection.parked)}"


@app.command()
def retry(
    name: Annotated[str, typer.Argument(help="The stopped projection to resume.")],
) -> None:
    """Resume a stopped projection once the cause is fixed: the feed applies the parked event
    again, and what follows it; an event that still fails is parked again."""
    with running(Settings(), feed=False) as runtime:
        try:
            find_projection(runtime, name)
        except LookupError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(2) from None
        parked = [p for p in runtime.parked_events() if p.projection == name]
        runtime.retry_projection(name)
    if not parked:
        typer.echo(f"{name} is not stopped; nothing to retry")
        return
    position = min(p.position for p in parked)
    typer.echo(f"{name}: retrying from position {position}")


@app.command("rebuild")
def rebuild_command(
    name: Annotated[
        str | None, typer.Argument(help="The projection to rebuild; all when omitted.")
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Rebuild every projection (the default without a name).")
    ] = False,
) -> None:
    """Rebuild read models from the event store beside the live ones, then switch atomically;
    queries keep answering throughout. All of them are built from one read of the log."""
    if name and every:
        typer.echo("Name a projection or give --all, not both.", err=True)
        raise typer.Exit(2)
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
            description = chosen[0].name if len(chosen) == 1 else "all projections"
            task = progress.add_task(description, total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            results = rebuild_all(runtime, chosen, progress=advance)
            events = max(result.events for result in results)
            progress.update(task, completed=events, total=events)
        for projection in chosen:
            typer.echo(f"{projection.name}: switched to the rebuilt tables")
