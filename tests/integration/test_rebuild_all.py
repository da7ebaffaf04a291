"""Rebuilding every projection from one read of the log gives the read models the live feed
built, row for row, with each projection tracked at the head and nothing parked."""

from __future__ import annotations

from typing import Any

from psycopg import Connection, sql

from infrastructure.feeds.rebuild import rebuild_all
from infrastructure.settings import Settings
from projections import tracking
from services.runtime import Runtime, running
from services.simulation import PROFILES, simulate

Tables = dict[str, list[str]]


def read_models(runtime: Runtime) -> Tables:
    """Every row of every read-model table, as text, in order."""
    with runtime.reads.connection() as conn:
        return {
            table: _rows(conn, table)
            for projection in runtime.projections
            for table in projection.tables
        }


def indexes(runtime: Runtime) -> dict[str, str]:
    """Every index of the read-model tables: its definition, by name."""
    tables = [table for projection in runtime.projections for table in projection.tables]
    with runtime.reads.connection() as conn:
        rows = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "AND tablename = ANY(%s)",
            (tables,),
        ).fetchall()
    return dict(rows)


def _rows(conn: Connection[Any], table: str) -> list[str]:
    query = sql.SQL("SELECT t::text FROM public.{} AS t ORDER BY 1").format(sql.Identifier(table))
    return [text for (text,) in conn.execute(query).fetchall()]


def test_one_pass_rebuild_of_all_projections_equals_what_the_live_feed_built(
    settings: Settings,
) -> None:
    with running(settings) as runtime:
        simulate(runtime, PROFILES["small"], 7)
        head = runtime.store.max_position()
        names = [p.name for p in runtime.projections]
        with runtime.reads.connection() as conn:
            assert tracking.wait_for(conn, names, head, timeout=600)
        built_live = read_models(runtime)
        indexed_live = indexes(runtime)
    assert sum(len(rows) for rows in built_live.values()) > 0

    with running(settings, feed=False) as runtime:
        rebuilt = rebuild_all(runtime, runtime.projections)
        assert [r.projection for r in rebuilt] == [p.name for p in runtime.projections]
        assert {r.position for r in rebuilt} == {head}
        assert read_models(runtime) == built_live
        assert indexes(runtime) == indexed_live
        with runtime.reads.connection() as conn:
            reached = tracking.positions(conn)
            assert tracking.parked(conn) == []
    assert {p.name: reached.get(p.name) for p in runtime.projections} == {
        p.name: head for p in runtime.projections
    }
