"""`xuncha simulate`: build a whole simulated city through the services — offices, units,
cadres, each year's rounds of every linkage, clues through their lifecycle, feedback, tasks
and ballots. The same profile, seed and years give the same aggregates and payloads (event
timestamps are the run's own). Run it again after an interruption and it continues."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from infrastructure.settings import Settings
from services.runtime import running
from services.simulation import PROFILES, count_chunks, simulate
from services.simulation.plan import Chunk

err = Console(stderr=True)


def simulate_command(
    profile: Annotated[
        str, typer.Option(help=f"The city's shape: {', '.join(PROFILES)}.")
    ] = "small",
    years: Annotated[
        int | None,
        typer.Option(
            min=1, max=10, help="Years to simulate, ending in 2025 (default: the profile's)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(min=0, help="The same seed builds the same city.")] = 1,
    stop_after: Annotated[
        int | None,
        typer.Option(min=0, help="Stop after this many chunks, as an interruption would."),
    ] = None,
) -> None:
    """Build a simulated city in the event store (projections catch up when `xuncha serve`
    starts). Re-run with the same options to resume an interrupted run."""
    chosen = PROFILES.get(profile)
    if chosen is None:
        raise typer.BadParameter(f"choose one of {', '.join(PROFILES)}", param_hint="--profile")
    total = count_chunks(chosen, seed, years)
    with (
        running(Settings(), feed=False) as runtime,
        Progress(
            TextColumn(f"[bold]simulating {chosen.name}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("chunks · {task.fields[events]:,} events"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
        ) as progress,
    ):
        task = progress.add_task("simulate", total=total, events=0)

        def advance(chunk: Chunk, events: int) -> None:
            progress.update(task, advance=1, events=events)

        outcome = simulate(runtime, chosen, seed, years, stop_after=stop_after, on_chunk=advance)
        progress.update(task, events=outcome.events)  # with the last save
    rate = outcome.events / outcome.seconds if outcome.seconds else 0.0
    typer.echo(
        f"{'stopped' if outcome.interrupted else 'done'}: {outcome.ran} chunks run, "
        f"{outcome.skipped} already recorded, {outcome.events:,} events saved in "
        f"{outcome.seconds:.1f} s ({rate:,.0f} events/s)"
    )
