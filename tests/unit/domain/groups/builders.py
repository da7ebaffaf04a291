"""Builders for group tests: a district with townships, villages, cadres and groups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.groups.group import GroupKind, InspectionGroup, Staff
from domain.inspectors.inspector import Inspector, Posting
from domain.rounds.linkage import Scope
from domain.rounds.office_cross import TakingPart, Village
from domain.rounds.round import Round
from domain.rounds.values import Linkage, Period, RoundKind, SelectionReason, Target
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit, UnitType
from tests.unit.domain.factories import city, county

SPRING = Period(date(2026, 5, 6), date(2026, 6, 5))


def township(office: Tenant, code: str) -> Unit:
    return Unit.register(
        owner=office, code=code, name=f"{code}镇", unit_type=UnitType.TOWNSHIP, parent=None
    )


def village(office: Tenant, parent: Unit, n: int) -> Unit:
    return Unit.register(
        owner=office,
        code=f"{parent.code}V{n}",
        name=f"{parent.code}镇{n}村",
        unit_type=UnitType.VILLAGE,
        parent=parent,
    )


def cadre(office: Tenant, name: str, postings: list[Posting] | None = None) -> Inspector:
    return Inspector.register(home=office, name=name, postings=postings or [], relations=[])


@dataclass
class Part:
    """A township of the district with two villages and a group of four cadres."""

    township: Unit
    villages: list[Unit]
    leader: Inspector
    deputy: Inspector
    member: Inspector
    liaison: Inspector
    group: InspectionGroup

    def taking_part(self) -> TakingPart:
        chosen = [Village(v, (SelectionReason.WEAK_AND_LAX,)) for v in self.villages]
        return TakingPart(self.township, self.group, chosen)


@dataclass
class District:
    city: Tenant = field(default_factory=city)
    office: Tenant = field(init=False)
    parts: list[Part] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.office = county(self.city, "429004")

    def add(self, code: str, kind: GroupKind = GroupKind.EXTENSION) -> Part:
        home = township(self.office, code)
        leader, deputy, member, liaison = (cadre(self.office, f"{code}{r}") for r in "LDML")
        group = InspectionGroup.form(
            office=self.office,
            name=f"{code}组",
            kind=kind,
            staff=Staff(leader, deputy, (member,), liaison),
            home_township=home,
        )
        part = Part(
            home,
            [village(self.office, home, n) for n in (1, 2)],
            leader,
            deputy,
            member,
            liaison,
            group,
        )
        self.parts.append(part)
        return part

    def plan(self, part: Part) -> Round:
        """A PLANNED round of the office on `part`'s villages."""
        targets = [Target(v.id, v.tenant_id) for v in part.villages]
        return Round.plan(
            scope=Scope(
                organiser=self.office, linkage=Linkage.STANDALONE, period=SPRING, targets=targets
            ),
            kind=RoundKind.REGULAR,
            title="延伸巡察",
            counties_of_city=set(),
        )


def district(townships: int = 4) -> District:
    made = District()
    for i in range(1, townships + 1):
        made.add(f"T{i}")
    return made
