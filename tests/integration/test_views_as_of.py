"""Every view as of a log position equals the same view on a database rebuilt from the events up
to that position: for random histories of registrations, transfers between offices,
corrections, county merges, renamings and informant erasures, and random positions, each table
of every projection read through its `xuncha_asof` view (projections/history.py) holds the
same rows as the table built by the rebuild machinery from the log's prefix, and the ledger and
statistics read the same from both."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import Connection, sql

from domain.clues.values import (
    ClueSource,
    CorrectableField,
    HandlingBody,
    InformantIdentity,
    PriorityClass,
)
from domain.errors import XunChaError
from infrastructure.feeds.rebuild import build_copy, rebuild_all
from projections import clue_ledger_read, history, statistics
from projections.base import Projection
from projections.clue_ledger_read import LedgerFilter
from services.authorization import CONSOLE
from services.runtime import Runtime
from tests.support.two_cities import World, seed_two_cities

PREFIX = "xuncha_prefix"
DAY = date(2026, 11, 23)


@dataclass
class Story:
    """What the random history has made so far, for the next steps to act on."""

    world: World
    clues: list[UUID] = field(default_factory=list)
    merged: bool = False


@pytest.fixture
def story(runtime: Runtime) -> Story:
    runtime.clues.today = lambda: DAY
    world = seed_two_cities(runtime)
    return Story(world, [world.x1_clue, world.y1_clue])


def pick(data: st.DataObject, items: list[Any]) -> Any:
    """One of `items`, drawn the same way however many there are (the examples share one
    growing history, so the lists differ from one run of an example to the next)."""
    return items[data.draw(st.integers(0, 999)) % len(items)]


def _register(runtime: Runtime, story: Story, data: st.DataObject) -> None:
    w = story.world
    office, unit = data.draw(
        st.sampled_from([(w.x1, sorted(w.x1_units)[0]), (w.x2, w.x2_other), (w.y1, w.y1_unit)])
    )
    informant = data.draw(st.sampled_from([None, InformantIdentity(name="举报人甲")]))
    written = runtime.clues.register_clue(
        acting=CONSOLE,
        tenant_id=office,
        unit_id=unit,
        round_id=None,
        source=ClueSource.PETITION,
        category=data.draw(st.sampled_from(["三资管理", "作风问题"])),
        summary="线索",
        persons_concerned=[],
        amount_involved=None,
        informant=informant,
    )
    story.clues.append(written.id)


def _transfer(runtime: Runtime, story: Story, data: st.DataObject) -> None:
    clue = pick(data, story.clues)
    receiver = data.draw(st.sampled_from([story.world.x1, story.world.x2, story.world.y1]))
    _transfer_to(runtime, clue, receiver)


def _correct(runtime: Runtime, story: Story, data: st.DataObject) -> None:
    runtime.clues.correct_clue(
        pick(data, story.clues),
        field=CorrectableField.SUMMARY,
        new_value=data.draw(st.sampled_from(["更正甲", "更正乙"])),
        reason="核实",
        acting=CONSOLE,
    )


def _erase(runtime: Runtime, story: Story, data: st.DataObject) -> None:
    runtime.clues.erase_informant(pick(data, story.clues), reason="依法删除", acting=CONSOLE)


def _merge(runtime: Runtime, story: Story, data: st.DataObject | None) -> None:
    w = story.world
    runtime.tenants.merge_county(
        acting=CONSOLE,
        county_id=w.x1,
        into_id=w.x2,
        units=sorted(w.x1_units),
        effective_on=DAY,
        reason="区划调整",
    )
    story.merged = True


def _rename(runtime: Runtime, story: Story, data: st.DataObject) -> None:
    runtime.tenants.rename_county(
        acting=CONSOLE,
        county_id=data.draw(st.sampled_from([story.world.x2, story.world.y1])),
        name=data.draw(st.sampled_from(["新名甲", "新名乙"])),
        effective_on=DAY,
        reason="更名",
    )


STEPS = [_register, _transfer, _correct, _erase, _merge, _rename]


def _rows(conn: Connection[Any], table: sql.Composable) -> list[str]:
    query = sql.SQL("SELECT t::text FROM {} AS t ORDER BY 1").format(table)
    return [text for (text,) in conn.execute(query)]


def _schema(projection: Projection) -> str:
    return f"{PREFIX}_{projection.name}"


@pytest.fixture
def prefix(runtime: Runtime) -> Iterator[None]:
    yield
    with psycopg.connect(runtime.database.url, autocommit=True) as conn:
        for projection in runtime.projections:
            name = sql.Identifier(_schema(projection))
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(name))


def _views(conn: Connection[Any]) -> tuple[Any, ...]:
    """The ledger's first page and the statistics, as the connection reads them."""
    ledger = clue_ledger_read.page(
        conn, which=LedgerFilter(), today=DAY, first=500, after=None, sort="REGISTERED"
    )
    figures = statistics.statistics(conn, end=DAY)
    return [row for _, row in ledger.items], ledger.total_count, figures


