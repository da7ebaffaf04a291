"""The durable memory of batch submissions: one row per (tenant, clientId) in
`submission_results`, owned by the batch endpoint (entrypoints/http/submissions.py). A row is
`PENDING` from just before its command runs until its outcome is written (`DONE`); the endpoint's
module says why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

PENDING = "PENDING"
DONE = "DONE"

SCHEMA = """
CREATE TABLE IF NOT EXISTS submission_results (
    tenant_id      uuid        NOT NULL,
    client_id      text        NOT NULL,
    command        text        NOT NULL,
    fingerprint    text        NOT NULL,
    subject        text        NOT NULL,
    state          text        NOT NULL,
    after_position bigint      NOT NULL,
    target_id      uuid,
    outcome        jsonb,
    position       bigint,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, client_id)
);
-- One logged event answers for at most one item: recovery never claims an event twice.
CREATE UNIQUE INDEX IF NOT EXISTS submission_results_position
    ON submission_results (position) WHERE position IS NOT NULL;
"""


@dataclass(frozen=True)
class Row:
    tenant_id: UUID
    client_id: str
    command: str
    fingerprint: str
    subject: str
    state: str
    after_position: int
    target_id: UUID | None
    outcome: dict[str, Any] | None


def install(conn: Connection[Any]) -> None:
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('xuncha.submission_results'))")
        conn.execute(SCHEMA)


def lock(conn: Connection[Any], tenant_id: UUID, client_id: str) -> None:
    """Serialise work on one (tenant, clientId) across requests and processes: a session lock,
    released by `unlock` or when the connection ends (a crashed process lets go of it)."""
    conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 7))", (f"{tenant_id}/{client_id}",))


def unlock(conn: Connection[Any], tenant_id: UUID, client_id: str) -> None:
    conn.execute(
        "SELECT pg_advisory_unlock(hashtextextended(%s, 7))", (f"{tenant_id}/{client_id}",)
    )


def find(conn: Connection[Any], tenant_id: UUID, client_id: str) -> Row | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT tenant_id, client_id, command, fingerprint, subject, state, after_position,"
            " target_id, outcome FROM submission_results WHERE tenant_id = %s AND client_id = %s",
            (tenant_id, client_id),
        )
        found = cur.fetchone()
    return Row(**found) if found else None


def begin(conn: Connection[Any], row: Row) -> None:
    """Record, durably, that the item's command is about to run."""
    conn.execute(
        "INSERT INTO submission_results (tenant_id, client_id, command, fingerprint, subject,"
        " state, after_position, target_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (
            row.tenant_id,
            row.client_id,
            row.command,
            row.fingerprint,
            row.subject,
            PENDING,
            row.after_position,
            row.target_id,
        ),
    )


def finish(
    conn: Connection[Any],
    tenant_id: UUID,
    client_id: str,
    outcome: dict[str, Any],
    position: int | None,
) -> None:
    conn.execute(
        "UPDATE submission_results SET state = %s, outcome = %s, position = %s"
        " WHERE tenant_id = %s AND client_id = %s",
        (DONE, Jsonb(outcome), position, tenant_id, client_id),
    )


def claimed(conn: Connection[Any], position: int) -> bool:
    """Whether some item already answers for the event at `position`."""
    return (
        conn.execute("SELECT 1 FROM submission_results WHERE position = %s", (position,)).fetchone()
        is not None
    )
