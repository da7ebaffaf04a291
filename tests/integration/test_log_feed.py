"""The in-process feed applies every event exactly once, tracking its position in the same
transaction as the read-model change, across restarts."""

import contextlib
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import Cursor

from domain.clues.clue import Clue
from domain.clues.values import ClueSource
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType
from infrastructure.settings import Settings
from projections import tracking
from projections.clue_ledger import ClueLedger
from projections.registry import all_projections
from services.authorization import CONSOLE
from services.runtime import Runtime, running


def seed(runtime: Runtime) -> int:
    city = runtime.tenants.register_tenant(
        code="3701", name="济南市", level=TenantLevel.CITY, parent_id=None, acting=CONSOLE
    ).id
    unit = runtime.tenants.register_unit(
        tenant_id=city,
        code="D1",
        name="市直部门",
        unit_type=UnitType.DEPARTMENT,
        parent_id=None,
        acting=CONSOLE,
    ).id
    written = runtime.clues.register_clue(
        tenant_id=city,
        unit_id=unit,
        round_id=None,
        source=ClueSource.AUDIT,
        category="工程项目",
        summary="项目结算多付工程款",
        persons_concerned=[],
        amount_involved=Decimal("88000.5"),
        acting=CONSOLE,
    )
    return written.position


def ledger_count(runtime: Runtime) -> int:
    with runtime.reads.connection() as conn:
        row = conn.execute("SELECT count(*) FROM rm_clues").fetchone()
        return row[0] if row else -1


def test_events_reach_the_ledger_and_are_never_applied_twice(settings: Settings) -> None:
    with running(settings) as first:
        position = seed(first)
        first.wait_for_projections(position)
        assert ledger_count(first) == 1
        # Running the feed again over the same log changes nothing.
        assert first.feed.catch_up() == 0
        with first.reads.connection() as conn:
            assert tracking.apply_batch(conn, ClueLedger(), [(position, object())]) == 0

    with running(settings) as second:
        second.wait_for_projections(position)
        assert ledger_count(second) == 1
        progress = second.projection_progress()
        assert progress["clue_ledger"] == {"position": position, "applied": position}
        assert progress["directory"] == {"position": position, "applied": position}


def test_a_projection_that_fails_leaves_no_partial_change(runtime: Runtime) -> None:
    position = seed(runtime)
    runtime.wait_for_projections(position)

    class Broken(ClueLedger):
        name = "broken"

        def apply(self, event: object, cur: object, position: int) -> None:
            cur.execute("DELETE FROM rm_clues")  # type: ignore[attr-defined]
            raise RuntimeError("boom")

    with runtime.reads.connection() as conn:
        with contextlib.suppress(RuntimeError):
            tracking.apply_batch(conn, Broken(), [(position + 1, object())])
        assert "broken" not in tracking.positions(conn)
    assert ledger_count(runtime) == 1


class LedgerThatLosesItsConnectionOnce(ClueLedger):
    def __init__(self) -> None:
        self.lost = False

    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        if isinstance(event, Clue.Registered) and not self.lost:
            self.lost = True
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        super().apply(event, cur, position)


def test_a_lost_connection_is_tried_again_not_parked(settings: Settings) -> None:
    ledger = LedgerThatLosesItsConnectionOnce()
    views = [ledger if p.name == ClueLedger.name else p for p in all_projections()]
    with running(settings, projections=views) as runtime:
        position = seed(runtime)
        runtime.wait_for_projections(position)
        assert ledger.lost
        assert ledger_count(runtime) == 1
        assert runtime.parked_events() == []
