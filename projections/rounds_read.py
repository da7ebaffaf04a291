"""Reads over the round view (`projections.rounds`): one round with its progress, pages of
rounds by linkage with filters, and linked rounds with one combined progress row per county.

Progress, as the view counts it:
- a target is stationed once the round has reached STATIONED (the team enters all targets);
- clues registered / open (not concluded) / overdue (transferred, past the recorded due date
  on `today`, not concluded) are the clues registered under the round;
- problems found are, until feedback problem lists exist, the clues registered."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any
from uuid import UUID

from psycopg import Connection, sql
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from domain.rounds.values import PHASE_ORDER, Phase
from projections import paging
from projections.paging import Page


@dataclass(frozen=True)
class RoundRow:
    round_id: UUID
    tenant_id: UUID
    city_id: UUID
    kind: str
    theme: str | None
    revisit_of: UUID | None
    linkage: str
    title: str
    period_start: date
    period_end: date
    targets: list[dict[str, Any]]  # unit_id, owner_id; reasons if recorded
    co_organiser_ids: list[UUID]
    parent_id: UUID | None
    inspecting_county_id: UUID | None
    owning_county_id: UUID | None
    batch_id: UUID | None
    staffing: dict[str, str]
    phase: str
    phase_dates: dict[str, str]
    channels: dict[str, dict[str, Any]]
    crossing: dict[str, str | None] | None  # a cross round inside an office
    planned_at: datetime
    version: int
    position: int

    @property
    def stationed(self) -> bool:
        return PHASE_ORDER.index(Phase(self.phase)) >= PHASE_ORDER.index(Phase.STATIONED)

    def owner_of(self) -> dict[UUID, UUID]:
        """Each target unit's owning office (made once per row: a linked round's parent may
        have thousands of targets; the dict is shared, not to be changed)."""
        return self._owners

    @cached_property
    def _owners(self) -> dict[UUID, UUID]:
        return {UUID(unit): owner for unit, owner in self.owners_by_text.items()}

    @cached_property
    def owners_by_text(self) -> dict[str, UUID]:
        """`owner_of` keyed by the units' ids as text, as the targets hold them (parsing
        thousands of ids costs more than the rest of a page)."""
        offices: dict[str, UUID] = {}  # a round's targets have few owners: each parsed once
        return {
            t["unit_id"]: offices.get(t["owner_id"])
            or offices.setdefault(t["owner_id"], UUID(t["owner_id"]))
            for t in self.targets
        }

    def reasons_of(self) -> dict[UUID, list[str]]:
        return {UUID(t["unit_id"]): list(t.get("reasons", [])) for t in self.targets}


@dataclass(frozen=True)
class TeamMember:
    round_id: UUID
    inspector_id: UUID
    name: str
    role: str
    home_tenant_id: UUID
    recused: bool


@dataclass(frozen=True)
class Recusal:
    round_id: UUID
    inspector_id: UUID
    unit_id: UUID
    reason: str
    declared_on: date


@dataclass
class Progress:
    targets_total: int = 0
    targets_stationed: int = 0
    clues_registered: int = 0
    clues_open: int = 0
    clues_overdue: int = 0

    @property
    def problems_found(self) -> int:
        return self.clues_registered

    def add(self, other: Progress) -> None:
        self.targets_total += other.targets_total
        self.targets_stationed += other.targets_stationed
        self.clues_registered += other.clues_registered
        self.clues_open += other.clues_open
        self.clues_overdue += other.clues_overdue


@dataclass(frozen=True)
class RoundView:
    row: RoundRow
    team: list[TeamMember]  # without recused members
    recusals: list[Recusal]
    progress: Progress
    # per owning county of the targets: the part of the progress on its units
    by_county: dict[UUID, Progress] = field(default_factory=dict)


@dataclass(frozen=True)
class CountyProgress:
    county_id: UUID
    child_rounds: int
    progress: Progress


@dataclass(frozen=True)
class LinkedRound:
    parent: RoundView
    children: list[RoundView]
    counties: list[CountyProgress]


@dataclass(frozen=True)
class RoundFilter:
    period_from: date | None = None  # rounds whose period overlaps [from, to]
    period_to: date | None = None
    phase: str | None = None
    county_id: UUID | None = None  # organising, co-organising, inspecting or owning targets
    selection_reason: str | None = None  # rounds with a target chosen for this reason
    kind: str | None = None


_COLUMNS = (
    "round_id, tenant_id, city_id, kind, theme, revisit_of, linkage, title, period_start, "
    "period_end, targets, co_organiser_ids, parent_id, inspecting_county_id, "
    "owning_county_id, batch_id, staffing, phase, phase_dates, channels, crossing, planned_at, "
    "version, position"
)


def round_view(conn: Connection[Any], round_id: UUID, today: date) -> RoundView | None:
    with conn.cursor(row_factory=class_row(RoundRow)) as cur:
        row = cur.execute(
            f"SELECT {_COLUMNS} FROM rm_rounds WHERE round_id = %s",  # noqa: S608
            (round_id,),
        ).fetchone()
    return views(conn, [row], today)[0] if row else None


def crossings_by_round(conn: Connection[Any], ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    """The crossing (groups and townships) of those of the rounds that are cross rounds
    inside an office."""
    rows = conn.execute(
        "SELECT round_id, crossing FROM rm_rounds "
        "WHERE round_id = ANY(%s) AND crossing IS NOT NULL",
        (ids,),
    ).fetchall()
    return {round_id: crossing for round_id, crossing in rows}


def clue_ids_of(conn: Connection[Any], round_id: UUID) -> list[UUID]:
    """The clues registered in a round (so far as the projection has seen)."""
    rows = conn.execute(
        "SELECT clue_id FROM rm_round_clues WHERE round_id = %s", (round_id,)
    ).fetchall()
    return [row[0] for row in rows]


def views(conn: Connection[Any], rows: list[RoundRow], today: date) -> list[RoundView]:
    """Views of `rows` with team, recusals and progress, in three queries for all rows."""
    ids = [r.round_id for r in rows]
    with conn.cursor(row_factory=class_row(TeamMember)) as cur:
        members = cur.execute(
            "SELECT round_id, inspector_id, name, role, home_tenant_id, recused "
            "FROM rm_round_team WHERE round_id = ANY(%s) ORDER BY position",
            (ids,),
        ).fetchall()
    with conn.cursor(row_factory=class_row(Recusal)) as cur:
        recusals = cur.execute(
            "SELECT round_id, inspector_id, unit_id, reason, declared_on FROM rm_round_recusals "
            "WHERE round_id = ANY(%s) ORDER BY declared_on, inspector_id, unit_id",
            (ids,),
        ).fetchall()
    clues = _clue_counts(conn, ids, today)
    team: dict[UUID, list[TeamMember]] = defaultdict(list)
    for member in members:
        if not member.recused:
            team[member.round_id].append(member)
    recused: dict[UUID, list[Recusal]] = defaultdict(list)
    for recusal in recusals:
        recused[recusal.round_id].append(recusal)
    result = []
    for row in rows:
        owners = row.owners_by_text
        by_county: dict[UUID, Progress] = defaultdict(Progress)
        for owner in owners.values():
            by_county[owner].targets_total += 1
            by_county[owner].targets_stationed += int(row.stationed)
        for unit_id, registered, open_, overdue in clues[row.round_id]:
            part = by_county[owners.get(unit_id, row.tenant_id)]
            part.clues_registered += registered
            part.clues_open += open_
            part.clues_overdue += overdue
        total = Progress()
        for part in by_county.values():
            total.add(part)
        result.append(
            RoundView(
                row=row,
                team=team.get(row.round_id, []),
                recusals=recused.get(row.round_id, []),
                progress=total,
                by_county=dict(by_county),
            )
        )
    return result


def _clue_counts(
    conn: Connection[Any], ids: list[UUID], today: date
) -> dict[UUID, list[tuple[str, int, int, int]]]:
    """Per round: (unit as text, clues registered, open, overdue on `today`) for each unit
    with clues; the counts kept per unit, the overdue ones counted among the open clues only,
    in one statement."""
    clues: dict[UUID, list[tuple[str, int, int, int]]] = defaultdict(list)
    for round_id, unit_id, registered, open_, overdue in conn.execute(
        "SELECT n.round_id, n.unit_id::text, n.registered, n.open, coalesce(o.overdue, 0) "
        "FROM rm_round_clue_counts n LEFT JOIN (SELECT round_id, unit_id, count(*) AS overdue "
        "FROM rm_round_clues WHERE round_id = ANY(%(ids)s) AND NOT concluded "
        "AND due_date < %(today)s GROUP BY round_id, unit_id) o USING (round_id, unit_id) "
        "WHERE n.round_id = ANY(%(ids)s)",
        {"ids": ids, "today": today},
    ).fetchall():
        clues[round_id].append((unit_id, registered, open_, overdue))
    return clues


def _where(city_id: UUID, linkage: str | None, filters: RoundFilter) -> paging.Where:
    conditions = paging.Where()
    conditions.add("city_id = %s", city_id)
    conditions.given(linkage, "linkage = %s")
    conditions.given(filters.period_from, "period_end >= %s")
    conditions.given(filters.period_to, "period_start <= %s")
    conditions.given(filters.phase, "phase = %s")
    conditions.given(filters.kind, "kind = %s")
    _reason(conditions, filters)
    if filters.county_id is not None:
        conditions.add(
            "(%s IN (tenant_id, inspecting_county_id, owning_county_id) "
            "OR %s = ANY(co_organiser_ids) OR %s = ANY(target_owner_ids) "
            "OR EXISTS (SELECT 1 FROM rm_rounds c WHERE c.parent_id = rm_rounds.round_id "
            "AND c.tenant_id = %s))",
            *[filters.county_id] * 4,
        )
    return conditions


def _reason(conditions: paging.Where, filters: RoundFilter) -> None:
    if filters.selection_reason is not None:
        conditions.add("targets @> %s::jsonb", Jsonb([{"reasons": [filters.selection_reason]}]))


@dataclass(frozen=True)
class CrossingFilter:
    """Which cross rounds inside an office: of one batch, with a group inspecting or
    hosting, in one township."""

    batch_id: UUID | None = None
    group_id: UUID | None = None
    township_id: UUID | None = None


def township_cross_page(
    conn: Connection[Any],
    *,
    tenant_id: UUID,
    crossing: CrossingFilter,
    filters: RoundFilter,
    first: int,
    after: str | None,
    today: date,
) -> Page[RoundView]:
    """An office's cross rounds between its own townships, in planning order."""
    where = paging.Where()
    where.add("tenant_id = %s AND crossing IS NOT NULL", tenant_id)
    where.given(filters.period_from, "period_end >= %s")
    where.given(filters.period_to, "period_start <= %s")
    where.given(filters.phase, "phase = %s")
    _reason(where, filters)
    where.given(crossing.batch_id, "batch_id = %s")
    where.given(crossing.township_id, "crossing->>'owning_township_id' = %s::text")
    if crossing.group_id is not None:
        where.add(
            "%s::text IN (crossing->>'inspecting_group_id', crossing->>'host_group_id')",
            crossing.group_id,
        )
    return _page_rows(conn, where, first, after).with_items(lambda rows: views(conn, rows, today))


