"""Many offices writing many events: a city with its counties, their units, and clues recorded
in a few large batches (each `store.record` takes the event table's lock once)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from domain.clues.clue import Clue
from domain.clues.values import ClueSource
from domain.tenants.tenant import Tenant, TenantLevel
from domain.tenants.unit import Unit, UnitType
from infrastructure.store import EventStore

CATEGORIES = ("工程项目", "惠民资金", "集体三资", "作风问题")


@dataclass
class City:
    offices: list[Tenant]
    units: dict[UUID, list[Unit]] = field(default_factory=dict)  # by office id


def register_city(store: EventStore, *, code: str, counties: int, units_each: int = 3) -> City:
    city = Tenant.register(code=code, name=f"{code}市", level=TenantLevel.CITY, parent=None)
    offices = [city] + [
        Tenant.register(
            code=f"{code}-{n:02d}", name=f"第{n}县", level=TenantLevel.COUNTY, parent=city
        )
        for n in range(1, counties + 1)
    ]
    registered = City(offices=offices)
    for office in offices:
        registered.units[office.id] = [
            Unit.register(
                owner=office,
                code=f"U{n}",
                name=f"{office.name}第{n}单位",
                unit_type=UnitType.DEPARTMENT,
                parent=None,
            )
            for n in range(units_each)
        ]
    store.record(*offices, *(u for units in registered.units.values() for u in units))
    return registered


def register_clues(store: EventStore, city: City, rng: random.Random, count: int) -> int:
    """Record `count` clues spread over every office in one batch; return the last position."""
    clues = []
    for _ in range(count):
        office = rng.choice(city.offices)
        clues.append(
            Clue.register(
                registrar=office,
                unit=rng.choice(city.units[office.id]),
                unit_owner=office,
                round_=None,
                source=rng.choice(list(ClueSource)),
                category=rng.choice(CATEGORIES),
                summary=f"线索 {rng.randrange(10**9)}",
                persons_concerned=[],
                amount_involved=Decimal(rng.randrange(1, 10**7)) / 100,
            )
        )
    return store.record(*clues)