def _compare_at(runtime: Runtime, position: int) -> None:
    for projection in runtime.projections:
        build_copy(runtime, projection, _schema(projection), upto=position)
    with runtime.reads.connection() as conn, conn.transaction():
        rebuilt_views = _prefix_views(conn, runtime.projections)
        with history.reading_as_of(conn, position):
            past_views = _views(conn)
            for projection in runtime.projections:
                for table in projection.tables:
                    past = _rows(conn, sql.Identifier(table))
                    rebuilt = _rows(conn, sql.Identifier(_schema(projection), table))
                    if table in projection.as_of_views:  # running totals that reached zero
                        rebuilt = [r for r in rebuilt if not r.endswith(",0)")]
                    assert past == rebuilt, f"{table} as of {position}"
    assert past_views == rebuilt_views, f"ledger and statistics as of {position}"


def _prefix_views(conn: Connection[Any], projections: list[Projection]) -> Any:
    row = conn.execute("SELECT current_setting('search_path')").fetchone()
    assert row is not None
    schemas = ", ".join(_schema(p) for p in projections)
    conn.execute("SELECT set_config('search_path', %s, true)", (f"{schemas}, {row[0]}",))
    found = _views(conn)
    conn.execute("SELECT set_config('search_path', %s, true)", (row[0],))
    return found


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_view_as_of_a_position_equals_the_view_rebuilt_from_the_events_up_to_it(
    runtime: Runtime, story: Story, prefix: None, data: st.DataObject
) -> None:
    # Examples share the database: each adds to the history the ones before it made.
    for step in data.draw(st.lists(st.sampled_from(STEPS), min_size=1, max_size=6)):
        # a refused command (a merged county, a clue already erased) writes nothing
        with suppress(XunChaError):
            step(runtime, story, data)
    head = runtime.store.max_position()
    runtime.wait_for_projections(head)
    for share in data.draw(st.lists(st.integers(0, 999), min_size=1, max_size=3)):
        _compare_at(runtime, 1 + share * head // 1000)


def _past(runtime: Runtime, positions: list[int]) -> dict[tuple[int, str], list[str]]:
    """Every table as of each position, read through the `xuncha_asof` views."""
    found = {}
    with runtime.reads.connection() as conn, conn.transaction():
        for position in positions:
            with history.reading_as_of(conn, position):
                for projection in runtime.projections:
                    for table in projection.tables:
                        found[position, table] = _rows(conn, sql.Identifier(table))
    return found


def test_a_rebuild_makes_the_same_past_and_points_the_views_at_it(
    runtime: Runtime, story: Story
) -> None:
    w = story.world
    _transfer_to(runtime, w.x1_clue, w.x2)
    _merge(runtime, story, None)
    head = runtime.store.max_position()
    runtime.wait_for_projections(head)
    positions = [1, head // 3, head // 2, head - 1, head]
    before = _past(runtime, positions)

    rebuild_all(runtime, runtime.projections)

    assert _past(runtime, positions) == before
    assert any(rows for (position, _), rows in before.items() if position == head // 2)


def _transfer_to(runtime: Runtime, clue: UUID, receiver: UUID) -> None:
    runtime.clues.triage_clue(
        clue, priority=PriorityClass.KEY, proposed_route="移交", acting=CONSOLE
    )
    runtime.clues.transfer_clue(
        clue,
        body=HandlingBody.DISCIPLINE_COMMISSION,
        receiving_tenant_id=receiver,
        due_date=date(2026, 12, 31),
        acting=CONSOLE,
    )
