"""Raising deadline warnings (超期预警): once per (item, step, level). A check finds what is
due soon or overdue (services/deadlines.py) and records each warning not raised before,
together with its message row in the outbox, in one transaction; the unique key makes a
second check (or two at once) raise nothing new. Delivery is services/warning_sender.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from psycopg_pool import ConnectionPool

from services.authorization import CONSOLE
from services.calendar import CalendarService
from services.deadlines import DueItem, due_within
from services.reads import ReadSession

DDL = """
CREATE TABLE IF NOT EXISTS deadline_warnings (
    warning_id uuid PRIMARY KEY,
    tenant_id uuid NOT NULL,
    kind text NOT NULL,
    item_id uuid NOT NULL,
    step text NOT NULL,
    level text NOT NULL,
    title text NOT NULL,
    due_on date NOT NULL,
    working_days_left integer NOT NULL,
    raised_on date NOT NULL,
    raised_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (item_id, step, level)
);
CREATE TABLE IF NOT EXISTS warning_outbox (
    warning_id uuid PRIMARY KEY REFERENCES deadline_warnings (warning_id),
    tenant_id uuid NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    sent_at timestamptz
);
CREATE INDEX IF NOT EXISTS warning_outbox_pending ON warning_outbox (next_attempt_at)
    WHERE sent_at IS NULL;
"""

# Raise every warning not raised before and queue its message, in one statement.
_RAISE = """
WITH raised AS (
    INSERT INTO deadline_warnings (warning_id, tenant_id, kind, item_id, step, level, title,
        due_on, working_days_left, raised_on)
    SELECT w.*, %(raised_on)s::date FROM unnest(%(warning_id)s::uuid[], %(tenant_id)s::uuid[],
        %(kind)s::text[], %(item_id)s::uuid[], %(step)s::text[], %(level)s::text[],
        %(title)s::text[], %(due_on)s::date[], %(working_days_left)s::integer[]) AS w
    ON CONFLICT DO NOTHING  -- the id is derived from (item, step, level): either key
    RETURNING warning_id, tenant_id
)
INSERT INTO warning_outbox (warning_id, tenant_id) SELECT warning_id, tenant_id FROM raised
RETURNING warning_id
"""
# What a robot message says of an item whose line is withheld from disclosure.
WITHHELD_TITLE = "（内容不宜公开，请登录系统查看）"


def warning_id_of(item_id: UUID, step: str, level: str) -> UUID:
    """The same warning has the same id wherever it is raised: the receiver's idempotency key."""
    return uuid5(item_id, f"deadline-warning/{step}/{level}")


@dataclass(frozen=True)
class Check:
    """What one check found and raised."""

    due: int  # items due soon or overdue
    raised: list[UUID]  # warnings raised now (the others were raised before)


def install(pool: ConnectionPool) -> None:
    with pool.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('xuncha.deadline_warnings'))")
        conn.execute(DDL)


def check(
    pool: ConnectionPool,
    calendar: CalendarService,
    *,
    today: date,
    within_working_days: int,
    statement_timeout_ms: int,
) -> Check:
    """Raise a warning for every open item of every office due within `within_working_days`
    working days after `today` or overdue, unless raised before for its step and level."""
    session = ReadSession(pool, CONSOLE, statement_timeout_ms)
    with session.reading() as conn:
        items = due_within(
            conn, calendar, offices=None, today=today, within_working_days=within_working_days
        )
    with pool.connection() as conn, conn.transaction():
        rows = conn.execute(_RAISE, _columns(items, today)).fetchall()
    return Check(due=len(items), raised=[row[0] for row in rows])


def _columns(items: list[DueItem], today: date) -> dict[str, Any]:
    """The warnings of `items` as one array per column (one statement raises them all)."""
    return {
        "warning_id": [warning_id_of(i.item_id, i.step, i.level.value) for i in items],
        "tenant_id": [i.tenant_id for i in items],
        "kind": [i.kind for i in items],
        "item_id": [i.item_id for i in items],
        "step": [i.step for i in items],
        "level": [i.level.value for i in items],
        "title": [WITHHELD_TITLE if i.restricted else i.title for i in items],
        "due_on": [i.due_on for i in items],
        "working_days_left": [i.working_days_left for i in items],
        "raised_on": today,
    }
