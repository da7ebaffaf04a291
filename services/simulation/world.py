"""The simulated city: its offices, the units they inspect, and their cadres, all derived
from the profile and the seed; and the chunks that register them through the services."""

from __future__ import annotations

import random
from datetime import date

from domain.context import acting_as
from domain.inspectors.inspector import Kinship, Posting, Relation, inspector_id_for
from domain.tenants.tenant import TenantLevel, tenant_id_for
from domain.tenants.unit import UnitType, unit_id_for
from services.authorization import ADMIN, CITY_OFFICE, CONSOLE, COUNTY_TEAM, Acting
from services.simulation.plan import (
    Cadre,
    Chunk,
    Office,
    UnitSpec,
    Witness,
    World,
    namespace_for,
    rng_for,
)
from services.simulation.profiles import Profile
from services.simulation.simulated import Simulated


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "建国华明军伟芳娜敏静丽强磊洋艳勇杰娟涛超秀霞平刚桂英文云峰志红海燕玲斌波鹏宇亮"
COUNTY_NAMES = _words(
    "历下区 市中区 槐荫区 天桥区 历城区 长清区 章丘区 济阳区 莱芜区 钢城区 平阴县 商河县 "
    "东湖区 西山县 南河县 北岭县 清河县 凤城区"
)
UNIT_CLASSES = ("软弱涣散", "信访集中", "三资富集", "经济薄弱", "矛盾突出")
DEPARTMENTS = _words(
    "发改 教育 科技 工信 民政 司法 财政 人社 自然资源 生态环境 住建 交通 水务 农业农村 商务 "
    "文旅 卫健 应急 审计 市场监管 统计 医保 信访 城管"
)
WORLD_DAY = date(2015, 12, 1)
CADRE_CHUNK = 60
DEPARTMENT_CHUNK = 60


