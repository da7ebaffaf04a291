"""A clue ledger with a fault a fix removes, and the events that trip it: for the tests of
projections that fail alone (a real projection, fed by the real feeds)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Cursor

from domain.clues.clue import Clue
from domain.clues.values import ClueSource
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType
from projections import tracking
from projections.base import Projection
from projections.clue_ledger import ClueLedger
from projections.registry import all_projections
from services.authorization import CONSOLE
from services.runtime import Runtime

POISON = "线索摘要：这一条台账投影处理不了"


class FaultyLedger(ClueLedger):
    """The real clue ledger, with a fault a fix removes: while `faulty`, it cannot apply the
    registration of the clue summarised `POISON`."""

    def __init__(self) -> None:
        self.faulty = True

    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        if self.faulty and isinstance(event, Clue.Registered) and event.summary == POISON:
            raise ValueError("the ledger cannot apply this registration")
        super().apply(event, cur, position)


@dataclass(frozen=True)
class Written:
    city: UUID
    poisoned: UUID
    poisoned_at: int
    head: int


def with_ledger(ledger: FaultyLedger) -> list[Projection]:
    """Every projection XunCha runs, with `ledger` in place of the clue ledger."""
    return [ledger if p.name == ClueLedger.name else p for p in all_projections()]


def register_clue(runtime: Runtime, city: UUID, unit: UUID, summary: str) -> Any:
    return runtime.clues.register_clue(
        acting=CONSOLE,
        tenant_id=city,
        unit_id=unit,
        round_id=None,
        source=ClueSource.AUDIT,
        category="工程项目",
        summary=summary,
        persons_concerned=[],
        amount_involved=Decimal("1000"),
    )


def write(runtime: Runtime) -> Written:
    """A clue the ledger can apply, the one it cannot, then a unit and another clue."""
    city = runtime.tenants.register_tenant(
        acting=CONSOLE, code="3701", name="济南市", level=TenantLevel.CITY, parent_id=None
    ).id
    unit = runtime.tenants.register_unit(
        acting=CONSOLE,
        tenant_id=city,
        code="D1",
        name="市直部门",
        unit_type=UnitType.DEPARTMENT,
        parent_id=None,
    ).id
    register_clue(runtime, city, unit, "项目结算多付工程款")
    poisoned = register_clue(runtime, city, unit, POISON)
    runtime.tenants.register_unit(
        acting=CONSOLE,
        tenant_id=city,
        code="D2",
        name="市直二部",
        unit_type=UnitType.DEPARTMENT,
        parent_id=None,
    )
    last = register_clue(runtime, city, unit, "食堂账目不清")
    return Written(city, poisoned.id, poisoned.position, last.position)


def parked_within(runtime: Runtime, seconds: float) -> list[tracking.Parked]:
    deadline = time.monotonic() + seconds
    while not (parked := runtime.parked_events()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return parked
