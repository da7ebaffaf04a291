"""The round view: every round as planned and as it stands (phase and dates, petition
channels, team, recusals, the groups and townships of a cross round inside an office), with
the clues registered under it, for `round(id)` and the lists of escalated, linked, joint and
cross rounds. Reads are in `rounds_read`."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Cursor
from psycopg.types.json import Jsonb

from domain.clues.clue import Clue
from domain.rounds.office_cross import Crossing
from domain.rounds.round import Round
from projections.base import Projection
from projections.row_security import any_visible, either, visible

_OF_A_VISIBLE_ROUND = "round_id IN (SELECT round_id FROM rm_rounds)"


class RoundsView(Projection):
    name = "rounds"
    tables = (
        "rm_rounds",
        "rm_round_team",
        "rm_round_recusals",
        "rm_round_clues",
        "rm_round_clue_counts",
        "rm_round_links",
    )
    row_rules: ClassVar[dict[str, str]] = {
        # The offices taking part (organiser, city, co-organisers, inspecting county), the
        # owners of its target units, and the organisers of the rounds linked to it (a county
        # sees its city's parent round); the rest of a round shows with the round.
        "rm_rounds": either(
            visible("tenant_id"),
            visible("city_id"),
            any_visible("co_organiser_ids"),
            visible("inspecting_county_id"),
            visible("owning_county_id"),
            any_visible("target_owner_ids"),
            "round_id IN (SELECT parent_id FROM rm_round_links)",
        ),
        "rm_round_team": _OF_A_VISIBLE_ROUND,
        "rm_round_recusals": _OF_A_VISIBLE_ROUND,
        "rm_round_clues": _OF_A_VISIBLE_ROUND,
        "rm_round_clue_counts": _OF_A_VISIBLE_ROUND,
        "rm_round_links": visible("organiser_id"),
    }
    ddl = """
    CREATE TABLE IF NOT EXISTS rm_rounds (
        round_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        city_id uuid NOT NULL,
        kind text NOT NULL,
        theme text,
        revisit_of uuid,
        linkage text NOT NULL,
        title text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        targets jsonb NOT NULL,
        target_owner_ids uuid[] NOT NULL,
        co_organiser_ids uuid[] NOT NULL,
        parent_id uuid,
        inspecting_county_id uuid,
        owning_county_id uuid,
        batch_id uuid,
        staffing jsonb NOT NULL,
        phase text NOT NULL,
        phase_dates jsonb NOT NULL,
        channels jsonb NOT NULL,
        crossing jsonb,
        planned_at timestamptz NOT NULL,
        version integer NOT NULL,
        position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_rounds_city ON rm_rounds (city_id, linkage, position);
    CREATE INDEX IF NOT EXISTS rm_rounds_parent ON rm_rounds (parent_id);
    CREATE TABLE IF NOT EXISTS rm_round_team (
        round_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        inspector_id uuid NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        home_tenant_id uuid NOT NULL,
        recused boolean NOT NULL DEFAULT false,
        position bigint NOT NULL,
        PRIMARY KEY (round_id, inspector_id)
    );
    CREATE TABLE IF NOT EXISTS rm_round_recusals (
        round_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        inspector_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        reason text NOT NULL,
        declared_on date NOT NULL,
        PRIMARY KEY (round_id, inspector_id, unit_id)
    );
    CREATE TABLE IF NOT EXISTS rm_round_clues (
        clue_id uuid PRIMARY KEY,
        round_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        due_date date,
        concluded boolean NOT NULL DEFAULT false
    );
    CREATE INDEX IF NOT EXISTS rm_round_clues_round ON rm_round_clues (round_id);
    -- A round's progress reads its clues counted per unit, and only its open clues by due date
    -- (overdue depends on the day asked): not every clue it ever had.
    CREATE INDEX IF NOT EXISTS rm_round_clues_open_due ON rm_round_clues (round_id, due_date)
        INCLUDE (unit_id) WHERE NOT concluded;
    CREATE TABLE IF NOT EXISTS rm_round_clue_counts (
        round_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        registered integer NOT NULL,
        open integer NOT NULL,
        PRIMARY KEY (round_id, unit_id)
    );
    -- Only inserted (so the order partitions apply it in does not matter): a round linked to
    -- a parent round, by its organiser.
    CREATE TABLE IF NOT EXISTS rm_round_links (
        parent_id uuid NOT NULL,
        organiser_id uuid NOT NULL,
        PRIMARY KEY (parent_id, organiser_id)
    );
    """

    @singledispatchmethod
    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        """Events this view does not need are passed over."""

    @apply.register
    def _(self, event: Round.Planned, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_rounds (round_id, tenant_id, city_id, kind, theme, revisit_of, "
            "linkage, title, period_start, period_end, targets, target_owner_ids, "
            "co_organiser_ids, parent_id, inspecting_county_id, owning_county_id, batch_id, "
            "staffing, phase, phase_dates, channels, planned_at, version, position) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
            "'PLANNED', %s, '{}', %s, %s, %s)",
            (
                event.originator_id,
                event.tenant_id,
                event.city_id,
                event.kind,
                event.theme,
                event.revisit_of,
                event.linkage,
                event.title,
                event.period_start,
                event.period_end,
                Jsonb([_target(t) for t in event.targets]),
                sorted({UUID(str(t["owner_id"])) for t in event.targets}, key=str),
                list(event.co_organiser_ids),
                event.parent_id,
                event.inspecting_county_id,
                event.owning_county_id,
                event.batch_id,
                Jsonb({role: str(t) for role, t in event.staffing.items()}),
                Jsonb({"PLANNED": event.timestamp.date().isoformat()}),
                event.timestamp,
                event.originator_version,
                position,
            ),
        )
        if event.parent_id is not None:
            cur.execute(
                "INSERT INTO rm_round_links (parent_id, organiser_id) VALUES (%s, %s) "
                "ON CONFLICT DO NOTHING",
                (event.parent_id, event.tenant_id),
            )

    def _touch(
        self, cur: Cursor[Any], event: Any, sql_set: str = "", params: tuple[Any, ...] = ()
    ) -> None:
        """Apply `sql_set` (if any) to the round's row and record the round's new version."""
        assignments = f"{sql_set}, version = %s" if sql_set else "version = %s"
        cur.execute(
            f"UPDATE rm_rounds SET {assignments} WHERE round_id = %s",  # noqa: S608
            (*params, event.originator_version, event.originator_id),
        )

    @apply.register
    def _(self, event: Round.PhaseAdvanced, cur: Cursor[Any], position: int) -> None:
        self._touch(
            cur,
            event,
            "phase = %s, phase_dates = phase_dates || %s",
            (event.phase, Jsonb({event.phase: _iso(event.on)})),
        )

    @apply.register
    def _(self, event: Round.PetitionChannelOpened, cur: Cursor[Any], position: int) -> None:
        state = {
            "address": event.address,
            "opened_on": _iso(event.opened_on),
            "closes_on": _iso(event.closes_on),
            "closed_on": None,
        }
        self._touch(cur, event, "channels = channels || %s", (Jsonb({event.channel: state}),))

    @apply.register
    def _(self, event: Round.PetitionChannelClosed, cur: Cursor[Any], position: int) -> None:
        self._touch(
            cur,
            event,
            "channels = jsonb_set(channels, %s, to_jsonb(%s::text))",
            ([event.channel, "closed_on"], _iso(event.closed_on)),
        )

    @apply.register
    def _(self, event: Round.GroupsAssigned, cur: Cursor[Any], position: int) -> None:
        crossing = {f.name: _text(getattr(event, f.name)) for f in fields(Crossing)}
        self._touch(cur, event, "crossing = %s", (Jsonb(crossing),))

    @apply.register
    def _(self, event: Round.InspectorAssigned, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_round_team (round_id, tenant_id, inspector_id, name, role, "
            "home_tenant_id, position) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.tenant_id,
                event.inspector_id,
                event.name,
                event.role,
                event.home_tenant_id,
                position,
            ),
        )
        self._touch(cur, event)

    @apply.register
    def _(self, event: Round.RecusalDeclared, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_round_recusals (round_id, tenant_id, inspector_id, unit_id, reason, "
            "declared_on) VALUES (%s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.tenant_id,
                event.inspector_id,
                event.unit_id,
                event.reason,
                event.declared_on,
            ),
        )
        cur.execute(
            "UPDATE rm_round_team SET recused = true WHERE round_id = %s AND inspector_id = %s",
            (event.originator_id, event.inspector_id),
        )
        self._touch(cur, event)

    @apply.register
    def _(self, event: Clue.Registered, cur: Cursor[Any], position: int) -> None:
        if event.round_id is None:
            return
        cur.execute(
            "WITH clue AS (INSERT INTO rm_round_clues (clue_id, round_id, tenant_id, unit_id) "
            "VALUES (%s, %s, %s, %s) RETURNING round_id, unit_id) "
            "INSERT INTO rm_round_clue_counts AS n (round_id, unit_id, registered, open) "
            "SELECT round_id, unit_id, 1, 1 FROM clue ON CONFLICT (round_id, unit_id) "
            "DO UPDATE SET registered = n.registered + 1, open = n.open + 1",
            (event.originator_id, event.round_id, event.tenant_id, event.unit_id),
        )

    @apply.register
    def _(self, event: Clue.Transferred, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_round_clues SET due_date = %s WHERE clue_id = %s",
            (event.due_date, event.originator_id),
        )

    @apply.register
    def _(self, event: Clue.Corrected, cur: Cursor[Any], position: int) -> None:
        if event.field == "DUE_DATE":
            cur.execute(
                "UPDATE rm_round_clues SET due_date = %s WHERE clue_id = %s",
                (date.fromisoformat(event.new_value), event.originator_id),
            )

    @apply.register
    def _(self, event: Clue.Concluded, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "WITH clue AS (UPDATE rm_round_clues SET concluded = true "
            "WHERE clue_id = %s AND NOT concluded RETURNING round_id, unit_id) "
            "UPDATE rm_round_clue_counts n SET open = n.open - 1 FROM clue "
            "WHERE n.round_id = clue.round_id AND n.unit_id = clue.unit_id",
            (event.originator_id,),
        )


def _target(record: dict[str, Any]) -> dict[str, Any]:
    """A target as JSON: ids as text, selection reasons (if any) as a list."""
    return {k: v if isinstance(v, list) else str(v) for k, v in record.items()}


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
