"""The `xuncha` command: a thin adapter over the runtime."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
import uvicorn

from services.runtime import running
from services.settings import Settings

app = typer.Typer(help="XunCha (巡察): linked city–county inspection.", no_args_is_help=True)


def _configure_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


@app.callback()
def main() -> None:
    """XunCha (巡察): linked city–county inspection."""
    _configure_logging()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Load the demo city once.")] = False,
) -> None:
    """Serve the API. Without XUNCHA_DATABASE_URL, on an embedded PostgreSQL in XUNCHA_DATA_DIR."""
    from services.demo import load_demo
    from services.web import create_app

    with running(Settings()) as runtime:
        if demo:
            load_demo(runtime)
        typer.echo(f"XunCha serving GraphQL at http://{host}:{port}/graphql")
        app_ = create_app(runtime, close_runtime_on_shutdown=True)
        uvicorn.run(app_, host=host, port=port, log_config=None)
