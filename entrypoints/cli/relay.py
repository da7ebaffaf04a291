"""`xuncha relay`: publish the event log to Kafka (distributed mode)."""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from infrastructure.database import NoDatabase
from infrastructure.feeds.relay import Relay, RelayOptions
from infrastructure.settings import Settings
from services.runtime import Runtime, open_runtime

log = logging.getLogger(__name__)

app = typer.Typer()


def kafka_settings() -> tuple[Settings, str]:
    """The settings, and the bootstrap servers they must name in distributed mode."""
    settings = Settings()
    if not settings.kafka_bootstrap:
        typer.echo("XUNCHA_KAFKA_BOOTSTRAP must name the Kafka bootstrap servers", err=True)
        raise typer.Exit(2)
    return settings, settings.kafka_bootstrap


@contextmanager
def started(settings: Settings, *, attempts: int = 10) -> Iterator[Runtime]:
    """The runtime of a relay or worker process, without an in-process feed. Opening is retried:
    processes started together race to create the event store's tables, and Postgres refuses
    some of the racing DDL ("tuple concurrently updated")."""
    for attempt in range(1, attempts + 1):
        try:
            runtime = open_runtime(settings, feed=False)
            break
        except NoDatabase as error:  # a setting missing: no retry will bring it
            typer.echo(error.message, err=True)
            raise typer.Exit(2) from None
        except Exception:
            if attempt == attempts:
                raise
            log.warning("could not open the runtime (attempt %d); retrying", attempt, exc_info=True)
            time.sleep(min(attempt, 5))
    try:
        yield runtime
    finally:
        runtime.close()


def stop_on_signals(stop: Any) -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop())


@app.command()
def relay(
    partitions: Annotated[
        int,
        typer.Option(envvar="XUNCHA_KAFKA_PARTITIONS", help="Partitions of a topic it creates."),
    ] = 6,
    batch_size: Annotated[int, typer.Option(help="Events per acknowledged batch.")] = 500,
    idempotent: Annotated[
        bool,
        typer.Option(
            envvar="XUNCHA_KAFKA_IDEMPOTENT",
            help="Use Kafka's idempotent producer (the broker must support it); otherwise one "
            "request in flight keeps the order.",
        ),
    ] = False,
) -> None:
    """Follow the event log and publish every event to XUNCHA_KAFKA_TOPIC, keyed by tenant.
    Run two for availability: one publishes, the other waits on a Postgres advisory lock."""
    settings, bootstrap = kafka_settings()
    with started(settings) as runtime:
        options = RelayOptions(
            bootstrap=bootstrap,
            topic=settings.kafka_topic,
            partitions=partitions,
            batch_size=batch_size,
            idempotent=idempotent,
        )
        worker = Relay(runtime.store, runtime.database.url, options)
        stop_on_signals(worker.stop)
        worker.run()
