"""Each year's rounds of every linkage (what `round_chunks` runs through the services).

Coverage follows the committee term (届, `TERM_YEARS`): at a term's start each county's
villages, and its townships and departments, are shuffled and dealt over the term's years, so
every unit is inspected once a term and, within a year, by one round only (a REVISIT may come
back). A county's yearly share goes, in order, to the city's cross batch, escalated rounds and
joint round, to its linked child round, a mobile round, and its own regular rounds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid5

from domain.rounds import cross_batch
from domain.rounds.values import (
    CrossMode,
    Linkage,
    Period,
    PetitionChannel,
    RoundKind,
    TeamRole,
)
from services.rounds import cross_round_id
from services.simulation.fieldwork import Visit
from services.simulation.plan import Cadre, Office, UnitSpec, World, rng_for
from services.simulation.profiles import FIRST_TERM_START, TERM_YEARS, Profile

CITY_TEAM = (TeamRole.LEADER, TeamRole.DEPUTY_LEADER, TeamRole.MEMBER, TeamRole.LIAISON)
MOBILE_TEAM = (TeamRole.LEADER, TeamRole.MEMBER)
THEMES = ("乡村振兴领域", "村级财务管理", "惠民惠农财政补贴资金", "基层党组织建设")


@dataclass
class RoundSpec:
    id: UUID
    key: str
    organiser: Office
    field_office: Office  # registers the clues and gives the feedback
    kind: RoundKind
    linkage: Linkage
    title: str
    start: date
    targets: list[UnitSpec]
    team: list[tuple[Cadre, TeamRole]] = field(default_factory=list)
    theme: str | None = None
    length_days: int = 75
    stationing_days: int = 30
    co_organisers: list[Office] = field(default_factory=list)
    parent_id: UUID | None = None
    revisit_of: UUID | None = None
    planned_by_batch: bool = False
    channels: tuple[PetitionChannel, ...] = (PetitionChannel.HOTLINE, PetitionChannel.MAILBOX)

    @property
    def period(self) -> Period:
        return Period(self.start, self.start + timedelta(days=self.length_days))

    @property
    def stationed_on(self) -> date:
        return self.start + timedelta(days=7)

    @property
    def channels_close_on(self) -> date:
        return self.stationed_on + timedelta(days=self.stationing_days)

    @property
    def reported_on(self) -> date:
        return self.channels_close_on + timedelta(days=10)

    @property
    def feedback_on(self) -> date:
        return self.reported_on + timedelta(days=14)

    @property
    def closed_on(self) -> date:
        return self.feedback_on + timedelta(days=200)

    def visit(self, unit: UnitSpec) -> Visit:
        return Visit(
            self.id,
            unit,
            self.field_office,
            self.stationed_on,
            self.stationing_days,
            self.feedback_on,
        )


@dataclass
class CrossBatchSpec:
    id: UUID
    key: str
    city: Office
    mode: CrossMode
    title: str
    start: date
    targets: dict[UUID, list[UnitSpec]]  # by owning county
    rounds: list[RoundSpec]


@dataclass
class Year:
    rounds: list[RoundSpec]
    batch: CrossBatchSpec | None


# -- the year's plan --------------------------------------------------------------------------


class Share:
    """A county's units for the year, handed out in order."""

    def __init__(self, units: list[UnitSpec]) -> None:
        self.units = units

    def take(self, count: int, prefer_tagged: bool = False) -> list[UnitSpec]:
        pool = sorted(self.units, key=lambda u: not u.tags) if prefer_tagged else self.units
        taken = pool[:count]
        self.units = [u for u in self.units if u not in taken]
        return taken


def term_share(units: list[UnitSpec], seed: int, year: int, key: str) -> list[UnitSpec]:
    term_start = year - (year - FIRST_TERM_START) % TERM_YEARS
    dealt = rng_for(seed, "term", term_start, key).sample(units, len(units))
    return dealt[year - term_start :: TERM_YEARS]


def plan_year(world: World, profile: Profile, seed: int, year: int, first_year: int) -> Year:
    planner = YearPlanner(world, profile, seed, year)
    year_plan = planner.plan()
    if year > first_year:
        before = YearPlanner(world, profile, seed, year - 1).plan()
        year_plan.rounds += planner.revisits(before)
    year_plan.rounds.sort(key=lambda r: (r.start, r.key))
    return year_plan


