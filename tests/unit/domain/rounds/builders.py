"""Builders for round tests: Jinan with two districts, their villages, rounds and inspectors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain.inspectors.inspector import Inspector, Posting, Relation
from domain.rounds.linkage import Scope
from domain.rounds.round import Round
from domain.rounds.values import Linkage, Period, RoundKind, Target, TeamRole
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit
from tests.unit.domain.factories import city, county, village

SPRING = Period(date(2026, 3, 1), date(2026, 5, 31))


@dataclass
class Jinan:
    city: Tenant = field(default_factory=city)
    lixia: Tenant = field(init=False)
    shizhong: Tenant = field(init=False)
    outsider: Tenant = field(init=False)

    def __post_init__(self) -> None:
        self.lixia = county(self.city, "370102")
        self.shizhong = county(self.city, "370103")
        other_city = city("3702")
        self.outsider = county(other_city, "370202")

    @property
    def counties(self) -> set[UUID]:
        return {self.lixia.id, self.shizhong.id}


def target(owner: Tenant, code: str = "V001") -> Target:
    unit: Unit = village(owner, code)
    return Target(unit.id, owner.id)


def plan(
    organiser: Tenant,
    linkage: Linkage,
    targets: list[Target],
    jinan: Jinan,
    *,
    kind: RoundKind = RoundKind.REGULAR,
    period: Period = SPRING,
    staffing: dict[TeamRole, UUID] | None = None,
    **scope: object,
) -> Round:
    return Round.plan(
        scope=Scope(organiser=organiser, linkage=linkage, period=period, targets=targets, **scope),  # type: ignore[arg-type]
        kind=kind,
        title="2026年第一轮巡察",
        theme="乡村振兴" if kind is RoundKind.THEMATIC else None,
        counties_of_city=jinan.counties,
        staffing=staffing,
    )


def inspector(
    home: Tenant,
    name: str = "王巡察",
    postings: list[Posting] | None = None,
    relations: list[Relation] | None = None,
) -> Inspector:
    return Inspector.register(
        home=home, name=name, postings=postings or [], relations=relations or []
    )