_ROUNDS = paging.Listing(
    sql.Identifier("rm_rounds"), sql.SQL(_COLUMNS), class_row(RoundRow), lambda r: r.position
)


def _page_rows(
    conn: Connection[Any], where: paging.Where, first: int, after: str | None
) -> Page[RoundRow]:
    return _ROUNDS.page(conn, paging.keyset(after, first), where)


def page(
    conn: Connection[Any],
    *,
    city_id: UUID,
    linkage: str | None,
    filters: RoundFilter,
    first: int,
    after: str | None,
    today: date,
) -> Page[RoundView]:
    """Rounds of a city, of one linkage or of all, in planning order."""
    where = _where(city_id, linkage, filters)
    return _page_rows(conn, where, first, after).with_items(lambda rows: views(conn, rows, today))


def linked_page(
    conn: Connection[Any],
    *,
    city_id: UUID,
    filters: RoundFilter,
    first: int,
    after: str | None,
    today: date,
) -> Page[LinkedRound]:
    """The city's parent rounds of linked inspection (LINKED parents, and ESCALATED rounds
    with linked children), each with its county children and one combined row per county:
    the parent's targets in that county plus the county's own child rounds."""
    where = _where(city_id, None, filters)
    where.add(
        "tenant_id = city_id AND parent_id IS NULL AND (linkage = 'LINKED' OR EXISTS "
        "(SELECT 1 FROM rm_rounds c WHERE c.parent_id = rm_rounds.round_id))"
    )
    return _page_rows(conn, where, first, after).with_items(lambda rows: _linked(conn, rows, today))


