"""The `xuncha` command: a thin adapter over the runtime."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from entrypoints.cli.audit import app as audit_app
from entrypoints.cli.bench import bench_command
from entrypoints.cli.calendar import app as calendar_app
from entrypoints.cli.imports import app as import_app
from entrypoints.cli.project import app as project_app
from entrypoints.cli.projections import app as projections_app
from entrypoints.cli.relay import app as relay_app
from entrypoints.cli.simulate import simulate_command
from entrypoints.cli.token import app as token_app
from infrastructure import logs
from infrastructure.settings import Settings
from services.runtime import running

app = typer.Typer(help="XunCha (巡察): linked city–county inspection.", no_args_is_help=True)
app.add_typer(relay_app)
app.add_typer(project_app)
app.add_typer(projections_app, name="projections")
app.add_typer(token_app, name="token")
app.add_typer(audit_app, name="audit")
app.add_typer(import_app, name="import")
app.add_typer(calendar_app, name="calendar")
app.command("simulate")(simulate_command)
app.command("bench")(bench_command)


@app.callback()
def main() -> None:
    """XunCha (巡察): linked city–county inspection."""
    logs.configure()


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
    from entrypoints.cli.token import echo_demo_tokens
    from entrypoints.http.app import create_app
    from services.demo import load_demo
    from services.simulation import PROFILES
    from services.simulation import simulate as build_city

    profile = PROFILES.get(simulate) if simulate else None
    if simulate and profile is None:
        raise typer.BadParameter(f"choose one of {', '.join(PROFILES)}", param_hint="--simulate")
    with running(Settings()) as runtime:
        if demo:
            load_demo(runtime)
            echo_demo_tokens(runtime.settings)
        if profile is not None:
            outcome = build_city(runtime, profile, seed=1)
            typer.echo(f"simulated city S1-{profile.code}: {outcome.events:,} events written")
        typer.echo(f"XunCha serving GraphQL at http://{host}:{port}/graphql")
        app_ = create_app(runtime, close_runtime_on_shutdown=True)
        uvicorn.run(app_, host=host, port=port, log_config=None, access_log=False)
