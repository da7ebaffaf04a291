"""The shapes of city a simulation builds. `jinan-like` follows DOMAIN.md "Scale to design
for" (12 districts/counties, 5,712 villages and communities, 20–40 villages per escalated
round); `small` is a three-county city that loads in seconds for tests and the demo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LAST_YEAR = 2025  # the simulated years end here, so every simulated day lies in the past
HORIZON = date(LAST_YEAR + 1, 6, 30)  # nothing later happens: work still due is left open
TERM_YEARS = 5  # a committee term (届): every unit is inspected once per term
FIRST_TERM_START = 2021  # terms run 2016–2020, 2021–2025, …


@dataclass(frozen=True)
class Profile:
    name: str
    code: str  # the city's tenant code starts with it
    city_name: str
    counties: int
    townships_per_county: int
    villages_per_county: int  # villages and communities, spread over the townships
    departments_per_county: int
    city_departments: int
    cadres_per_county: int
    city_cadres: int
    years: int
    # targets one county gives to each kind of round in a year, in this order of priority
    cross_targets: int
    escalated_rounds: int
    escalated_targets: int  # per county and escalated round
    joint_targets: int
    linked_targets: int
    mobile_targets: int
    max_round_targets: int  # a county's regular village rounds take the rest in rounds this big
    revisit_targets: int
    # findings per inspected unit
    mean_clues: float
    max_clues: int
    mean_problems: float
    max_problems: int


SMALL = Profile(
    name="small",
    code="SM",
    city_name="小样市",
    counties=3,
    townships_per_county=2,
    villages_per_county=24,
    departments_per_county=4,
    city_departments=6,
    cadres_per_county=8,
    city_cadres=12,
    years=2,
    cross_targets=1,
    escalated_rounds=1,
    escalated_targets=1,
    joint_targets=1,
    linked_targets=1,
    mobile_targets=0,
    max_round_targets=10,
    revisit_targets=1,
    mean_clues=4.0,
    max_clues=7,
    mean_problems=5.0,
    max_problems=9,
)

JINAN_LIKE = Profile(
    name="jinan-like",
    code="JN",
    city_name="泉城市",
    counties=12,
    townships_per_county=12,
    villages_per_county=476,  # 12 × 476 = 5,712
    departments_per_county=40,
    city_departments=60,
    cadres_per_county=30,
    city_cadres=80,
    years=10,
    cross_targets=5,
    escalated_rounds=2,
    escalated_targets=3,
    joint_targets=15,
    linked_targets=25,
    mobile_targets=3,
    max_round_targets=30,
    revisit_targets=5,
    mean_clues=9.5,
    max_clues=14,
    mean_problems=18.0,  # Jinan: 1,302 problems in two escalated rounds of ~36 villages
    max_problems=28,
)

PROFILES = {p.name: p for p in (SMALL, JINAN_LIKE)}