def _linked(conn: Connection[Any], rows: list[RoundRow], today: date) -> list[LinkedRound]:
    with conn.cursor(row_factory=class_row(RoundRow)) as cur:
        child_rows = cur.execute(
            f"SELECT {_COLUMNS} FROM rm_rounds WHERE parent_id = ANY(%s) "  # noqa: S608
            "ORDER BY position",
            ([r.round_id for r in rows],),
        ).fetchall()
    # parents and children in one set of reads: each read pays for the rounds' row security
    every_view = views(conn, [*rows, *child_rows], today)
    parent_views = every_view[: len(rows)]
    children: dict[UUID | None, list[RoundView]] = defaultdict(list)
    for child in every_view[len(rows) :]:
        children[child.row.parent_id].append(child)
    items = []
    for parent in parent_views:
        mine = children.get(parent.row.round_id, [])
        combined: dict[UUID, Progress] = defaultdict(Progress)
        counts: dict[UUID, int] = defaultdict(int)
        for county_id, part in parent.by_county.items():
            if county_id != parent.row.tenant_id:
                combined[county_id].add(part)
        for child in mine:
            combined[child.row.tenant_id].add(child.progress)
            counts[child.row.tenant_id] += 1
        rows_by_county = [
            CountyProgress(county_id, counts[county_id], progress)
            for county_id, progress in sorted(combined.items(), key=lambda kv: str(kv[0]))
        ]
        items.append(LinkedRound(parent, mine, rows_by_county))
    return items