def person(rng_seed: object, index: int) -> str:
    name = str(rng_seed) + str(index)
    pick = sum(ord(c) * (i + 7) for i, c in enumerate(name))
    return (
        SURNAMES[pick % len(SURNAMES)]
        + GIVEN[(pick // 7) % len(GIVEN)]
        + (GIVEN[(pick // 53) % len(GIVEN)] if pick % 3 else "")
    )


def build_world(profile: Profile, seed: int) -> World:
    code = f"S{seed}-{profile.code}"
    city_id = tenant_id_for(code)
    city = Office(city_id, code, profile.city_name, TenantLevel.CITY, Acting(CITY_OFFICE, city_id))
    counties = []
    for i in range(profile.counties):
        county_code = f"{code}-{i + 1:02d}"
        county_id = tenant_id_for(county_code)
        name = COUNTY_NAMES[i % len(COUNTY_NAMES)]
        acting = Acting(COUNTY_TEAM, county_id)
        counties.append(Office(county_id, county_code, name, TenantLevel.COUNTY, acting))
    world = World(namespace_for(code), city, counties)
    rng = rng_for(seed, "world")
    for county in counties:
        _county_units(world, profile, county, rng)
    world.departments[city.id] = _departments(city, profile.city_departments)
    for office, count in [(city, profile.city_cadres)] + [
        (c, profile.cadres_per_county) for c in counties
    ]:
        world.cadres[office.id] = _cadres(world, office, count, seed)
    return world


def _county_units(world: World, profile: Profile, county: Office, rng: random.Random) -> None:
    n = profile.townships_per_county
    world.townships[county.id] = []
    for t in range(n):
        street = t % 4 == 3  # a subdistrict (街道): its units are communities
        code = f"{county.code}-T{t + 1:02d}"
        township = UnitSpec(
            unit_id_for(county.id, code),
            code,
            f"{county.name}第{t + 1}{'街道' if street else '镇'}",
            UnitType.TOWNSHIP,
            county,
        )
        world.townships[county.id].append(township)
        size = profile.villages_per_county // n + (1 if t < profile.villages_per_county % n else 0)
        kind = UnitType.COMMUNITY if street else UnitType.VILLAGE
        villages = []
        for v in range(size):
            vcode = f"{code}-V{v + 1:03d}"
            tags = tuple(c for c in UNIT_CLASSES if rng.random() < 0.008)
            suffix = "社区" if street else "村"
            villages.append(
                UnitSpec(
                    unit_id_for(county.id, vcode),
                    vcode,
                    f"{township.name}{v + 1}{suffix}",
                    kind,
                    county,
                    township.id,
                    tags,
                )
            )
        world.villages[township.id] = villages
    world.departments[county.id] = _departments(county, profile.departments_per_county)


def _departments(office: Office, count: int) -> list[UnitSpec]:
    units = []
    for d in range(count):
        code = f"{office.code}-D{d + 1:03d}"
        name = f"{office.name if office.level is TenantLevel.COUNTY else ''}"
        name += f"{DEPARTMENTS[d % len(DEPARTMENTS)]}{'局' if d < len(DEPARTMENTS) else f'{d}办'}"
        units.append(
            UnitSpec(unit_id_for(office.id, code), code, name, UnitType.DEPARTMENT, office)
        )
    return units


def _cadres(world: World, home: Office, count: int, seed: int) -> list[Cadre]:
    """Cadres with a posting at a unit of their own office (a township, or a city department)
    and, for every fifth one, a relative in the leadership of a village of the next county."""
    posts = world.townships.get(home.id) or world.departments[home.id]
    others = world.counties
    cadres = []
    for i in range(count):
        number = f"{home.code}-{i + 1:04d}"
        posting = posts[i % len(posts)].id
        relation = None
        if i % 5 == 4:
            nxt = others[(others.index(home) + 1) % len(others)] if home in others else others[0]
            relation = world.villages_of(nxt)[i % len(world.villages_of(nxt))].id
        cadres.append(
            Cadre(
                inspector_id_for(home.id, number),
                number,
                person(f"{seed}{home.code}", i),
                home,
                posting,
                relation,
                frozenset({posting} | ({relation} if relation else set())),
            )
        )
    return cadres


# -- chunks -----------------------------------------------------------------------------------


def world_chunks(world: World) -> list[Chunk]:
    chunks = [_city_chunk(world)]
    for county in world.counties:
        chunks.append(_county_chunk(world, county))
        for township in world.townships[county.id]:
            chunks.append(_township_chunk(world, township))
    for office in [world.city, *world.counties]:
        units = world.departments[office.id]
        for start in range(0, len(units), DEPARTMENT_CHUNK):
            chunks.append(_units_chunk(office, units[start : start + DEPARTMENT_CHUNK]))
    for office in [world.city, *world.counties]:
        cadres = world.cadres[office.id]
        for start in range(0, len(cadres), CADRE_CHUNK):
            chunks.append(_cadres_chunk(world, office, cadres[start : start + CADRE_CHUNK]))
    return chunks


def _city_chunk(world: World) -> Chunk:
    city = world.city

    def run(sim: Simulated) -> None:
        with acting_as(city.actor):
            sim.tenants.register_tenant(
                code=city.code, name=city.name, level=city.level, parent_id=None, acting=CONSOLE
            )

    return Chunk(f"world/{city.code}", WORLD_DAY, 1, Witness(city.id, 1), run)


def _county_chunk(world: World, county: Office) -> Chunk:
    admin = Acting(ADMIN, world.city.id)

    def run(sim: Simulated) -> None:
        with acting_as(world.city.actor):
            sim.tenants.register_tenant(
                code=county.code,
                name=county.name,
                level=county.level,
                parent_id=world.city.id,
                acting=admin,
            )

    return Chunk(f"world/{county.code}", WORLD_DAY, 1, Witness(county.id, 1), run)


def _register_units(sim: Simulated, units: list[UnitSpec]) -> None:
    for unit in units:
        owner = unit.owner
        with acting_as(owner.actor):
            sim.tenants.register_unit(
                tenant_id=owner.id,
                code=unit.code,
                name=unit.name,
                unit_type=unit.unit_type,
                parent_id=unit.parent_id,
                class_tags=list(unit.tags),
                acting=Acting(ADMIN, owner.id),
            )


def _township_chunk(world: World, township: UnitSpec) -> Chunk:
    units = [township, *world.villages[township.id]]
    return _units_chunk(township.owner, units, key=f"world/{township.code}")


def _units_chunk(office: Office, units: list[UnitSpec], key: str | None = None) -> Chunk:
    return Chunk(
        key or f"world/{units[0].code}",
        WORLD_DAY,
        len(units),
        Witness(units[0].id, 1),
        lambda sim: _register_units(sim, units),
    )


def _cadres_chunk(world: World, office: Office, cadres: list[Cadre]) -> Chunk:
    def run(sim: Simulated) -> None:
        with acting_as(office.actor):
            for cadre in cadres:
                relations = []
                if cadre.relation_unit is not None:
                    kin = f"{cadre.name[0]}某"
                    relations.append(
                        Relation(Kinship.COLLATERAL, kin, "村委会主任", cadre.relation_unit)
                    )
                sim.inspectors.register_inspector(
                    home_tenant_id=office.id,
                    name=cadre.name,
                    postings=[Posting(cadre.posting_unit, date(2009, 3, 1), date(2012, 6, 30))],
                    relations=relations,
                    staff_number=cadre.staff_number,
                    acting=office.acting,
                )

    return Chunk(
        f"world/{cadres[0].staff_number}", WORLD_DAY, len(cadres), Witness(cadres[0].id, 1), run
    )
