"""`xuncha deadlines warn` raises the deadline warnings (超期预警) due; `xuncha deadlines send`
delivers them to each office's group robot (docs/WARNINGS.md). Run both from a scheduler
(e.g. every hour); each is safe to run again and beside another of its kind."""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import Annotated

import typer

from domain.errors import Stale, XunChaError
from infrastructure.settings import Settings
from projections.clue_ledger import ClueLedger
from projections.rectification import Rectification
from services import deadline_warnings
from services.clock import today_in_china
from services.runtime import Runtime, running
from services.warning_sender import WarningSender

CATCH_UP_SECONDS = 900.0  # a cold start projects the whole log first


def caught_up(runtime: Runtime, names: list[str]) -> None:
    """Wait until `names` reached the head of the log: as long as a cold start takes, not
    only a read's bounded wait (STALE after that)."""
    ends = time.monotonic() + CATCH_UP_SECONDS
    head = runtime.store.max_position()
    while True:
        try:
            runtime.wait_for_projections(head, names)
            return
        except Stale:
            if time.monotonic() > ends:
                raise


app = typer.Typer(help="Deadlines that warn (超期预警).", no_args_is_help=True)


@app.command("warn")
def warn(
    today: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="The day judged on (default: today in China)."),
    ] = None,
    within: Annotated[
        int, typer.Option(help="Warn of items due within this many working days.")
    ] = 3,
) -> None:
    """Raise a warning for each open clue or task due soon or overdue, once per step and
    level, and queue its message for the office's channel."""
    day: date = today.date() if today is not None else today_in_china()
    with running(Settings()) as runtime:
        try:
            caught_up(runtime, [ClueLedger.name, Rectification.name])
            found = deadline_warnings.check(
                runtime.reads,
                runtime.calendar,
                today=day,
                within_working_days=within,
                statement_timeout_ms=runtime.settings.read_statement_timeout_ms,
            )
        except XunChaError as error:
            typer.echo(f"Refused: {error.message}", err=True)
            raise typer.Exit(1) from None
    typer.echo(
        f"{day}: {found.due} items due within {within} working days or overdue; "
        f"{len(found.raised)} new warnings raised"
    )


@app.command("send")
def send(
    retry_for: Annotated[
        float,
        typer.Option(help="Keep retrying failed deliveries for up to this many seconds."),
    ] = 0.0,
) -> None:
    """Deliver the pending warnings to their offices' channels (retried with backoff)."""
    with running(Settings(), feed=False) as runtime:
        sender = WarningSender(runtime.reads, runtime.configuration.warning_channel)
        done = sender.send_until_done(retry_for)
    typer.echo(
        f"{len(done.sent)} warnings delivered, {len(done.failed)} failed attempts "
        f"(retried later), {done.waiting} waiting for their office's channel"
    )
