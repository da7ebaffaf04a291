"""What a simulation is made of: offices, units and cadres (the world), and chunks of work.

A `Chunk` is a few commands that belong together (a township with its villages, a round's
stationing, the clues found in one unit…). Its `witness` is an aggregate version that exists
in the store exactly when the chunk was recorded, which is how a resumed run knows to skip it."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType
from services.authorization import Acting

if TYPE_CHECKING:
    from services.simulation.simulated import Simulated


@dataclass(frozen=True)
class Witness:
    """The chunk is recorded once `aggregate_id` is stored at `version` or later; `exact`:
    the chunk leaves it at exactly that version (a created aggregate may go on changing)."""

    aggregate_id: UUID
    version: int
    exact: bool = True


@dataclass(frozen=True)
class Chunk:
    key: str
    on: date  # the day its first command happens: chunks run in this order within a year
    max_events: int  # an upper bound, so a save never holds more than it may
    witness: Witness | None  # None: the chunk writes nothing
    run: Callable[[Simulated], None]


@dataclass(frozen=True)
class Office:
    id: UUID
    code: str
    name: str
    level: TenantLevel
    acting: Acting  # who writes for the office: its team, or the city office

    @property
    def actor(self) -> str:
        return f"simulation:{self.code}"


@dataclass(frozen=True)
class UnitSpec:
    id: UUID
    code: str
    name: str
    unit_type: UnitType
    owner: Office
    parent_id: UUID | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cadre:
    """An inspector: `avoid` holds the units of their postings and relations (recusal)."""

    id: UUID
    staff_number: str
    name: str
    home: Office
    posting_unit: UUID
    relation_unit: UUID | None
    avoid: frozenset[UUID]


@dataclass
class World:
    namespace: UUID
    city: Office
    counties: list[Office]
    townships: dict[UUID, list[UnitSpec]] = field(default_factory=dict)
    villages: dict[UUID, list[UnitSpec]] = field(default_factory=dict)  # by township
    departments: dict[UUID, list[UnitSpec]] = field(default_factory=dict)  # by office
    cadres: dict[UUID, list[Cadre]] = field(default_factory=dict)  # by home office

    def villages_of(self, county: Office) -> list[UnitSpec]:
        return [v for t in self.townships[county.id] for v in self.villages[t.id]]

    def office(self, office_id: UUID) -> Office:
        return next(o for o in [self.city, *self.counties] if o.id == office_id)


def namespace_for(city_code: str) -> UUID:
    """Every id a simulation derives (rounds, clues, batches) lies under its city's code."""
    return uuid5(NAMESPACE_URL, f"https://xuncha.invalid/simulation/{city_code}")


def rng_for(seed: int, *parts: object) -> random.Random:
    """The random source of one part of the plan: the same seed and parts, the same draws,
    whatever else was drawn before (so a resumed run draws what the first one did)."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))  # noqa: S311 (not security)


def poisson_like(rng: random.Random, mean: float, low: int, high: int) -> int:
    """A count around `mean` within [low, high]."""
    return max(low, min(high, round(rng.gauss(mean, mean / 2))))
