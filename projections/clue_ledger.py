"""The clue ledger (线索台账): one row per clue, as it stands now — status, priority, where it
was transferred and by when, how far supervision went, how it was concluded. Overdue is not
stored: it is derived at query time from the due date and the date asked about.

A due date counted through a year with no loaded schedule is provisional; when that year's
`CalendarYear` arrives, the ledger recounts it. The ledger keeps its own copy of the loaded
years, so it never depends on the order in which other views see the log. Reads are in
`clue_ledger_read`."""

from __future__ import annotations

import copy
import json
from collections import Counter
from datetime import date
from enum import Enum
from functools import cache
from typing import Any, ClassVar

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Cursor, sql
from psycopg.types.json import Jsonb

from domain.calendar.calendar_year import CalendarYear, schedule_of
from domain.calendar.work_calendar import Deadline, WorkCalendar, YearSchedule
from domain.clues import corrections
from domain.clues.clue import Clue
from domain.clues.values import CorrectableField
from domain.tenants.unit import Unit
from projections.base import Projection
from projections.row_security import any_visible, visible

# The ledger column each correctable field sets.
_CORRECTED_COLUMN = {
    CorrectableField.CATEGORY: "category",
    CorrectableField.SUMMARY: "summary",
    CorrectableField.AMOUNT_INVOLVED: "amount_involved",
    CorrectableField.PERSONS_DISCIPLINED: "persons_disciplined",
    CorrectableField.FUNDS_RECOVERED: "funds_recovered",
}


# What the counts are kept by: who may see the clues, and the filters a count answers.
_COUNT_KEY_SQL = "visible_to, tenant_id, receiving_tenant_id, status, priority, category"

# Who may see the clue `c` (a row of rm_clues): its registering and receiving offices and the
# owner of its unit, sorted, without repeats.
_VISIBLE_TO_SQL = (
    "ARRAY(SELECT DISTINCT t FROM unnest(ARRAY[c.tenant_id, c.receiving_tenant_id, "
    "(SELECT u.tenant_id FROM rm_clue_units u WHERE u.unit_id = c.unit_id)]) AS t "
    "WHERE t IS NOT NULL ORDER BY t)"
)


