"""The simulation's plan, before anything is recorded: a jinan-like city shaped as DOMAIN.md
says, every unit inspected once a committee term, no unit in two rounds of a year unless one
is a revisit, and teams free of cadres who would have to recuse."""

from __future__ import annotations

from collections import Counter

from domain.rounds.values import Linkage, RoundKind
from domain.tenants.unit import UnitType
from services.simulation import PROFILES
from services.simulation.rounds import RoundSpec, plan_year
from services.simulation.world import build_world

JINAN = PROFILES["jinan-like"]
SEED = 7


def rounds_of(years: range) -> dict[int, list[RoundSpec]]:
    world = build_world(JINAN, SEED)
    return {year: plan_year(world, JINAN, SEED, year, years.start).rounds for year in years}


def test_the_jinan_like_city_has_twelve_counties_and_5712_villages_and_communities() -> None:
    world = build_world(JINAN, SEED)

    villages = [v for c in world.counties for v in world.villages_of(c)]

    assert len(world.counties) == 12
    assert len(villages) == 5712
    assert {v.unit_type for v in villages} == {UnitType.VILLAGE, UnitType.COMMUNITY}
    assert 150 <= sum(1 for v in villages if v.tags) <= 300  # key villages (重点村)


def test_every_unit_is_inspected_once_in_a_term_and_by_one_round_a_year() -> None:
    term = rounds_of(range(2021, 2026))
    world = build_world(JINAN, SEED)
    county_units = {
        u.id
        for c in world.counties
        for u in world.villages_of(c) + world.townships[c.id] + world.departments[c.id]
    }

    inspected: Counter[object] = Counter()
    for rounds in term.values():
        yearly = Counter(u.id for r in rounds if r.kind is not RoundKind.REVISIT for u in r.targets)
        assert max(yearly.values()) == 1
        inspected.update(yearly)

    assert county_units <= set(inspected)
    assert set(inspected.values()) == {1}


def test_each_year_has_every_linkage_and_escalated_rounds_of_20_to_40_villages() -> None:
    rounds = rounds_of(range(2024, 2026))[2025]

    assert {r.linkage for r in rounds} == set(Linkage)
    assert {r.kind for r in rounds} == set(RoundKind)
    escalated = [r for r in rounds if r.linkage is Linkage.ESCALATED]
    assert all(20 <= len(r.targets) <= 40 for r in escalated)
    assert sum(1 for r in rounds if r.linkage is Linkage.CROSS) == 12


def test_no_cadre_serves_on_a_round_inspecting_a_unit_they_must_recuse_from() -> None:
    rounds = rounds_of(range(2025, 2026))[2025]

    for spec in rounds:
        targets = {u.id for u in spec.targets}
        assert spec.team, spec.key
        assert all(not cadre.avoid & targets for cadre, _ in spec.team)
