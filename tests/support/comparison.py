"""Generated people and datasets for data comparison, with one planted hit (or two) per library
model, and the files offices send (CSV, GBK or UTF-8, and .xlsx with Chinese headers)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

from openpyxl import Workbook

from domain.comparison.identity import check_character, masked_id_number
from domain.comparison.values import SCHEMAS, DatasetKind, readable_columns
from domain.tenants.unit import UnitType
from infrastructure.comparison.engines import DatasetTable
from infrastructure.comparison.files import DatasetFiles
from infrastructure.comparison.keys import Sealer
from services.authorization import CONSOLE, Acting
from services.comparison import rows
from services.imports.sheet import SheetRow
from services.runtime import Runtime
from tests.support.unit_files import onboard_county

SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛")


def id_number(index: int, region: str = "370112") -> str:
    """A valid identity number (GB 11643) for person `index`."""
    born = f"19{50 + index % 50:02d}{1 + index % 12:02d}{1 + index % 28:02d}"
    first = f"{region}{born}{index % 1000:03d}"
    return first + check_character(first)


def name(index: int) -> str:
    return SURNAMES[index % len(SURNAMES)] + GIVEN[(index // len(SURNAMES)) % len(GIVEN)]


@dataclass(frozen=True)
class Person:
    index: int

    @property
    def id_number(self) -> str:
        return id_number(self.index)

    @property
    def name(self) -> str:
        return name(self.index)

    @property
    def masked(self) -> str:
        return masked_id_number(self.id_number)


P = [Person(i) for i in range(20)]


def _p(person: Person) -> dict[str, str]:
    return {"id_number": person.id_number, "name": person.name}


# Field -> value rows of each kind; the hits each library model must find are in EXPECTED.
WORLD: dict[DatasetKind, list[dict[str, str]]] = {
    DatasetKind.PUBLIC_PAYROLL: [
        {**_p(P[0]), "employer": "县农业农村局", "position": "科员"},
        {**_p(P[1]), "employer": "县财政局", "position": "副科长"},
        {**_p(P[2]), "employer": "县教育局", "position": ""},
    ],
    DatasetKind.SUBSISTENCE_ALLOWANCE: [
        {**_p(P[0]), "unit_code": "V001", "amount": "600.00", "paid_on": "2026-03-05"},
        {**_p(P[0]), "unit_code": "V001", "amount": "600.00", "paid_on": "2026-04-05"},
        {**_p(P[3]), "unit_code": "V002", "amount": "550", "paid_on": "2026-03-05"},
        {**_p(P[4]), "unit_code": "V002", "amount": "550", "paid_on": "2026-03-05"},
    ],
    DatasetKind.VILLAGE_CADRES: [
        {**_p(P[5]), "unit_code": "V001", "role": "党支部书记"},
        {
            **_p(P[6]),
            "unit_code": "V001",
            "role": "近亲属",
            "cadre_id_number": P[5].id_number,
            "relation": "配偶",
        },
        {**_p(P[3]), "unit_code": "V002", "role": "村委会主任"},
    ],
    DatasetKind.FARM_SUBSIDY: [
        {
            **_p(P[6]),
            "unit_code": "V001",
            "subsidy_type": "耕地地力保护补贴",
            "amount": "500",
            "standard_amount": "500",
            "paid_on": "2026-03-01",
        },
        {
            **_p(P[7]),
            "unit_code": "V001",
            "subsidy_type": "耕地地力保护补贴",
            "amount": "500",
            "standard_amount": "500",
            "paid_on": "2026-03-01",
        },
        {
            **_p(P[7]),
            "unit_code": "V001",
            "subsidy_type": "耕地地力保护补贴",
            "amount": "500",
            "standard_amount": "500",
            "paid_on": "2026-06-01",
        },
        {
            **_p(P[8]),
            "unit_code": "V002",
            "subsidy_type": "农机购置补贴",
            "amount": "800",
            "standard_amount": "500",
            "paid_on": "2026-04-01",
        },
        {
            **_p(P[9]),
            "unit_code": "V002",
            "subsidy_type": "耕地地力保护补贴",
            "amount": "300",
            "standard_amount": "",
            "paid_on": "2026-05-01",
        },
    ],
    DatasetKind.DEATH_RECORDS: [
        {**_p(P[9]), "died_on": "2026-01-10"},
        {**_p(P[10]), "died_on": "2025-12-01"},
    ],
    DatasetKind.BUSINESS_REGISTRY: [
        {
            **_p(P[1]),
            "company": "某某商贸有限公司",
            "credit_code": "91370112MA3C000001",
            "role": "股东",
        },
        {
            **_p(P[11]),
            "company": "某某建筑有限公司",
            "credit_code": "91370112MA3C000002",
            "role": "法定代表人",
        },
    ],
    DatasetKind.VILLAGE_CONTRACTS: [
        {
            "unit_code": "V001",
            "contract_no": "HT-2026-01",
            "title": "村道硬化工程",
            "contractor_id_number": P[6].id_number,
            "contractor_name": P[6].name,
            "amount": "180000",
            "signed_on": "2026-02-15",
        },
        {
            "unit_code": "V001",
            "contract_no": "HT-2026-02",
            "title": "路灯维修",
            "contractor_id_number": P[12].id_number,
            "contractor_name": P[12].name,
            "amount": "9000",
            "signed_on": "2026-02-20",
        },
        {
            "unit_code": "V002",
            "contract_no": "HT-2026-03",
            "title": "水渠清淤",
            "contractor_id_number": P[6].id_number,
            "contractor_name": P[6].name,
            "amount": "20000",
            "signed_on": "2026-02-21",
        },
    ],
}

# Each library model's hits: (unit code or "", masked id number of the person concerned).
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "PAYROLL_ALLOWANCE": {("V001", P[0].masked)},
    "CADRE_KIN_BENEFITS": {("V002", P[3].masked), ("V001", P[6].masked)},
    "DECEASED_STILL_PAID": {("V002", P[9].masked)},
    "DUPLICATE_SUBSIDY": {("V001", P[7].masked)},
    "OFFICIAL_IN_BUSINESS": {("", P[1].masked)},
    "CADRE_KIN_CONTRACTS": {("V001", P[6].masked)},
    "SUBSIDY_OVER_STANDARD": {("V002", P[8].masked)},
}


def header_row(kind: DatasetKind) -> list[str]:
    return [field.headers[0] for field in SCHEMAS[kind]]


def table_rows(kind: DatasetKind, given: Sequence[dict[str, str]]) -> list[list[str]]:
    return [[row.get(field.name, "") for field in SCHEMAS[kind]] for row in given]


def csv_bytes(kind: DatasetKind, given: Sequence[dict[str, str]], encoding: str = "gbk") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header_row(kind))
    writer.writerows(table_rows(kind, given))
    return text.getvalue().encode(encoding)


def xlsx_bytes(kind: DatasetKind, given: Sequence[dict[str, str]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append(header_row(kind))
    for row in table_rows(kind, given):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def random_sealer(dataset_id: UUID, matching_key: bytes) -> Sealer:
    return Sealer(matching_key, os.urandom(32), dataset_id)


def world_tables(
    folder: Path, world: dict[DatasetKind, list[dict[str, str]]] = WORLD
) -> list[DatasetTable]:
    """The world's datasets as stored Parquet files in `folder` (one office's matching key),
    as the engines read them."""
    files = DatasetFiles(folder)
    office, matching_key = uuid4(), os.urandom(32)
    tables = []
    for kind, given in world.items():
        dataset_id = uuid4()
        read = [SheetRow(n + 2, dict(row)) for n, row in enumerate(given)]
        valid = rows.validated(kind, read, [])
        table = rows.stored_table(valid, random_sealer(dataset_id, matching_key))
        path = files.write(office, dataset_id, table)
        tables.append(DatasetTable(kind.table, path, readable_columns(kind)))
    return tables


def office_with_units(runtime: Runtime) -> tuple[UUID, UUID]:
    """A city, its county, and the county's villages V001 and V002."""
    city, county = (UUID(t) for t in onboard_county(runtime))
    for code in ("V001", "V002"):
        runtime.tenants.register_unit(
            tenant_id=county,
            code=code,
            name=f"{code}村",
            unit_type=UnitType.VILLAGE,
            parent_id=None,
            acting=CONSOLE,
        )
    return city, county


def register_world(runtime: Runtime, office: UUID, acting: Acting = CONSOLE) -> None:
    for kind, given in WORLD.items():
        data, name = (
            (xlsx_bytes(kind, given), "data.xlsx")
            if kind == DatasetKind.FARM_SUBSIDY
            else (csv_bytes(kind, given), "data.csv")
        )
        runtime.datasets.register_dataset(
            tenant_id=office,
            kind=kind,
            period="2026年上半年",
            source=f"{kind.value}.{name}",
            filename=name,
            data=data,
            acting=acting,
        )
