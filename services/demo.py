"""A small synthetic city to try XunCha with: loaded once; loading again changes nothing. Run
from the command line, so it writes as the console (`CONSOLE`)."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.accounts.account import account_id_for
from domain.clues.values import ClueSource, PersonConcerned
from domain.context import acting_as
from domain.rounds.values import Linkage, Period, Phase, RoundKind, TeamRole
from domain.tenants.tenant import TenantLevel, tenant_id_for
from domain.tenants.unit import UnitType
from services.authorization import CONSOLE
from services.runtime import Runtime

log = logging.getLogger(__name__)

DEMO_CITY = "DEMO-CITY"
DEMO_COUNTIES = (("DEMO-A", "东湖区"), ("DEMO-B", "西山县"), ("DEMO-C", "南河县"))
TOWNSHIPS_PER_COUNTY = 2
VILLAGES_PER_TOWNSHIP = 5

DEMO_CLUES = (
    (ClueSource.PETITION, "三资管理", "村集体土地流转收入未入账", "村党支部书记", "120000"),
    (
        ClueSource.RECORDS_REVIEW,
        "惠农政策落实",
        "低保资格审核把关不严，优亲厚友",
        "村委会主任",
        "36000",
    ),
    (ClueSource.HOTLINE, "工程项目", "村道硬化工程未经招标直接发包", "村党支部书记", "480000"),
    (ClueSource.FIELD_VISIT, "作风问题", "村干部长期不在岗，群众办事难", "村委委员", None),
    (
        ClueSource.INTERVIEW,
        "党组织建设",
        "党员大会长期未召开，三会一课流于形式",
        "村党支部书记",
        None,
    ),
)


DEMO_PASSWORD = "xuncha-demo-2026"  # noqa: S105 (the demo's, printed by `serve --demo`)
DEMO_ACCOUNTS = (  # user name, name shown, office, role, informant clearance
    ("demo-city", "示范市巡察办", DEMO_CITY, "CITY_OFFICE", False),
    ("demo-county", "东湖区巡察组", DEMO_COUNTIES[0][0], "COUNTY_TEAM", False),
    ("demo-auditor", "审计员", DEMO_CITY, "AUDITOR", True),
    ("demo-admin", "系统管理员", DEMO_CITY, "ADMIN", True),
)


def open_demo_accounts(runtime: Runtime) -> None:
    """One web app account per role, signed in with DEMO_PASSWORD; opened once."""
    accounts = runtime.accounts
    with acting_as("demo-loader"):
        for username, name, office, role, clearance in DEMO_ACCOUNTS:
            if runtime.store.exists(account_id_for(username)):
                continue
            initial = f"{DEMO_PASSWORD}-initial"
            accounts.open_account(
                tenant_id=tenant_id_for(office),
                username=username,
                display_name=name,
                role=role,
                initial_password=initial,
                informant_clearance=clearance,
                acting=CONSOLE,
            )
            accounts.change_password(username, initial, DEMO_PASSWORD)


def load_demo(runtime: Runtime) -> bool:
    """Register the demo city unless it is there; return whether anything was written."""
    if runtime.store.exists(tenant_id_for(DEMO_CITY)):
        log.info("demo data already loaded")
        open_demo_accounts(runtime)  # for a demo loaded before there were accounts
        return False
    with acting_as("demo-loader"):
        tenants = runtime.tenants
        city = tenants.register_tenant(
            code=DEMO_CITY, name="示范市", level=TenantLevel.CITY, parent_id=None, acting=CONSOLE
        ).id
        villages = []
        for code, name in DEMO_COUNTIES:
            county = tenants.register_tenant(
                code=code, name=name, level=TenantLevel.COUNTY, parent_id=city, acting=CONSOLE
            ).id
            for t in range(1, TOWNSHIPS_PER_COUNTY + 1):
                township = tenants.register_unit(
                    tenant_id=county,
                    code=f"{code}-T{t}",
                    name=f"{name}第{t}镇",
                    unit_type=UnitType.TOWNSHIP,
                    parent_id=None,
                    acting=CONSOLE,
                ).id
                for v in range(1, VILLAGES_PER_TOWNSHIP + 1):
                    villages.append(
                        tenants.register_unit(
                            tenant_id=county,
                            code=f"{code}-T{t}-V{v}",
                            name=f"{name}第{t}镇{v}村",
                            unit_type=UnitType.VILLAGE,
                            parent_id=township,
                            acting=CONSOLE,
                        ).id
                    )
        clue_villages = [villages[i * 7 % len(villages)] for i in range(len(DEMO_CLUES))]
        demo_round = plan_demo_round(runtime, city, clue_villages)
        for i, (source, category, summary, role, amount) in enumerate(DEMO_CLUES):
            runtime.clues.register_clue(
                tenant_id=city,
                unit_id=clue_villages[i],
                round_id=demo_round,
                source=source,
                category=category,
                summary=summary,
                persons_concerned=[PersonConcerned(role=role, name=f"示例人{i + 1}")],
                amount_involved=Decimal(amount) if amount else None,
                acting=CONSOLE,
            )
    open_demo_accounts(runtime)
    log.info(
        "demo data loaded: 1 city, %d counties, %d villages", len(DEMO_COUNTIES), len(villages)
    )
    return True


def plan_demo_round(runtime: Runtime, city: UUID, targets: list[UUID]) -> UUID:
    """An escalated city round (提级巡察) on the demo villages, stationed, with a small team."""
    rounds = runtime.rounds
    round_id = rounds.plan_round(
        tenant_id=city,
        kind=RoundKind.REGULAR,
        linkage=Linkage.ESCALATED,
        title="示范市2026年第三轮提级巡察",
        period=Period(date(2026, 9, 1), date(2026, 11, 30)),
        target_unit_ids=targets,
        acting=CONSOLE,
    ).id
    for name, role in (("陈组长", TeamRole.LEADER), ("刘组员", TeamRole.MEMBER)):
        inspector = runtime.inspectors.register_inspector(
            home_tenant_id=city, name=name, postings=[], relations=[], acting=CONSOLE
        ).id
        rounds.assign_inspector(
            round_id=round_id, inspector_id=inspector, role=role, acting=CONSOLE
        )
    rounds.advance_round_phase(
        round_id=round_id, phase=Phase.PREPARING, on=date(2026, 9, 1), acting=CONSOLE
    )
    rounds.advance_round_phase(
        round_id=round_id, phase=Phase.STATIONED, on=date(2026, 9, 8), acting=CONSOLE
    )
    return round_id
