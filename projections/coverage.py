"""Coverage (全覆盖): units inspected at least once in a committee's term ÷ all units, per
unit type and per county, and the yearly pace still needed to finish the term. A unit counts
as inspected on the day a round with it as a target reached STATIONED."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Connection, Cursor

from domain.rounds.round import Round
from domain.rounds.values import Phase
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit
from projections.base import Projection
from projections.row_security import either, visible

DAYS_PER_YEAR = Decimal("365.25")


class CoverageView(Projection):
    name = "coverage"
    tables = ("rm_cov_tenants", "rm_cov_units", "rm_cov_targets")
    row_rules: ClassVar[dict[str, str]] = {
        "rm_cov_tenants": visible("tenant_id"),
        "rm_cov_units": visible("tenant_id"),
        # A target shows to the round's organiser and to the owner of the unit.
        "rm_cov_targets": either(
            visible("tenant_id"), "unit_id IN (SELECT unit_id FROM rm_cov_units)"
        ),
    }
    ddl = """
    CREATE TABLE IF NOT EXISTS rm_cov_tenants (
        tenant_id uuid PRIMARY KEY,
        parent_id uuid
    );
    CREATE TABLE IF NOT EXISTS rm_cov_units (
        unit_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        unit_type text NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_cov_units_tenant ON rm_cov_units (tenant_id);
    CREATE TABLE IF NOT EXISTS rm_cov_targets (
        round_id uuid NOT NULL,
        tenant_id uuid NOT NULL,  -- the round's organiser
        unit_id uuid NOT NULL,
        stationed_on date,
        PRIMARY KEY (round_id, unit_id)
    );
    CREATE INDEX IF NOT EXISTS rm_cov_targets_unit ON rm_cov_targets (unit_id, stationed_on);
    """

    @singledispatchmethod
    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        """Events this view does not need are passed over."""

    @apply.register
    def _(self, event: Tenant.Registered, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_cov_tenants (tenant_id, parent_id) VALUES (%s, %s)",
            (event.originator_id, event.parent_id),
        )

    @apply.register
    def _(self, event: Unit.Registered, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_cov_units (unit_id, tenant_id, unit_type) VALUES (%s, %s, %s)",
            (event.originator_id, event.tenant_id, event.unit_type),
        )

    @apply.register
    def _(self, event: Unit.Retyped, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_cov_units SET unit_type = %s WHERE unit_id = %s",
            (event.unit_type, event.originator_id),
        )

    @apply.register
    def _(self, event: Unit.Reassigned, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_cov_units SET tenant_id = %s WHERE unit_id = %s",
            (event.to_tenant_id, event.originator_id),
        )

    @apply.register
    def _(self, event: Round.Planned, cur: Cursor[Any], position: int) -> None:
        cur.executemany(
            "INSERT INTO rm_cov_targets (round_id, tenant_id, unit_id) VALUES (%s, %s, %s)",
            [
                (event.originator_id, event.tenant_id, UUID(str(t["unit_id"])))
                for t in event.targets
            ],
        )

    @apply.register
    def _(self, event: Round.PhaseAdvanced, cur: Cursor[Any], position: int) -> None:
        if event.phase == Phase.STATIONED.value:
            cur.execute(
                "UPDATE rm_cov_targets SET stationed_on = %s WHERE round_id = %s",
                (event.on, event.originator_id),
            )


@dataclass(frozen=True)
class CoverageRow:
    key: str  # a unit type, or a county's id
    units: int
    inspected: int

    @property
    def rate(self) -> Decimal:
        return ratio(self.inspected, self.units)


@dataclass(frozen=True)
class Coverage:
    tenant_id: UUID
    term_start: date
    term_end: date
    as_of: date
    units: int
    inspected: int
    by_unit_type: list[CoverageRow]
    by_county: list[CoverageRow]

    @property
    def rate(self) -> Decimal:
        return ratio(self.inspected, self.units)

    @property
    def remaining(self) -> int:
        return self.units - self.inspected

    @property
    def years_left(self) -> Decimal:
        """What is left of the term after `as_of` (from the term's start if not begun), in
        years of 365.25 days; 0 once the term is over."""
        start = max(self.as_of, self.term_start)
        days = max((self.term_end - start).days + 1, 0)
        return (Decimal(days) / DAYS_PER_YEAR).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def yearly_pace_needed(self) -> int | None:
        """Units still to inspect per year to finish the term; None once the term is over."""
        if self.remaining == 0:
            return 0
        start = max(self.as_of, self.term_start)
        days = (self.term_end - start).days + 1
        if days <= 0:
            return None
        return math.ceil(Decimal(self.remaining) * DAYS_PER_YEAR / Decimal(days))


def ratio(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal("0.0000")
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def coverage(
    conn: Connection[Any], *, tenant_id: UUID, term_start: date, term_end: date, as_of: date
) -> Coverage:
    """Coverage of `tenant_id`'s units and those of the offices below it."""
    rows = conn.execute(
        """
        WITH RECURSIVE scope(tenant_id) AS (
            SELECT %s::uuid
            UNION SELECT t.tenant_id FROM rm_cov_tenants t JOIN scope s ON t.parent_id = s.tenant_id
        )
        SELECT u.tenant_id, u.unit_type, count(*),
               count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM rm_cov_targets x WHERE x.unit_id = u.unit_id
                   AND x.stationed_on BETWEEN %s AND %s))
        FROM rm_cov_units u JOIN scope s ON u.tenant_id = s.tenant_id
        GROUP BY u.tenant_id, u.unit_type
        """,
        (tenant_id, term_start, term_end),
    ).fetchall()
    by_type: dict[str, list[int]] = {}
    by_county: dict[str, list[int]] = {}
    for owner, unit_type, units, inspected in rows:
        for table, key in ((by_type, unit_type), (by_county, str(owner))):
            totals = table.setdefault(key, [0, 0])
            totals[0] += units
            totals[1] += inspected
    return Coverage(
        tenant_id=tenant_id,
        term_start=term_start,
        term_end=term_end,
        as_of=as_of,
        units=sum(u for u, _ in by_type.values()),
        inspected=sum(i for _, i in by_type.values()),
        by_unit_type=[CoverageRow(k, u, i) for k, (u, i) in sorted(by_type.items())],
        by_county=[CoverageRow(k, u, i) for k, (u, i) in sorted(by_county.items())],
    )


def inspected_condition(unit_column: str) -> str:
    """SQL that holds for a unit (`unit_column`, e.g. "rm_units.unit_id") that was a target
    of a round which reached STATIONED between two dates, given as two parameters in that
    order. For other views' filters; read-model tables share one database."""
    return (
        "EXISTS (SELECT 1 FROM rm_cov_targets x "  # noqa: S608
        f"WHERE x.unit_id = {unit_column} AND x.stationed_on BETWEEN %s AND %s)"
    )


def inspected_unit_ids(conn: Connection[Any], tenant_id: UUID, start: date, end: date) -> set[UUID]:
    """Units of `tenant_id` inspected between `start` and `end` (a term), as coverage counts."""
    rows = conn.execute(
        "SELECT u.unit_id FROM rm_cov_units u WHERE u.tenant_id = %s AND "  # noqa: S608
        + inspected_condition("u.unit_id"),
        (tenant_id, start, end),
    ).fetchall()
    return {row[0] for row in rows}
