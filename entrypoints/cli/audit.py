"""`xuncha audit …`: verify the hash chains and the latest seal, seal the stream heads, export
a tenant's events for a third party. Exit code 0 when the trail is intact, 1 when anything is
wrong, 2 when the command cannot run (e.g. no audit key configured)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from domain.audit.seal import AUDIT_TENANT_ID
from domain.errors import NotFound, XunChaError
from domain.tenants.tenant import tenant_id_for
from infrastructure.settings import Settings
from services.audit import AuditTrail, TrailBroken, VerifyReport
from services.runtime import Runtime, running

app = typer.Typer(help="Prove the event history was not altered, and export it.")
err = Console(stderr=True)


@contextmanager
def _audit_trail() -> Iterator[AuditTrail]:
    with running(Settings(), feed=False) as runtime:
        yield _trail_of(runtime)


def _trail_of(runtime: Runtime) -> AuditTrail:
    return AuditTrail(runtime.store, runtime.reads, runtime.settings)


@contextmanager
def _progress(total: int, what: str) -> Iterator[Callable[[int], None]]:
    with Progress(
        TextColumn(f"[bold]{what}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("events"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task(what, total=total or None)
        yield lambda n: progress.advance(task, n)


def _refused(error: XunChaError) -> typer.Exit:
    err.print(f"[red]refused ({error.code.value})[/red]: {error.message}")
    return typer.Exit(2)


def _print_report(report: VerifyReport, *, sealing: bool = False) -> None:
    for finding in report.findings:
        typer.echo(finding.line())
    seal = report.seal
    if seal is None and not sealing:
        typer.echo(
            "note: no seal yet, so removal of a stream's newest events cannot be detected; "
            "run `xuncha audit seal`"
        )
    elif seal is not None:
        typer.echo(
            f"seal {seal.seal_id}: {seal.streams} streams up to log position "
            f"{seal.log_position}, key {seal.key_id}, seal hash {seal.seal_hash}"
        )
    verdict = "INTACT" if report.ok else f"BROKEN ({len(report.findings)} problems)"
    typer.echo(
        f"{verdict}: {report.events} events in {report.streams} streams checked in "
        f"{report.seconds:.2f} s ({report.events_per_second:,.0f} events/s)"
    )


def _seal_hash(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[0-9a-f]{64}", value):
        raise typer.BadParameter("a seal hash is 64 lower-case hexadecimal digits")
    return value


@app.command()
def verify(
    batch_size: Annotated[int, typer.Option(min=100, max=100_000)] = 5000,
    seal: Annotated[
        str | None,
        typer.Option(
            "--seal",
            callback=_seal_hash,
            help="The hash `xuncha audit seal` printed, kept outside the database: the latest "
            "seal must be that one.",
        ),
    ] = None,
) -> None:
    """Recompute every hash chain and check the latest seal; name every event altered,
    removed or reordered, and every informant key removed without an erasure."""
    try:
        with _audit_trail() as trail, _progress(trail.event_count_estimate(), "verifying") as tick:
            trail.batch_size = batch_size
            report = trail.verify(tick, kept_seal_hash=seal)
    except XunChaError as error:
        raise _refused(error) from None
    _print_report(report)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def seal() -> None:
    """Verify, then record a signed checkpoint of every stream head."""
    try:
        with _audit_trail() as trail, _progress(trail.event_count_estimate(), "sealing") as tick:
            report, written, seal_hash = trail.seal(tick)
    except TrailBroken as broken:
        _print_report(broken.report, sealing=True)
        raise _refused(broken) from None
    except XunChaError as error:
        raise _refused(error) from None
    _print_report(report, sealing=True)
    typer.echo(
        f"sealed {len(report.heads)} streams up to log position {report.log_position} as seal "
        f"{written.id} (its own events end at position {written.position}); seal hash "
        f"{seal_hash} (keep it outside the database)"
    )


def _tenant(trail: AuditTrail, value: str) -> UUID:
    try:
        tenant_id = UUID(value)
    except ValueError:
        tenant_id = tenant_id_for(value)  # a tenant code
    if tenant_id != AUDIT_TENANT_ID and not trail.store.exists(tenant_id):
        raise NotFound(f"No tenant with id or code {value}", tenant=value)
    return tenant_id


@app.command()
def export(
    tenant: Annotated[str, typer.Option(help="Tenant id or code.")],
    since: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only events on or after.")
    ] = None,
    output: Annotated[Path | None, typer.Option(help="File to write; stdout if unset.")] = None,
) -> None:
    """Write the tenant's events as JSON Lines with their canonical records and hashes."""
    day: date | None = since.date() if since else None
    try:
        with _audit_trail() as trail:
            tenant_id = _tenant(trail, tenant)
            if output is None:
                count = trail.export(sys.stdout, tenant_id, day)
            else:
                with output.open("w", encoding="utf-8") as out:
                    count = trail.export(out, tenant_id, day)
    except XunChaError as error:
        raise _refused(error) from None
    err.print(f"exported {count} events of tenant {tenant}")
