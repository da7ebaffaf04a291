"""What falls due (超期预警): the open clues of the clue ledger (projections/clue_ledger.py)
and the open rectification tasks (projections/rectification.py) due by a given day, of a set
of offices. Working days are not counted here: the calendar belongs to the services."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.rows import class_row


@dataclass(frozen=True)
class DueRow:
    """One open item with a due date. `step` is where it stands: a clue's supervision step
    (or its status before any), a task's status."""

    kind: str  # CLUE or TASK
    item_id: UUID
    tenant_id: UUID  # the office it belongs to: the clue's registering office, the feedback's
    title: str
    due_on: date
    step: str
    restricted: bool  # a task line marked state secret, under investigation or sensitive
    due_provisional: bool  # a clue's due date counted through a year with no loaded calendar


# Open: a clue not concluded, a task not verified (the same rule the ledgers judge overdue by).
_DUE = """
SELECT 'CLUE' AS kind, c.clue_id AS item_id, c.tenant_id, c.summary AS title,
       c.due_date AS due_on, coalesce(c.supervision_step, c.status) AS step,
       false AS restricted, c.due_provisional
FROM rm_clues c
WHERE c.status <> 'CONCLUDED' AND c.due_date IS NOT NULL AND c.due_date <= %(by)s
  AND (%(offices)s::uuid[] IS NULL OR c.tenant_id = ANY(%(offices)s::uuid[]))
UNION ALL
SELECT 'TASK', t.task_id, f.tenant_id, i.text, t.due_on, t.status,
       cardinality(i.restrictions) > 0, false
FROM rm_rectification_tasks t
JOIN rm_rectification_items i ON i.item_id = t.task_id
JOIN rm_feedback f ON f.feedback_id = t.feedback_id
WHERE t.status <> 'VERIFIED' AND t.due_on <= %(by)s
  AND (%(offices)s::uuid[] IS NULL OR f.tenant_id = ANY(%(offices)s::uuid[]))
ORDER BY due_on, kind, item_id
"""


def due_by(conn: Connection[Any], *, by: date, offices: Collection[UUID] | None) -> list[DueRow]:
    """Open clues and tasks of `offices` (None: every office the connection may read) due on
    or before `by`, earliest first."""
    params = {"by": by, "offices": None if offices is None else sorted(offices)}
    with conn.cursor(row_factory=class_row(DueRow)) as cur:
        return cur.execute(_DUE, params).fetchall()


def office_and_counties(conn: Connection[Any], tenant_id: UUID) -> list[UUID]:
    """The office and the counties whose city it is (from the directory's offices)."""
    rows = conn.execute(
        "SELECT tenant_id FROM rm_tenants WHERE tenant_id = %(t)s OR parent_id = %(t)s",
        {"t": tenant_id},
    ).fetchall()
    return [row[0] for row in rows] or [tenant_id]
