"""Delivering deadline warnings from the outbox (services/deadline_warnings.py) to each
office's group robot. A row is claimed with SELECT … FOR UPDATE SKIP LOCKED and held while it
is sent, so two senders never send the same row at once; it is marked sent only after a 2xx
answer the robot accepted (errcode 0 when it gives one); otherwise it is tried again later,
with exponential backoff. A sender that stops between sending and marking sends the row again:
the `Idempotency-Key` header (the warning's id) lets the receiver drop the repeat.

The webhook URL holds the robot's key: it is never logged (httpx's own request log is kept
below INFO) and a failure is recorded by its status or error type only."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx
from psycopg import Connection
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from domain.configuration.values import WarningChannel
from services.deadline_messages import WarningNote, message

log = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"

_CLAIM = """
SELECT o.warning_id, o.tenant_id, o.attempts, w.kind, w.title, w.due_on, w.working_days_left,
       w.step, w.level
FROM warning_outbox o JOIN deadline_warnings w ON w.warning_id = o.warning_id
WHERE o.sent_at IS NULL AND o.next_attempt_at <= %(started)s
  AND NOT o.tenant_id = ANY(%(no_channel)s::uuid[])
ORDER BY o.next_attempt_at, o.warning_id
LIMIT 1
FOR UPDATE OF o SKIP LOCKED
"""
_SENT = "UPDATE warning_outbox SET sent_at = now(), attempts = attempts + 1 WHERE warning_id = %s"
_FAILED = """
UPDATE warning_outbox SET attempts = attempts + 1, last_error = %s,
    next_attempt_at = now() + make_interval(secs => %s)
WHERE warning_id = %s
"""
_NEXT = """
SELECT min(next_attempt_at) - now() FROM warning_outbox
WHERE sent_at IS NULL AND NOT tenant_id = ANY(%s::uuid[])
"""
_WAITING = """
SELECT count(*) FROM warning_outbox WHERE sent_at IS NULL AND tenant_id = ANY(%s::uuid[])
"""


@dataclass(frozen=True)
class Backoff:
    """Seconds before the next attempt after `attempts` failed ones: doubling, capped."""

    first_seconds: float = 30.0
    max_seconds: float = 3600.0

    def after(self, attempts: int) -> float:
        return float(min(self.max_seconds, self.first_seconds * 2 ** max(attempts - 1, 0)))


@dataclass
class SendPass:
    """What a pass did. It tries the rows due when it starts, each once (a row that fails is
    due again only after its backoff), and none of an office with no channel."""

    sent: list[UUID] = field(default_factory=list)
    failed: list[UUID] = field(default_factory=list)
    no_channel: set[UUID] = field(default_factory=set)  # offices with no channel set
    waiting: int = 0  # their rows, left pending until one is set


ChannelOf = Callable[[UUID], WarningChannel | None]


class WarningSender:
    def __init__(
        self,
        pool: ConnectionPool,
        channel_of: ChannelOf,
        *,
        backoff: Backoff | None = None,
        timeout_seconds: float = 10.0,
    ) -> None:
        self.pool = pool
        self.channel_of = channel_of
        self.backoff = backoff or Backoff()
        self.timeout_seconds = timeout_seconds
        logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.root.level))

    def send_due(self, stopping: Callable[[], bool] = lambda: False) -> SendPass:
        """One pass: every pending row due for an attempt, each tried once (until `stopping`
        says to stop: the rows left wait for the next pass)."""
        done = SendPass()
        channels: dict[UUID, WarningChannel | None] = {}  # each office's, read once a pass
        started = self._database_now()  # rows failing in this pass are due only after it
        with httpx.Client(timeout=self.timeout_seconds, follow_redirects=False) as client:
            while not stopping() and self._send_one(client, done, channels, started):
                pass
        with self.pool.connection() as conn:
            waiting = conn.execute(_WAITING, (list(done.no_channel),)).fetchone()
        done.waiting = waiting[0] if waiting else 0
        return done

    def send_until_done(self, within_seconds: float) -> SendPass:
        """Passes until nothing deliverable is pending or `within_seconds` have gone by,
        waiting between them for the next row's attempt."""
        ends = time.monotonic() + within_seconds
        total = SendPass()
        while True:
            done = self.send_due()
            total.sent += done.sent
            total.failed += done.failed
            total.no_channel, total.waiting = done.no_channel, done.waiting
            wait = self._next_attempt_in(exclude=done.no_channel)
            if wait is None or time.monotonic() + wait > ends:
                return total
            time.sleep(wait)

    def _database_now(self) -> datetime:
        with self.pool.connection() as conn:
            found = conn.execute("SELECT now()").fetchone()
        assert found is not None  # noqa: S101 - SELECT now() answers one row
        now: datetime = found[0]
        return now

    def _next_attempt_in(self, exclude: set[UUID]) -> float | None:
        """Seconds until the next pending row of an office but `exclude` (those with no
        channel) may be tried; None when there is none."""
        with self.pool.connection() as conn:
            found = conn.execute(_NEXT, (list(exclude),)).fetchone()
        if found is None or found[0] is None:
            return None
        return max(found[0].total_seconds(), 0.0)

    def _send_one(
        self,
        client: httpx.Client,
        done: SendPass,
        channels: dict[UUID, WarningChannel | None],
        started: datetime,
    ) -> bool:
        claim = {"started": started, "no_channel": list(done.no_channel)}
        with self.pool.connection() as conn, conn.transaction():
            row = conn.cursor(row_factory=dict_row).execute(_CLAIM, claim).fetchone()
            if row is None:
                return False
            office: UUID = row["tenant_id"]
            if office not in channels:
                channels[office] = self.channel_of(office)
            channel = channels[office]
            if channel is None:
                done.no_channel.add(office)
                return True
            error = _post(client, channel, row)
            self._record(conn, row, error, done)
        return True

    def _record(
        self, conn: Connection[Any], row: dict[str, Any], error: str | None, done: SendPass
    ) -> None:
        warning_id: UUID = row["warning_id"]
        if error is None:
            conn.execute(_SENT, (warning_id,))
            done.sent.append(warning_id)
            return
        delay = self.backoff.after(row["attempts"] + 1)
        conn.execute(_FAILED, (error, delay, warning_id))
        done.failed.append(warning_id)
        log.warning(
            "deadline warning %s not delivered (%s); attempt %d, next in %.0f s",
            warning_id,
            error,
            row["attempts"] + 1,
            delay,
        )


def _post(client: httpx.Client, channel: WarningChannel, row: dict[str, Any]) -> str | None:
    """Send one warning; None when the robot took it, else what went wrong (no URL in it)."""
    note = WarningNote(
        kind=row["kind"],
        title=row["title"],
        due_on=row["due_on"],
        working_days_left=row["working_days_left"],
        step=row["step"],
        level=row["level"],
    )
    headers = {IDEMPOTENCY_HEADER: str(row["warning_id"])}
    try:
        answer = client.post(channel.url, json=message(channel.kind, note), headers=headers)
    except httpx.HTTPError as error:
        return type(error).__name__
    if not answer.is_success:
        return f"HTTP {answer.status_code}"
    return _refused_by_robot(answer)


def _refused_by_robot(answer: httpx.Response) -> str | None:
    """WeCom and DingTalk answer 200 with `errcode` ≠ 0 when they refuse a message."""
    try:
        body = answer.json()
    except ValueError:
        return None
    code = body.get("errcode", 0) if isinstance(body, dict) else 0
    return None if code == 0 else f"errcode {code}"
