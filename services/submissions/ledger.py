"""The receipts of batch submissions: one row per (tenant, clientId) in `submission_results`,
what the batch answered for that item (services/submissions/batch.py).

An accepted item's receipt is written in the same transaction as its events (it rides along
with the save, `EventStore.save_with`), so an item is either written with its receipt or not
at all: a retry after any crash finds the receipt, or runs the item, never both and never
neither. The receipt names the stream and version of the item's last event; its position is
read from the event log with it. A rejected item's receipt is written with the chunk it
belongs to, so the same item sent again is answered the same.

Receipts of the earlier two-phase form (a `PENDING` row before the command, its outcome after)
still answer: a finished one with its stored outcome, an unfinished one (its process died
between the two writes, before this form) as a CONFLICT asking for a look at the log."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import Connection, sql
from psycopg.types.json import Jsonb

from infrastructure.store import Alongside

SCHEMA = """
CREATE TABLE IF NOT EXISTS submission_results (
    tenant_id      uuid        NOT NULL,
    client_id      text        NOT NULL,
    command        text        NOT NULL,
    fingerprint    text        NOT NULL,
    subject        text        NOT NULL,
    outcome        jsonb,
    stream_id      uuid,
    stream_version integer,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, client_id)
);
-- From the two-phase form: its columns stay for its rows, and no longer bind new ones.
ALTER TABLE submission_results ADD COLUMN IF NOT EXISTS stream_id uuid;
ALTER TABLE submission_results ADD COLUMN IF NOT EXISTS stream_version integer;
ALTER TABLE submission_results ALTER COLUMN outcome DROP NOT NULL;
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_name = 'submission_results' AND column_name = 'state') THEN
        ALTER TABLE submission_results ALTER COLUMN state DROP NOT NULL;
        ALTER TABLE submission_results ALTER COLUMN after_position DROP NOT NULL;
    END IF;
END $$;
"""

RECEIPT = (
    "INSERT INTO submission_results (tenant_id, client_id, command, fingerprint, subject,"
    " outcome, stream_id, stream_version) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)


@dataclass(frozen=True)
class Receipt:
    client_id: str
    command: str
    fingerprint: str
    outcome: dict[str, Any] | None  # None: an unfinished item of the two-phase form


@dataclass(frozen=True)
class NewReceipt:
    client_id: str
    command: str
    fingerprint: str
    outcome: dict[str, Any]
    last_event: tuple[UUID, int] | None  # (stream, version) of the item's last event


def install(conn: Connection[Any]) -> None:
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('xuncha.submission_results'))")
        conn.execute(SCHEMA)


def lock(conn: Connection[Any], tenant_id: UUID, client_ids: Iterable[str]) -> None:
    """Serialise work on each (tenant, clientId) across requests and processes: session locks,
    taken in one order by every batch (so two batches never wait for each other in a
    circle), released by `unlock` or when the connection ends (a crashed process lets go)."""
    keys = sorted({f"{tenant_id}/{client_id}" for client_id in client_ids})
    conn.execute(
        "SELECT count(pg_advisory_lock(hashtextextended(k, 7))) FROM unnest(%s::text[]) AS k",
        (keys,),
    )


def unlock(conn: Connection[Any]) -> None:
    conn.execute("SELECT pg_advisory_unlock_all()")


def find(
    conn: Connection[Any], events: sql.Identifier, tenant_id: UUID, client_ids: Iterable[str]
) -> dict[str, Receipt]:
    """The receipts of `client_ids`, an accepted one with the position of its last event."""
    query = sql.SQL(
        "SELECT r.client_id, r.command, r.fingerprint, r.outcome, e.notification_id"
        " FROM submission_results r LEFT JOIN {} e"
        " ON e.originator_id = r.stream_id AND e.originator_version = r.stream_version"
        " WHERE r.tenant_id = %s AND r.client_id = ANY(%s)"
    ).format(events)
    rows = conn.execute(query, (tenant_id, list(set(client_ids)))).fetchall()
    return {
        client_id: Receipt(client_id, command, fingerprint, _with_position(outcome, position))
        for client_id, command, fingerprint, outcome, position in rows
    }


def _with_position(outcome: dict[str, Any] | None, position: int | None) -> dict[str, Any] | None:
    if outcome is None or position is None:
        return outcome
    return outcome | {"position": position}


def receipts(tenant_id: UUID, subject: str, written: Sequence[NewReceipt]) -> Alongside:
    """The receipts of `written`, as rows for the save that records their events."""
    return Alongside(
        RECEIPT,
        [
            (
                tenant_id,
                r.client_id,
                r.command,
                r.fingerprint,
                subject,
                Jsonb({k: v for k, v in r.outcome.items() if k != "position"}),
                *(r.last_event or (None, None)),
            )
            for r in written
        ],
    )
