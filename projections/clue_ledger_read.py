"""Reading the clue ledger (projections/clue_ledger.py): pages of clues by filter and order,
overdue judged as of the day asked about, within the caller's visible tenants."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection, sql
from psycopg.rows import class_row

from projections import paging
from projections.paging import Page


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
    priority: str | None = None
    proposed_route: str | None = None
    handling_body: str | None = None
    receiving_tenant_id: UUID | None = None
    transferred_on: date | None = None
    due_date: date | None = None
    working_days: int | None = None
    due_provisional: bool = False
    supervision_step: str | None = None
    warning_final_date: date | None = None
    last_progress: str | None = None
    disposition: str | None = None
    persons_disciplined: int | None = None
    funds_recovered: Decimal | None = None
    closed_in_ledger: bool = False
    concluded_on: date | None = None
    informant_status: str = "NONE"
    informant_sealed: str | None = None
    overdue: bool = False


@dataclass(frozen=True)
class LedgerFilter:
    """Which clues to list; every criterion given must hold."""

    tenant_id: UUID | None = None
    receiving_tenant_id: UUID | None = None
    round_id: UUID | None = None
    unit_id: UUID | None = None
    status: str | None = None
    priority: str | None = None
    category: str | None = None
    overdue: bool | None = None
    supervision_step: str | None = None
    due_before: date | None = None
    # The caller's scope (None: every tenant): a clue shows when its registering or receiving
    # office, or the office owning its unit, is in it.
    visible_tenants: frozenset[UUID] | None = None


# Sort keys a client may ask for: the column each orders by (never client text; None: the log
# position alone) and how a cursor's value of it reads back. Each has an index (clue_ledger.py).
SORT_COLUMNS: dict[str, tuple[str | None, Callable[[str], Any]]] = {
    "REGISTERED": (None, str),
    "DUE_DATE": ("due_date", date.fromisoformat),
    "AMOUNT_INVOLVED": ("amount_involved", Decimal),
    "FUNDS_RECOVERED": ("funds_recovered", Decimal),
    "CATEGORY": ("category", str),
    "STATUS": ("status", str),
}

# A total count from a filter the counts table cannot answer is counted up to this many.
COUNT_LIMIT = 1_000

_COLUMNS = sql.SQL(
    "clue_id, tenant_id, round_id, unit_id, source, category, summary, persons_concerned, "
    "amount_involved, status, registered_at, registered_by, version, position, priority, "
    "proposed_route, handling_body, receiving_tenant_id, transferred_on, due_date, "
    "working_days, due_provisional, supervision_step, warning_final_date, last_progress, "
    "disposition, persons_disciplined, funds_recovered, closed_in_ledger, concluded_on, "
    "informant_status, informant_sealed"
)
_OVERDUE = sql.SQL("(due_date IS NOT NULL AND due_date < %s AND status <> 'CONCLUDED')")


_LEDGER = paging.Listing(
    sql.Identifier("rm_clues"),
    sql.SQL("{}, {} AS overdue").format(_COLUMNS, _OVERDUE),
    class_row(ClueRow),
    lambda row: row.position,
)


def _conditions(which: LedgerFilter, today: date) -> paging.Where:
    conditions = paging.Where()
    equal = {
        "tenant_id": which.tenant_id,
        "receiving_tenant_id": which.receiving_tenant_id,
        "round_id": which.round_id,
        "unit_id": which.unit_id,
        "status": which.status,
        "priority": which.priority,
        "category": which.category,
        "supervision_step": which.supervision_step,
    }
    for column, value in equal.items():
        if value is not None:
            conditions.add(sql.SQL("{} = %s").format(sql.Identifier(column)), value)
    conditions.given(which.due_before, "due_date < %s")
    if which.overdue is not None:
        conditions.add(_OVERDUE if which.overdue else sql.SQL("NOT {}").format(_OVERDUE), today)
    if which.visible_tenants is not None:
        conditions.add("visible_to && %s::uuid[]", sorted(which.visible_tenants))
    return conditions


# The filters the counts table answers (projections/clue_ledger.py keeps a count by each).
_COUNTED = ("tenant_id", "receiving_tenant_id", "status", "priority", "category")


def _counted_by_table(which: LedgerFilter) -> bool:
    """Whether the counts table answers the filter."""
    given = {name for name, value in which.__dict__.items() if value is not None}
    return given <= {*_COUNTED, "visible_tenants"}


def total_count(conn: Connection[Any], which: LedgerFilter, where: paging.Where) -> int:
    """How many clues match: exact from the counts table when it answers the filter; else
    counted, exactly up to `COUNT_LIMIT`."""
    if _counted_by_table(which):
        counts = paging.Where()
        for column in _COUNTED:
            value = getattr(which, column)
            if value is not None:
                counts.add(sql.SQL("{} = %s").format(sql.Identifier(column)), value)
        if which.visible_tenants is not None:
            counts.add("visible_to && %s::uuid[]", sorted(which.visible_tenants))
        query = sql.SQL("SELECT coalesce(sum(clues), 0) FROM rm_clue_counts WHERE {}")
        found = conn.execute(query.format(counts.clause), counts.params).fetchone()
    else:
        query = sql.SQL("SELECT count(*) FROM (SELECT 1 FROM rm_clues WHERE {} LIMIT %s) AS m")
        found = conn.execute(query.format(where.clause), [*where.params, COUNT_LIMIT]).fetchone()
    return int(found[0]) if found else 0


def page(
    conn: Connection[Any],
    *,
    which: LedgerFilter,
    today: date,
    first: int,
    after: str | None,
    sort: str = "REGISTERED",
    descending: bool = False,
) -> Page[ClueRow]:
    """Clues matching `which`, overdue judged as of `today`, in the order `sort` (nulls last,
    ties in log order, both reversed by `descending`), paged by key."""
    column, parse = SORT_COLUMNS[sort]
    key = paging.SortKey(sort, column, descending, parse)
    chosen = paging.sorted_keyset(key, after, first)
    where = _conditions(which, today)
    total = total_count(conn, which, where)
    return _LEDGER.sorted_page(conn, chosen, where, total, column_params=[today])