class ClueLedger(Projection):
    name = "clue_ledger"
    tables = ("rm_clues", "rm_clue_units", "rm_clue_calendar_years", "rm_clue_counts")
    row_rules: ClassVar[dict[str, str]] = {
        # `visible_to`: the registering and receiving offices and the owner of the clue's unit.
        "rm_clues": any_visible("visible_to"),
        "rm_clue_units": visible("tenant_id"),
        "rm_clue_counts": any_visible("visible_to"),
        "rm_clue_calendar_years": "true",  # the official calendar is public
    }
    # The counts as of a past moment are counted from the clues as of then.
    as_of_views: ClassVar[dict[str, str]] = {
        "rm_clue_counts": f"SELECT {_COUNT_KEY_SQL}, count(*) AS clues FROM rm_clues "  # noqa: S608
        f"GROUP BY {_COUNT_KEY_SQL}"
    }
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
    ALTER TABLE rm_clues
        ADD COLUMN IF NOT EXISTS priority text,
        ADD COLUMN IF NOT EXISTS proposed_route text,
        ADD COLUMN IF NOT EXISTS handling_body text,
        ADD COLUMN IF NOT EXISTS receiving_tenant_id uuid,
        ADD COLUMN IF NOT EXISTS transferred_on date,
        ADD COLUMN IF NOT EXISTS due_date date,
        ADD COLUMN IF NOT EXISTS working_days integer,
        ADD COLUMN IF NOT EXISTS due_provisional boolean NOT NULL DEFAULT false,
        ADD COLUMN IF NOT EXISTS provisional_from date,
        ADD COLUMN IF NOT EXISTS provisional_remaining integer NOT NULL DEFAULT 0,
        ADD COLUMN IF NOT EXISTS supervision_step text,
        ADD COLUMN IF NOT EXISTS warning_final_date date,
        ADD COLUMN IF NOT EXISTS last_progress text,
        ADD COLUMN IF NOT EXISTS disposition text,
        ADD COLUMN IF NOT EXISTS persons_disciplined integer,
        ADD COLUMN IF NOT EXISTS funds_recovered numeric(18, 2),
        ADD COLUMN IF NOT EXISTS closed_in_ledger boolean NOT NULL DEFAULT false,
        ADD COLUMN IF NOT EXISTS concluded_on date,
        ADD COLUMN IF NOT EXISTS informant_status text NOT NULL DEFAULT 'NONE',
        ADD COLUMN IF NOT EXISTS informant_sealed text;
    -- The open-due index of an earlier version, replaced below; only in this schema (a rebuild
    -- runs this with the shadow schema first, the live tables' `public` after it).
    DO $$
    BEGIN
        EXECUTE format('DROP INDEX IF EXISTS %I.rm_clues_due', current_schema());
    END $$;
    CREATE INDEX IF NOT EXISTS rm_clues_round ON rm_clues (round_id, position);
    CREATE INDEX IF NOT EXISTS rm_clues_receiver ON rm_clues (receiving_tenant_id, position);
    -- Who owns each unit, for the scope of the ledger: its own copy, so it depends on no
    -- other view's tables.
    CREATE TABLE IF NOT EXISTS rm_clue_units (
        unit_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_clue_units_tenant ON rm_clue_units (tenant_id);
    -- One index per order the ledger pages by, the log position breaking ties (keyset pages).
    CREATE INDEX IF NOT EXISTS rm_clues_by_due_date ON rm_clues (due_date, position);
    CREATE INDEX IF NOT EXISTS rm_clues_by_amount ON rm_clues (amount_involved, position);
    CREATE INDEX IF NOT EXISTS rm_clues_by_funds ON rm_clues (funds_recovered, position);
    CREATE INDEX IF NOT EXISTS rm_clues_by_category ON rm_clues (category, position);
    CREATE INDEX IF NOT EXISTS rm_clues_by_status ON rm_clues (status, position);
    CREATE INDEX IF NOT EXISTS rm_clues_by_unit ON rm_clues (unit_id, position);
    CREATE INDEX IF NOT EXISTS rm_clues_position ON rm_clues (position);
    -- How many clues each visibility set has by registering and receiving office, status,
    -- priority and category, so the ledger's total count for those filters is exact without
    -- a scan.
    CREATE TABLE IF NOT EXISTS rm_clue_counts (
        visible_to uuid[] NOT NULL,
        tenant_id uuid NOT NULL,
        receiving_tenant_id uuid,
        status text NOT NULL,
        priority text,
        category text NOT NULL,
        clues bigint NOT NULL
    );
    CREATE UNIQUE INDEX IF NOT EXISTS rm_clue_counts_key ON rm_clue_counts
        (visible_to, tenant_id, receiving_tenant_id, status, priority, category) NULLS NOT DISTINCT;
    CREATE TABLE IF NOT EXISTS rm_clue_calendar_years (
        year integer PRIMARY KEY,
        holidays date[] NOT NULL,
        working_weekends date[] NOT NULL
    );
    -- `visible_to`: who may see the clue (`_VISIBLE_TO_SQL`), kept by this projection so that
    -- row security and the ledger's scope filter are one indexable condition (`visible_to &&
    -- the visible tenants`). A ledger of an earlier version gains it and the counts at once,
    -- so no clue leaves anyone's ledger while the upgrade waits for its rebuild.
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'rm_clues'::regclass
                       AND attname = 'visible_to' AND NOT attisdropped) THEN
            ALTER TABLE rm_clues ADD COLUMN visible_to uuid[] NOT NULL DEFAULT '{}';
            UPDATE rm_clues AS c SET visible_to = {visible_to};
            DELETE FROM rm_clue_counts;
            INSERT INTO rm_clue_counts ({counted}, clues)
            SELECT {counted}, count(*) FROM rm_clues GROUP BY {counted};
        END IF;
    END $$;
    CREATE INDEX IF NOT EXISTS rm_clues_visible_to ON rm_clues USING gin (visible_to);
    -- Open clues by due date, with who may see them: counting overdue clues reads the index
    -- only.
    CREATE INDEX IF NOT EXISTS rm_clues_open_due ON rm_clues (due_date) INCLUDE (visible_to)
        WHERE status <> 'CONCLUDED';
    """.replace("{visible_to}", _VISIBLE_TO_SQL).replace("{counted}", _COUNT_KEY_SQL)

    # Sole writer of its tables (a rebuild's shadow): nothing to hold rows against, and the
    # loaded calendar changes only through this instance, so it is kept in memory.
    _sole_writer = False
    _calendar: WorkCalendar | None = None
    # A sole writer also keeps the counts' changes in memory and writes them once per batch.
    _tally: _Tally | None = None

    def for_rebuild(self) -> ClueLedger:
        alone = copy.copy(self)
        alone._sole_writer, alone._calendar, alone._tally = True, None, _Tally()
        return alone

    def flush(self, cur: Cursor[Any]) -> None:
        if self._tally is not None:
            self._tally.write(cur)

    @singledispatchmethod
    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        """Events this view does not need are passed over."""

    def _hold_unit(self, cur: Cursor[Any], unit_id: Any) -> None:
        if not self._sole_writer:
            _hold_unit(cur, unit_id)

    def _loaded_calendar(self, cur: Cursor[Any]) -> WorkCalendar:
        if not self._sole_writer:
            return _loaded_calendar(cur)
        if self._calendar is None:
            self._calendar = _loaded_calendar(cur)
        return self._calendar

    def _update(self, cur: Cursor[Any], event: Any, **columns: Any) -> None:
        """Set `columns` (names fixed in this module, values as parameters) on the clue's row,
        keeping its visibility and the counts in step."""
        if self._tally is not None:
            columns = self._tally.update(event.originator_id, columns)
            cur.execute(
                _update_query(tuple(columns)),
                [*columns.values(), event.originator_version, event.originator_id],
            )
            return
        one = (_ONE_CLUE, [event.originator_id])
        counted = not _COUNTED.isdisjoint(columns)
        if counted:
            if not self._sole_writer:
                _hold(cur, *one)
            _count(cur, *one, -1)
        cur.execute(
            _update_query(tuple(columns)),
            [*columns.values(), event.originator_version, event.originator_id],
        )
        if "receiving_tenant_id" in columns:
            _derive_visibility(cur, *one)
        if counted:
            _count(cur, *one, +1)

    @apply.register
    def _(self, event: Unit.Registered, cur: Cursor[Any], position: int) -> None:
        self._hold_unit(cur, event.originator_id)
        cur.execute(
            "INSERT INTO rm_clue_units (unit_id, tenant_id) VALUES (%s, %s)",
            (event.originator_id, event.tenant_id),
        )
        self._unit_owner_changed(cur, event.originator_id, event.tenant_id)

    @apply.register
    def _(self, event: Unit.Reassigned, cur: Cursor[Any], position: int) -> None:
        self._hold_unit(cur, event.originator_id)
        cur.execute(
            "UPDATE rm_clue_units SET tenant_id = %s WHERE unit_id = %s",
            (event.to_tenant_id, event.originator_id),
        )
        self._unit_owner_changed(cur, event.originator_id, event.to_tenant_id)

    def _unit_owner_changed(self, cur: Cursor[Any], unit_id: Any, owner: Any) -> None:
        if self._tally is None:
            _unit_owner_changed(cur, unit_id)
        elif self._tally.owner_changed(unit_id, owner):
            _derive_visibility(cur, _UNIT_CLUES, [unit_id])

    @apply.register
    def _(self, event: Clue.Registered, cur: Cursor[Any], position: int) -> None:
        sealed = event.informant_sealed
        self._hold_unit(cur, event.unit_id)
        row = [
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
            "NONE" if sealed is None else "SEALED",
            sealed,
        ]
        if self._tally is not None:
            visible_to = self._tally.registered(event)
            cur.execute(_insert_query(with_visibility=True), [*row, visible_to])
            return
        cur.execute(_insert_query(with_visibility=False), row)
        one = (_ONE_CLUE, [event.originator_id])
        _derive_visibility(cur, *one)
        _count(cur, *one, +1)

    @apply.register
    def _(self, event: Clue.Triaged, cur: Cursor[Any], position: int) -> None:
        self._update(
            cur,
            event,
            status="TRIAGED",
            priority=event.priority,
            proposed_route=event.proposed_route,
        )

    @apply.register
    def _(self, event: Clue.Transferred, cur: Cursor[Any], position: int) -> None:
        deadline = Deadline(
            due_date=event.due_date,
            provisional=event.due_provisional,
            working_days=event.working_days,
            provisional_from=event.provisional_from,
            provisional_remaining=event.provisional_remaining,
        )
        if deadline.provisional:  # a year loaded meanwhile may already settle it
            deadline = deadline.settled(self._loaded_calendar(cur))
        self._update(
            cur,
            event,
            status="TRANSFERRED",
            handling_body=event.handling_body,
            receiving_tenant_id=event.receiving_tenant_id,
            transferred_on=event.transferred_on,
            supervision_step=None,
            warning_final_date=None,
            **_deadline_columns(deadline),
        )

    @apply.register
    def _(self, event: Clue.Accepted, cur: Cursor[Any], position: int) -> None:
        self._update(cur, event, status="ACCEPTED")

    @apply.register
    def _(self, event: Clue.ProgressReported, cur: Cursor[Any], position: int) -> None:
        self._update(cur, event, last_progress=event.progress)

    @apply.register
    def _(self, event: Clue.Concluded, cur: Cursor[Any], position: int) -> None:
        self._update(
            cur,
            event,
            status="CONCLUDED",
            disposition=event.disposition,
            persons_disciplined=event.persons_disciplined,
            funds_recovered=event.funds_recovered,
            closed_in_ledger=event.closed_in_ledger,
            concluded_on=event.concluded_on,
        )

    @apply.register
    def _(self, event: Clue.Supervised, cur: Cursor[Any], position: int) -> None:
        columns: dict[str, Any] = {"supervision_step": event.step}
        if event.final_date is not None:
            columns["warning_final_date"] = event.final_date
        self._update(cur, event, **columns)

    @apply.register
    def _(self, event: Clue.Corrected, cur: Cursor[Any], position: int) -> None:
        field = CorrectableField(event.field)
        value = corrections.parse(field, event.new_value)
        if field is CorrectableField.DUE_DATE:
            self._update(cur, event, **_deadline_columns(Deadline(due_date=value)))
        else:
            self._update(cur, event, **{_CORRECTED_COLUMN[field]: value})

    @apply.register
    def _(self, event: Clue.InformantErased, cur: Cursor[Any], position: int) -> None:
        self._update(cur, event, informant_status="ERASED", informant_sealed=None)

    @apply.register
    def _(self, event: CalendarYear.Loaded, cur: Cursor[Any], position: int) -> None:
        self._calendar_loaded(schedule_of(event), cur)

    @apply.register
    def _(self, event: CalendarYear.Revised, cur: Cursor[Any], position: int) -> None:
        self._calendar_loaded(schedule_of(event), cur)

    def _calendar_loaded(self, schedule: YearSchedule, cur: Cursor[Any]) -> None:
        """Keep the year, then recount every provisional due date that runs into it."""
        cur.execute(
            "INSERT INTO rm_clue_calendar_years (year, holidays, working_weekends) "
            "VALUES (%s, %s, %s) ON CONFLICT (year) DO UPDATE SET holidays = EXCLUDED.holidays,"
            " working_weekends = EXCLUDED.working_weekends",
            (schedule.year, sorted(schedule.holidays), sorted(schedule.working_weekends)),
        )
        self._calendar = None
        calendar = self._loaded_calendar(cur)
        rows = cur.execute(
            "SELECT clue_id, due_date, working_days, provisional_from, provisional_remaining "
            "FROM rm_clues WHERE due_provisional AND provisional_from < %s",
            (date(schedule.year + 1, 1, 1),),
        ).fetchall()
        for clue_id, due_date, working_days, anchor, remaining in rows:
            deadline = Deadline(
                due_date=due_date,
                provisional=True,
                working_days=working_days,
                provisional_from=anchor,
                provisional_remaining=remaining,
            ).settled(calendar)
            columns = _deadline_columns(deadline)
            assignments = sql.SQL(", ").join(
                sql.SQL("{} = %s").format(sql.Identifier(name)) for name in columns
            )
            cur.execute(
                sql.SQL("UPDATE rm_clues SET {} WHERE clue_id = %s").format(assignments),
                [*columns.values(), clue_id],
            )


# Columns a count is kept by (besides `visible_to`, which `_derive_visibility` sets).
_COUNTED = frozenset(_COUNT_KEY_SQL.split(", ")) - {"visible_to"}


class _Tally:
    """What a sole writer of the ledger (a rebuild's shadow, which sees every event from the
    start of the log, in order) knows of each clue's counted columns and each unit's owner,
    and the changes to the counts since they were last written: the counts cost it one
    statement per batch instead of three per counted change. Its changes are committed with
    the batch or the rebuild fails, so it never runs ahead of the tables."""

    def __init__(self) -> None:
        self.owners: dict[Any, Any] = {}
        self.clues: dict[Any, dict[str, Any]] = {}
        self.clues_of_unit: dict[Any, list[dict[str, Any]]] = {}
        # Per count key, clues added minus clues taken away. A key keeps its row at zero, as
        # it does in the live ledger, which never deletes a count row.
        self.changes: Counter[tuple[Any, ...]] = Counter()

    def registered(self, event: Any) -> list[Any]:
        """Count the newly registered clue; who may see it."""
        clue = {
            "tenant_id": event.tenant_id,
            "receiving_tenant_id": None,
            "status": "REGISTERED",
            "priority": None,
            "category": event.category,
            "unit_id": event.unit_id,
        }
        self.clues[event.originator_id] = clue
        self.clues_of_unit.setdefault(event.unit_id, []).append(clue)
        self.changes[self._key(clue)] += 1
        return self._visible_to(clue)

    def update(self, clue_id: Any, columns: dict[str, Any]) -> dict[str, Any]:
        """Recount the clue for the new `columns`; the columns to set on its row (with its
        new `visible_to` when its receiving office changes)."""
        clue = self.clues.get(clue_id)
        counted = _COUNTED.intersection(columns)
        if clue is None or not counted:  # no row (nothing to count, as live), or no count
            return columns
        self.changes[self._key(clue)] -= 1
        clue.update((name, columns[name]) for name in counted)
        self.changes[self._key(clue)] += 1
        if "receiving_tenant_id" in columns:
            return {**columns, "visible_to": self._visible_to(clue)}
        return columns

    def owner_changed(self, unit_id: Any, owner: Any) -> bool:
        """Recount the unit's clues for its new owner; whether it has any."""
        clues = self.clues_of_unit.get(unit_id, [])
        for clue in clues:
            self.changes[self._key(clue)] -= 1
        self.owners[unit_id] = owner
        for clue in clues:
            self.changes[self._key(clue)] += 1
        return bool(clues)

    def write(self, cur: Cursor[Any]) -> None:
        """Add the changes to the counts in one statement (as one JSON parameter, which costs
        the client less than a parameter per value)."""
        if not self.changes:
            return
        names = (*_COUNT_KEY_SQL.split(", "), "clues")
        rows = [
            dict(zip(names, (*key, change), strict=True)) for key, change in self.changes.items()
        ]
        cur.execute(_COUNTS_QUERY, [json.dumps(rows, default=str)])
        self.changes.clear()

    def _visible_to(self, clue: dict[str, Any]) -> list[Any]:
        """As `_VISIBLE_TO_SQL`: Python orders UUIDs as PostgreSQL does (by their bytes)."""
        offices = (clue["tenant_id"], clue["receiving_tenant_id"], self.owners.get(clue["unit_id"]))
        return sorted({office for office in offices if office is not None})

    def _key(self, clue: dict[str, Any]) -> tuple[Any, ...]:
        return (
            tuple(self._visible_to(clue)),
            clue["tenant_id"],
            clue["receiving_tenant_id"],
            clue["status"],
            clue["priority"],
            clue["category"],
        )


# Adds changes (count key, then clues added, as JSON objects) to the counts.
_COUNTS_QUERY = (
    sql.SQL(
        "INSERT INTO rm_clue_counts AS k ({key}, clues) SELECT {key}, clues "
        "FROM jsonb_to_recordset(%s::jsonb) AS x(visible_to uuid[], tenant_id uuid, "
        "receiving_tenant_id uuid, status text, priority text, category text, clues bigint) "
        "ON CONFLICT ({key}) DO UPDATE SET clues = k.clues + EXCLUDED.clues"
    )
    .format(key=sql.SQL(_COUNT_KEY_SQL))
    .as_string()
)


@cache
def _insert_query(*, with_visibility: bool) -> str:
    """A registered clue's row; with its `visible_to` when the caller knows it."""
    extra = sql.SQL(", visible_to" if with_visibility else "")
    value = sql.SQL(", %s" if with_visibility else "")
    query = sql.SQL(
        "INSERT INTO rm_clues (clue_id, tenant_id, round_id, unit_id, source, category, "
        "summary, persons_concerned, amount_involved, status, registered_at, registered_by, "
        "version, position, informant_status, informant_sealed{}) VALUES (%s, %s, %s, %s, %s, "
        "%s, %s, %s, %s, 'REGISTERED', %s, %s, %s, %s, %s, %s{})"
    )
    return query.format(extra, value).as_string()


class _Clues(Enum):
    """Which clues (rows `c` of rm_clues) a statement below is for."""

    ONE = "clue_id = %s"
    OF_UNIT = "c.unit_id = %s"
    EVERY = "TRUE"

    @property
    def condition(self) -> sql.SQL:
        return sql.SQL(self.value)


_ONE_CLUE, _UNIT_CLUES, _EVERY_CLUE = _Clues.ONE, _Clues.OF_UNIT, _Clues.EVERY


@cache
def _update_query(columns: tuple[str, ...]) -> str:
    """Set `columns` and the version on one clue (made once per set of columns: a ledger
    applies many events)."""
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = %s").format(sql.Identifier(name)) for name in columns
    )
    query = sql.SQL("UPDATE rm_clues SET {}, version = %s WHERE clue_id = %s")
    return query.format(assignments).as_string()


def _derive_visibility(cur: Cursor[Any], where: _Clues, params: list[Any]) -> None:
    """Set `visible_to` on the clues matching `where` (on `rm_clues AS c`) from their offices."""
    cur.execute(_visibility_query(where), params)


@cache
def _visibility_query(where: _Clues) -> str:
    query = sql.SQL("UPDATE rm_clues AS c SET visible_to = {} WHERE {}")
    return query.format(sql.SQL(_VISIBLE_TO_SQL), where.condition).as_string()


def _count(cur: Cursor[Any], where: _Clues, params: list[Any], sign: int) -> None:
    """Add (`sign` +1) or take away (-1) the clues matching `where` to or from the counts."""
    cur.execute(_count_query(where), [sign, *params])


@cache
def _count_query(where: _Clues) -> str:
    key = sql.SQL(_COUNT_KEY_SQL)
    query = sql.SQL(
        "INSERT INTO rm_clue_counts AS k ({}, clues) "
        "SELECT {}, %s * count(*) FROM rm_clues AS c WHERE {} GROUP BY {} "
        "ON CONFLICT ({}) DO UPDATE SET clues = k.clues + EXCLUDED.clues"
    )
    return query.format(key, key, where.condition, key, key).as_string()


def _hold_unit(cur: Cursor[Any], unit_id: Any) -> None:
    """Wait for, then keep out until commit, other transactions changing who may see the
    unit's clues. In distributed mode a unit's and its clues' events may be applied at once
    by workers of different partitions: the one waiting then sees what the other wrote."""
    cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 11))", (f"unit/{unit_id}",))


def _hold(cur: Cursor[Any], where: _Clues, params: list[Any]) -> None:
    """Hold the clues matching `where` (their units first, as `_hold_unit` does, then their
    rows), so their counts are taken away and added back as they are."""
    units = cur.execute(
        sql.SQL("SELECT DISTINCT unit_id FROM rm_clues AS c WHERE {} ORDER BY 1").format(
            where.condition
        ),
        params,
    ).fetchall()
    for (unit_id,) in units:
        _hold_unit(cur, unit_id)
    cur.execute(
        sql.SQL("SELECT 1 FROM rm_clues AS c WHERE {} FOR UPDATE").format(where.condition), params
    )


def _unit_owner_changed(cur: Cursor[Any], unit_id: Any) -> None:
    """The unit's clues are now visible to its (new) owner, and counted so."""
    of_unit = (_UNIT_CLUES, [unit_id])
    cur.execute("SELECT 1 FROM rm_clues WHERE unit_id = %s FOR UPDATE", (unit_id,))
    _count(cur, *of_unit, -1)
    _derive_visibility(cur, *of_unit)
    _count(cur, *of_unit, +1)


def recount(cur: Cursor[Any]) -> None:
    """Derive every clue's visibility and all counts afresh (for read models filled in bulk)."""
    everything: tuple[_Clues, list[Any]] = (_EVERY_CLUE, [])
    cur.execute("DELETE FROM rm_clue_counts")
    _derive_visibility(cur, *everything)
    _count(cur, *everything, +1)


def _deadline_columns(deadline: Deadline) -> dict[str, Any]:
    return {
        "due_date": deadline.due_date,
        "working_days": deadline.working_days,
        "due_provisional": deadline.provisional,
        "provisional_from": deadline.provisional_from,
        "provisional_remaining": deadline.provisional_remaining,
    }


def _loaded_calendar(cur: Cursor[Any]) -> WorkCalendar:
    rows = cur.execute(
        "SELECT year, holidays, working_weekends FROM rm_clue_calendar_years"
    ).fetchall()
    return WorkCalendar(
        YearSchedule(year, frozenset(holidays), frozenset(weekends))
        for year, holidays, weekends in rows
    )


# --- reading the ledger ---------------------------------------------------------------------
