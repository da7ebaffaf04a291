"""A ledger page costs the same few SQL statements whatever its size: the units, offices and
informant identities its rows refer to are each loaded in one query for the whole page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import cycle
from typing import Any
from uuid import UUID

import pytest

from domain.clues.clue import Clue
from domain.clues.values import ClueSource, InformantIdentity
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import Unit, UnitType
from infrastructure.auth import Role
from services.authorization import CONSOLE
from services.runtime import Runtime
from tests.support.graphql import GraphQL
from tests.support.statements import statements_of

READER = "ledger-reader"
CLUES = 500
SAVE_SIZE = 100  # clues per save: eventsourcing's pipelined insert stalls on large saves
CATEGORY = "三资管理"

PAGE = """
query($first: Int) {
  clueLedger(first: $first) {
    edges { node {
      id
      unit { id name }
      tenant { id name }
      informant { status name contact }
    } }
  }
}
"""


@dataclass(frozen=True)
class Seeded:
    city: UUID
    office_names: dict[UUID, str]
    unit_names: dict[UUID, str]
    registered_by: dict[UUID, UUID]  # clue -> office
    about: dict[UUID, UUID]  # clue -> unit
    informants: dict[UUID, str]  # clue -> informant name (clues with one)


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return statements_of(monkeypatch, READER)


def seed(runtime: Runtime) -> Seeded:
    """A city with two counties, three units each, and CLUES clues registered by the counties
    about their units, four in five with an informant."""
    tenants = runtime.tenants
    city = tenants.register_tenant(
        acting=CONSOLE, code="3701", name="济南市", level=TenantLevel.CITY, parent_id=None
    ).id
    office_names = {city: "济南市"}
    unit_names: dict[UUID, str] = {}
    for code, name in (("370102", "历下区"), ("370103", "市中区")):
        county = tenants.register_tenant(
            acting=CONSOLE, code=code, name=name, level=TenantLevel.COUNTY, parent_id=city
        ).id
        office_names[county] = name
        for n in range(3):
            unit = tenants.register_unit(
                acting=CONSOLE,
                tenant_id=county,
                code=f"V{n}",
                name=f"{name}第{n}村",
                unit_type=UnitType.VILLAGE,
                parent_id=None,
            ).id
            unit_names[unit] = f"{name}第{n}村"
    units = [runtime.tenants.unit(unit_id) for unit_id in unit_names]
    clues = [_clue(runtime, unit, n) for n, unit in zip(range(CLUES), cycle(units))]
    for start in range(0, CLUES, SAVE_SIZE):
        position = runtime.store.record(*(clue for clue, _ in clues[start : start + SAVE_SIZE]))
    runtime.wait_for_projections(position)
    return Seeded(
        city=city,
        office_names=office_names,
        unit_names=unit_names,
        registered_by={clue.id: clue.tenant_id for clue, _ in clues},
        about={clue.id: clue.unit_id for clue, _ in clues},
        informants={clue.id: name for clue, name in clues if name is not None},
    )


def _clue(runtime: Runtime, unit: Unit, n: int) -> tuple[Clue, str | None]:
    """A clue registered by the unit's county, as the clue service does it, with its
    informant sealed in the vault."""
    county = runtime.tenants.tenant(unit.tenant_id)
    informant = None if n % 5 == 0 else f"举报人{n}"
    clue_id = Clue.create_id()
    sealed = (
        None
        if informant is None
        else runtime.clues.informants.seal(clue_id, InformantIdentity(informant, f"139{n:08}"))
    )
    clue = Clue.register(
        registrar=county,
        unit=unit,
        unit_owner=county,
        round_=None,
        source=ClueSource.PETITION,
        category=CATEGORY,
        summary=f"第{n}条线索",
        persons_concerned=[],
        amount_involved=Decimal(1000 + n),
        informant_sealed=sealed,
        clue_id=clue_id,
    )
    return clue, informant


@pytest.fixture
def seeded(runtime: Runtime) -> Seeded:
    return seed(runtime)


@pytest.fixture
def reader(gql_as: Callable[..., GraphQL], seeded: Seeded) -> GraphQL:
    return gql_as(Role.CITY_OFFICE, seeded.city, subject=READER, clearance=True)


def page(reader: GraphQL, statements: list[str], first: int) -> tuple[list[Any], list[str]]:
    statements.clear()
    nodes = [e["node"] for e in reader.data(PAGE, {"first": first})["clueLedger"]["edges"]]
    return nodes, list(statements)


def test_a_ledger_page_costs_the_same_statements_for_500_rows_as_for_50(
    reader: GraphQL, statements: list[str], seeded: Seeded
) -> None:
    small, small_statements = page(reader, statements, 50)
    large, large_statements = page(reader, statements, 500)

    assert (len(small), len(large)) == (50, 500)
    assert len(large_statements) == len(small_statements), large_statements
    for table in ("rm_units", "informant_keys"):
        assert sum(table in s for s in large_statements) == 1, (table, large_statements)
    assert sum("rm_tenants WHERE tenant_id = ANY" in s for s in large_statements) == 1


def test_every_row_of_a_500_row_page_names_its_unit_office_and_informant(
    reader: GraphQL, statements: list[str], seeded: Seeded
) -> None:
    nodes, _ = page(reader, statements, 500)

    assert {UUID(node["id"]) for node in nodes} == set(seeded.about)
    for node in nodes:
        clue = UUID(node["id"])
        unit, office = seeded.about[clue], seeded.registered_by[clue]
        assert node["unit"] == {"id": str(unit), "name": seeded.unit_names[unit]}
        assert node["tenant"] == {"id": str(office), "name": seeded.office_names[office]}
        name = seeded.informants.get(clue)
        assert node["informant"]["status"] == ("NONE" if name is None else "SEALED")
        assert node["informant"]["name"] == name


def test_a_ledger_page_is_read_in_one_transaction_set_up_in_one_statement(
    reader: GraphQL, statements: list[str], seeded: Seeded
) -> None:
    _, issued = page(reader, statements, 50)

    assert sum("SET TRANSACTION READ ONLY" in s for s in issued) == 1, issued
    assert not any("rm_tenants ORDER BY" in s for s in issued), issued  # no directory scan
    # set-up, total count, page, units, offices, informants
    assert len(issued) == 6, issued
