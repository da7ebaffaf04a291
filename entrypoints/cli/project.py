"""`xuncha project`: a projection worker in a Kafka consumer group (distributed mode)."""

from __future__ import annotations

from typing import Annotated

import typer

from entrypoints.cli.relay import kafka_settings, started, stop_on_signals
from infrastructure.feeds.workers import DEFAULT_GROUP, Worker

app = typer.Typer()


@app.command()
def project(
    group: Annotated[str, typer.Option(help="Kafka consumer group.")] = DEFAULT_GROUP,
) -> None:
    """Apply the events on XUNCHA_KAFKA_TOPIC to the read models; scale out by starting more
    workers in the same group (up to one per partition)."""
    settings, bootstrap = kafka_settings()
    with started(settings) as runtime:
        worker = Worker(runtime, bootstrap=bootstrap, topic=settings.kafka_topic, group=group)
        stop_on_signals(worker.stop)
        worker.run()
