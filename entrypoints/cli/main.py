"""The `xuncha` command: a thin adapter over the runtime."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Annotated

import typer
import uvicorn

from entrypoints.cli.audit import app as audit_app
from entrypoints.cli.bench import bench_command
from entrypoints.cli.calendar import app as calendar_app
from entrypoints.cli.compare import app as compare_app
from entrypoints.cli.deadlines import app as deadlines_app
from entrypoints.cli.documents import app as documents_app
from entrypoints.cli.imports import app as import_app
from entrypoints.cli.project import app as project_app
from entrypoints.cli.projections import app as projections_app
from entrypoints.cli.relay import app as relay_app
from entrypoints.cli.simulate import simulate_command
from entrypoints.cli.token import app as token_app
from entrypoints.cli.users import app as users_app
from infrastructure import logs
from infrastructure.database import NoDatabase
from infrastructure.settings import LogSettings, Settings
from infrastructure.tracing import start_tracing
from services.runtime import running

app = typer.Typer(help="XunCha (巡察): linked city–county inspection.", no_args_is_help=True)
app.add_typer(relay_app)
app.add_typer(project_app)
app.add_typer(projections_app, name="projections")
app.add_typer(token_app, name="token")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(import_app, name="import")
app.add_typer(calendar_app, name="calendar")
app.add_typer(deadlines_app, name="deadlines")
app.add_typer(documents_app, name="documents")
app.add_typer(compare_app, name="compare")
app.command("simulate")(simulate_command)
app.command("bench")(bench_command)


class StoppingServer(uvicorn.Server):
    """uvicorn's server, stopping gracefully on SIGTERM or SIGINT (requests finish, the runtime
    closes, an embedded PostgreSQL stops), after which `serve` exits with code 0. uvicorn itself
    raises the signal again once stopped, which ends the process as killed by it (-15)."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        self._captured_signals.clear()


def leave_on_sigterm() -> None:
    """SIGTERM before the server takes the signal over (during start-up: an embedded PostgreSQL
    starting, a migration rebuilding) leaves through the `with` blocks, so the runtime closes
    and an embedded PostgreSQL stops, instead of the process dying where it stands."""

    def leave(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, leave)


@app.callback()
def main() -> None:
    """XunCha (巡察): linked city–county inspection."""
    logs.configure(LogSettings().log_format)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Load the demo city once.")] = False,
    simulate: Annotated[
        str | None,
        typer.Option(help="Build a simulated city first (`xuncha simulate --profile …`, seed 1)."),
    ] = None,
) -> None:
    """Serve the API. Without XUNCHA_DATABASE_URL, on an embedded PostgreSQL in XUNCHA_DATA_DIR."""
    from entrypoints.cli.token import echo_demo_accounts, echo_demo_tokens
    from entrypoints.http.app import create_app
    from entrypoints.http.webapp import ensure_packages
    from services.demo import load_demo
    from services.simulation import PROFILES
    from services.simulation import simulate as build_city

    profile = PROFILES.get(simulate) if simulate else None
    if simulate and profile is None:
        raise typer.BadParameter(f"choose one of {', '.join(PROFILES)}", param_hint="--simulate")
    leave_on_sigterm()
    try:
        settings = Settings()
        start_tracing(settings)  # before connecting: statements of later connections are traced
        with running(settings, migrate=True) as runtime:
            if demo:
                load_demo(runtime)
                echo_demo_tokens(runtime.settings)
                echo_demo_accounts()
            if profile is not None:
                outcome = build_city(runtime, profile, seed=1)
                typer.echo(f"simulated city S1-{profile.code}: {outcome.events:,} events written")
            ensure_packages()
            typer.echo(f"XunCha serving the web app at http://{host}:{port}/app/")
            typer.echo(f"XunCha serving GraphQL at http://{host}:{port}/graphql")
            app_ = create_app(runtime, close_runtime_on_shutdown=True, watch_deadlines=True)
            config = uvicorn.Config(app_, host=host, port=port, log_config=None, access_log=False)
            StoppingServer(config).run()
    except NoDatabase as error:
        typer.echo(error.message, err=True)
        raise typer.Exit(2) from None


@app.command()
def migrate() -> None:
    """Create or upgrade every table (event store, informant keys, relay, tracking, read
    models), rebuilding without downtime each projection whose schema changed. Idempotent; run
    before starting a new version (`serve` runs it at start too)."""
    leave_on_sigterm()
    try:
        with running(Settings(), feed=False, migrate=True) as runtime:
            rebuilt = runtime.migrated.rebuilt if runtime.migrated else []
            count = len(runtime.projections)
    except NoDatabase as error:
        typer.echo(error.message, err=True)
        raise typer.Exit(2) from None
    for done in rebuilt:
        typer.echo(
            f"rebuilt {done.projection} (its schema changed) from {done.events} events, "
            f"up to position {done.position}"
        )
    typer.echo(
        "schema current: event store, informant keys, submissions, relay, tracking and "
        f"{count} read models"
    )