class YearPlanner:
    def __init__(self, world: World, profile: Profile, seed: int, year: int) -> None:
        self.world, self.profile, self.seed, self.year = world, profile, seed, year
        self.rounds: list[RoundSpec] = []

    def round_id(self, key: str) -> UUID:
        return uuid5(self.world.namespace, f"round:{self.year}:{key}")

    def day(self, month: int, day: int) -> date:
        return date(self.year, month, day)

    def plan(self) -> Year:
        world, year = self.world, self.year
        villages = {
            c.id: Share(term_share(world.villages_of(c), self.seed, year, c.code))
            for c in world.counties
        }
        others = {
            c.id: Share(
                term_share(
                    world.townships[c.id] + world.departments[c.id], self.seed, year, f"{c.code}/o"
                )
            )
            for c in world.counties
        }
        city_units = Share(
            term_share(world.departments[world.city.id], self.seed, year, world.city.code)
        )
        batch = self._cross_batch(villages)
        self._escalated(villages)
        self._joint(villages)
        self._linked(villages, city_units)
        self._city_standalone(city_units)
        for county in world.counties:
            self._county_rounds(county, villages[county.id], others[county.id])
        return Year(self.rounds, batch)

    def _spec(
        self,
        key: str,
        organiser: Office,
        kind: RoundKind,
        linkage: Linkage,
        title: str,
        start: date,
        targets: list[UnitSpec],
        **details: Any,
    ) -> RoundSpec:
        """A round its organiser runs itself (it registers the clues and gives feedback)."""
        return RoundSpec(
            self.round_id(key),
            key,
            organiser,
            organiser,
            kind,
            linkage,
            title,
            start,
            targets,
            **details,
        )

    def _add(self, spec: RoundSpec, team_from: dict[TeamRole, list[Cadre]] | None = None) -> None:
        roles = MOBILE_TEAM if spec.kind is RoundKind.MOBILE else CITY_TEAM
        pools = team_from or {role: self.world.cadres[self.world.city.id] for role in roles}
        spec.team = self._team(spec, pools)
        self.rounds.append(spec)

    def _team(
        self, spec: RoundSpec, pools: dict[TeamRole, list[Cadre]]
    ) -> list[tuple[Cadre, TeamRole]]:
        """A cadre per role, none of whom must recuse from a target (posting, relation)."""
        rng = rng_for(self.seed, self.year, spec.key, "team")
        targets = {u.id for u in spec.targets}
        team: list[tuple[Cadre, TeamRole]] = []
        for role, pool in pools.items():
            chosen = {c.id for c, _ in team}
            fit = [c for c in pool if not c.avoid & targets and c.id not in chosen]
            if fit:
                team.append((rng.choice(fit), role))
        return team

    def _cross_batch(self, villages: dict[UUID, Share]) -> CrossBatchSpec | None:
        world, profile = self.world, self.profile
        if len(world.counties) < 3 or profile.cross_targets == 0:
            return None
        mode = CrossMode.ROTATION if self.year % 2 == 0 else CrossMode.EXCHANGE
        key = "cross"
        batch_id = uuid5(world.namespace, f"cross-batch:{self.year}")
        targets = {c.id: villages[c.id].take(profile.cross_targets) for c in world.counties}
        title = f"{world.city.name}{self.year}年交叉巡察"
        batch = CrossBatchSpec(batch_id, key, world.city, mode, title, self.day(9, 20), targets, [])
        assignments = cross_batch.generate(
            [cross_batch.County(c.id, c.code) for c in world.counties], mode
        )
        for a in assignments:
            inspecting, owning = world.office(a.inspecting.id), world.office(a.owning.id)
            spec = RoundSpec(
                cross_round_id(batch_id, owning.id),
                f"{key}/{owning.code}",
                world.city,
                inspecting,
                RoundKind.REGULAR,
                Linkage.CROSS,
                f"{title}（{inspecting.name}→{owning.name}）",
                batch.start,
                targets[owning.id],
                planned_by_batch=True,
            )
            self._add(spec, {role: world.cadres[a.staffing[role]] for role in CITY_TEAM})
            batch.rounds.append(spec)
        return batch

    def _escalated(self, villages: dict[UUID, Share]) -> None:
        world, profile = self.world, self.profile
        starts = (self.day(6, 10), self.day(8, 20), self.day(10, 1))
        for n in range(profile.escalated_rounds):
            key = f"escalated-{n + 1}"
            targets = [
                u
                for c in world.counties
                for u in villages[c.id].take(profile.escalated_targets, prefer_tagged=True)
            ]
            if targets:
                title = f"{world.city.name}{self.year}年第{n + 1}轮提级巡察"
                self._add(
                    self._spec(
                        key,
                        world.city,
                        RoundKind.REGULAR,
                        Linkage.ESCALATED,
                        title,
                        starts[n % len(starts)],
                        targets,
                    )
                )

    def _joint(self, villages: dict[UUID, Share]) -> None:
        world = self.world
        counties = world.counties
        if len(counties) < 2 or self.profile.joint_targets == 0:
            return
        host = counties[self.year % len(counties)]
        partner = counties[(self.year + 1) % len(counties)]
        targets = villages[host.id].take(self.profile.joint_targets)
        if not targets:
            return
        city_cadres, partner_cadres = world.cadres[world.city.id], world.cadres[partner.id]
        team = {
            TeamRole.LEADER: city_cadres,
            TeamRole.DEPUTY_LEADER: city_cadres,
            TeamRole.MEMBER: partner_cadres,
            TeamRole.LIAISON: partner_cadres,
        }
        title = f"{world.city.name}、{host.name}、{partner.name}{self.year}年联合巡察"
        spec = self._spec(
            "joint",
            world.city,
            RoundKind.THEMATIC,
            Linkage.JOINT,
            title,
            self.day(5, 10),
            targets,
            theme=THEMES[self.year % 4],
            co_organisers=[host, partner],
        )
        self._add(spec, team)

    def _linked(self, villages: dict[UUID, Share], city_units: Share) -> None:
        world = self.world
        parent_targets = city_units.take(max(1, len(city_units.units) // 2))
        if not parent_targets:
            return
        parent = self._spec(
            "linked",
            world.city,
            RoundKind.REGULAR,
            Linkage.LINKED,
            f"{world.city.name}{self.year}年市县联动巡察",
            self.day(4, 15),
            parent_targets,
            length_days=110,
        )
        self._add(parent)
        for county in world.counties:
            targets = villages[county.id].take(self.profile.linked_targets)
            if targets:
                key = f"linked/{county.code}"
                self._add(
                    self._spec(
                        key,
                        county,
                        RoundKind.REGULAR,
                        Linkage.LINKED,
                        f"{county.name}{self.year}年联动巡察",
                        self.day(4, 20),
                        targets,
                        parent_id=parent.id,
                    )
                )

    def _city_standalone(self, city_units: Share) -> None:
        targets = city_units.take(len(city_units.units))
        city = self.world.city
        if targets:
            self._add(
                self._spec(
                    "city",
                    city,
                    RoundKind.REGULAR,
                    Linkage.STANDALONE,
                    f"{city.name}{self.year}年常规巡察",
                    self.day(3, 1),
                    targets,
                )
            )

    def _county_rounds(self, county: Office, villages: Share, others: Share) -> None:
        profile = self.profile
        mobile = villages.take(profile.mobile_targets)
        if mobile:
            key = f"mobile/{county.code}"
            self._add(
                self._spec(
                    key,
                    county,
                    RoundKind.MOBILE,
                    Linkage.STANDALONE,
                    f"{county.name}{self.year}年机动巡察",
                    self.day(10, 10),
                    mobile,
                    length_days=30,
                    stationing_days=10,
                    channels=(),
                )
            )
        starts = (self.day(3, 10), self.day(9, 1), self.day(9, 15), self.day(10, 1))
        n = 0
        while villages.units:
            targets = villages.take(profile.max_round_targets)
            key = f"villages-{n + 1}/{county.code}"
            thematic = n % 2 == 1
            self._add(
                self._spec(
                    key,
                    county,
                    RoundKind.THEMATIC if thematic else RoundKind.REGULAR,
                    Linkage.STANDALONE,
                    f"{county.name}{self.year}年第{n + 1}轮巡察",
                    starts[n % len(starts)],
                    targets,
                    theme=THEMES[(self.year + n) % 4] if thematic else None,
                )
            )
            n += 1
        targets = others.take(profile.max_round_targets)
        if targets:
            key = f"organs/{county.code}"
            self._add(
                self._spec(
                    key,
                    county,
                    RoundKind.REGULAR,
                    Linkage.STANDALONE,
                    f"{county.name}{self.year}年乡镇部门巡察",
                    self.day(4, 1),
                    targets,
                )
            )

    def revisits(self, before: Year) -> list[RoundSpec]:
        """Each county comes back (回头看) to a few units of last year's first round."""
        revisits = []
        for county in self.world.counties:
            earlier = next((r for r in before.rounds if r.key == f"villages-1/{county.code}"), None)
            if earlier is None:
                continue
            key = f"revisit/{county.code}"
            spec = self._spec(
                key,
                county,
                RoundKind.REVISIT,
                Linkage.STANDALONE,
                f"{county.name}{self.year}年巡察“回头看”",
                self.day(6, 1),
                earlier.targets[: self.profile.revisit_targets],
                length_days=40,
                stationing_days=20,
                revisit_of=earlier.id,
                channels=(PetitionChannel.HOTLINE,),
            )
            team = {role: self.world.cadres[self.world.city.id] for role in CITY_TEAM}
            spec.team = self._team(spec, team)
            revisits.append(spec)
        return revisits
