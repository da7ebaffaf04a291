"""The deadline check inside `xuncha serve`: every `deadline_check_seconds`, raise the
warnings due today in China and send what the outbox holds (one pass; a failed delivery is
tried again on a later round, after its backoff). A round that fails is logged and the next
one runs as planned: the warnings are durable, so nothing is lost between rounds."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from services import deadline_warnings
from services.clock import today_in_china
from services.runtime import Runtime
from services.warning_sender import WarningSender

log = logging.getLogger(__name__)


def check_and_send(
    runtime: Runtime, sender: WarningSender, stopping: threading.Event | None = None
) -> None:
    settings = runtime.settings
    found = deadline_warnings.check(
        runtime.reads,
        runtime.calendar,
        today=today_in_china(),
        within_working_days=settings.deadline_warning_working_days,
        statement_timeout_ms=settings.read_statement_timeout_ms,
    )
    done = sender.send_due(stopping.is_set if stopping is not None else lambda: False)
    if found.raised or done.sent or done.failed:
        log.info(
            "deadline warnings: %d raised, %d delivered, %d failed attempts",
            len(found.raised),
            len(done.sent),
            len(done.failed),
        )


@contextmanager
def watching_deadlines(runtime: Runtime) -> Iterator[None]:
    """Check deadlines in the background while the block runs (not at all when the
    interval is 0)."""
    interval = runtime.settings.deadline_check_seconds
    if interval <= 0:
        yield
        return
    stopping = threading.Event()
    sender = WarningSender(runtime.reads, runtime.configuration.warning_channel)

    def watch() -> None:
        while not stopping.wait(interval):
            try:
                check_and_send(runtime, sender, stopping)
            except Exception:
                log.exception("deadline check failed; the next runs in %.0f s", interval)

    thread = threading.Thread(target=watch, name="xuncha-deadlines", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopping.set()
        thread.join(timeout=30)
