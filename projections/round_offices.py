"""The offices taking part in each round — organiser, city, co-organisers, inspecting county —
as a projection's own copy. Row-level security shows a round's rows to them (a cross round's
inspecting county, a joint round's co-organisers) without the projection's policies reading
another view's tables (projections/row_security.py says why they must not). Each such
projection keeps a table `(round_id uuid PRIMARY KEY, offices uuid[] NOT NULL)`, shown to the
offices (`any_visible("offices")`), and lets rows of those rounds show with it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Cursor, sql

from domain.rounds.round import Round


def offices_taking_part(event: Round.Planned) -> set[UUID]:
    offices = {event.tenant_id, event.city_id, *event.co_organiser_ids}
    if event.inspecting_county_id is not None:
        offices.add(event.inspecting_county_id)
    return offices


def record(cur: Cursor[Any], table: str, event: Round.Planned) -> None:
    cur.execute(
        sql.SQL("INSERT INTO {} (round_id, offices) VALUES (%s, %s) ON CONFLICT DO NOTHING").format(
            sql.Identifier(table)
        ),
        (event.originator_id, sorted(offices_taking_part(event), key=str)),
    )
