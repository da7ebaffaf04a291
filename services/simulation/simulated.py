"""The services a simulation drives, wired over its `BufferedStore`, with a clock it sets:
the clue commands take "today" from it, so a clue transferred in 2019 is due in 2019's
working days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.calendar import CalendarService
from services.clues import ClueService
from services.configuration import ConfigurationService
from services.inspectors import InspectorService
from services.rectification import RectificationService
from services.rounds import RoundService
from services.runtime import Runtime
from services.simulation.store import BufferedStore
from services.tenants import TenantService


class SimulatedClock:
    def __init__(self) -> None:
        self.day = date(2000, 1, 1)

    def __call__(self) -> date:
        return self.day


@dataclass
class Simulated:
    store: BufferedStore
    clock: SimulatedClock
    tenants: TenantService
    inspectors: InspectorService
    rounds: RoundService
    clues: ClueService
    rectification: RectificationService

    @classmethod
    def over(cls, runtime: Runtime) -> Simulated:
        """The services as `runtime` wires them, saving through a buffered store."""
        store = BufferedStore(dict(runtime.store.env))
        clock = SimulatedClock()
        tenants = TenantService(store)
        inspectors = InspectorService(store, tenants)
        calendar = CalendarService(store)
        configuration = ConfigurationService(store, tenants)
        clues = ClueService(
            store, tenants, calendar, runtime.clues.informants, configuration, today=clock
        )
        return cls(
            store=store,
            clock=clock,
            tenants=tenants,
            inspectors=inspectors,
            rounds=RoundService(store, tenants, inspectors),
            clues=clues,
            rectification=RectificationService(store, tenants),
        )

    def on(self, day: date) -> None:
        self.clock.day = day
