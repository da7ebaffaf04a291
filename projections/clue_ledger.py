"""The clue ledger (线索台账): one row per clue, as it stands now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Connection, Cursor
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from domain.clues.clue import Clue
from projections.base import Projection
from projections.paging import Page, decode_cursor, encode_cursor


@dataclass(frozen=True)
class ClueRow:
    clue_id: UUID
    tenant_id: UUID
    round_id: UUID | None
    unit_id: UUID
    source: str
    category: str
    summary: str
    persons_concerned: list[dict[str, str]]
    amount_involved: Decimal | None
    status: str
    registered_at: datetime
    registered_by: str
    version: int
    position: int


class ClueLedger(Projection):
    name = "clue_ledger"
    tables = ("rm_clues",)
    ddl = """
    CREATE TABLE IF NOT EXISTS rm_clues (
        clue_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        round_id uuid,
        unit_id uuid NOT NULL,
        source text NOT NULL,
        category text NOT NULL,
        summary text NOT NULL,
        persons_concerned jsonb NOT NULL,
        amount_involved numeric(18, 2),
        status text NOT NULL,
        registered_at timestamptz NOT NULL,
        registered_by text NOT NULL,
        version integer NOT NULL,
        position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_clues_tenant ON rm_clues (tenant_id, position);
    """

    @singledispatchmethod
    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        """Events this view does not need are passed over."""

    @apply.register
    def _(self, event: Clue.Registered, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_clues (clue_id, tenant_id, round_id, unit_id, source, category, "
            "summary, persons_concerned, amount_involved, status, registered_at, registered_by,"
            " version, position) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'REGISTERED', %s, %s, %s, %s)",
            (
                event.originator_id,
                event.tenant_id,
                event.round_id,
                event.unit_id,
                event.source,
                event.category,
                event.summary,
                Jsonb(event.persons_concerned),
                event.amount_involved,
                event.timestamp,
                event.actor,
                event.originator_version,
                position,
            ),
        )


_COLUMNS = (
    "clue_id, tenant_id, round_id, unit_id, source, category, summary, persons_concerned, "
    "amount_involved, status, registered_at, registered_by, version, position"
)


def page(
    conn: Connection[Any], *, tenant_id: UUID | None, first: int, after: str | None
) -> Page[ClueRow]:
    """Clues in registration order, optionally of one tenant."""
    start = decode_cursor(after)
    where = "WHERE position > %s"
    params: list[Any] = [start]
    count_where, count_params = "", list[Any]()
    if tenant_id is not None:
        where += " AND tenant_id = %s"
        params.append(tenant_id)
        count_where, count_params = "WHERE tenant_id = %s", [tenant_id]
    with conn.cursor(row_factory=class_row(ClueRow)) as cur:
        rows = cur.execute(
            f"SELECT {_COLUMNS} FROM rm_clues {where} ORDER BY position LIMIT %s",  # noqa: S608
            [*params, first + 1],
        ).fetchall()
    total = conn.execute(
        f"SELECT count(*) FROM rm_clues {count_where}",  # noqa: S608
        count_params,
    ).fetchone()
    return Page(
        items=[(encode_cursor(row.position), row) for row in rows[:first]],
        total_count=total[0] if total else 0,
        has_next_page=len(rows) > first,
        has_previous_page=start > 0,
    )
