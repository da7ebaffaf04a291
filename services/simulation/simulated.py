"""The services a simulation drives, wired over its `BufferedStore`. Every field command is
given the simulated day as its document's date (`occurred_on`), so a clue transferred in 2019
is due in 2019's working days; the simulation's days all lie before today."""

from __future__ import annotations

from dataclasses import dataclass

from services.calendar import CalendarService
from services.clues import ClueService
from services.configuration import ConfigurationService
from services.inspectors import InspectorService
from services.rectification import RectificationService
from services.rounds import RoundService
from services.runtime import Runtime
from services.simulation.store import BufferedStore
from services.tenants import TenantService


@dataclass
class Simulated:
    store: BufferedStore
    tenants: TenantService
    inspectors: InspectorService
    rounds: RoundService
    clues: ClueService
    rectification: RectificationService

    @classmethod
    def over(cls, runtime: Runtime) -> Simulated:
        """The services as `runtime` wires them, saving through a buffered store."""
        store = BufferedStore(dict(runtime.store.env))
        tenants = TenantService(store)
        inspectors = InspectorService(store, tenants)
        calendar = CalendarService(store)
        configuration = ConfigurationService(store, tenants)
        clues = ClueService(store, tenants, calendar, runtime.clues.informants, configuration)
        return cls(
            store=store,
            tenants=tenants,
            inspectors=inspectors,
            rounds=RoundService(store, tenants, inspectors),
            clues=clues,
            rectification=RectificationService(store, tenants),
        )
