"""Units files as offices send them: generated workbooks and CSVs with Chinese headers."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from domain.configuration.values import UnitClass
from domain.tenants.tenant import TenantLevel
from services.authorization import CONSOLE
from services.clock import today_in_china
from services.runtime import Runtime
from services.tenants import Acting

HEADER = ("单位代码", "单位名称", "单位类型", "所属乡镇代码", "分类", "备注")
CLASSES = (UnitClass("WEAK", "软弱涣散村"), UnitClass("PETITIONS", "信访集中"))


def village_rows(townships: int, villages_per_township: int) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for t in range(1, townships + 1):
        township = f"T{t:03d}"
        rows.append((township, f"第{t}镇", "乡镇", "", "", ""))
        for v in range(1, villages_per_township + 1):
            tags = "软弱涣散村" if v % 10 == 0 else ""
            rows.append((f"{township}V{v:03d}", f"{t}镇{v}村", "村", township, tags, "—"))
    return rows


def workbook(rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("单位")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_file(rows: Sequence[Sequence[str]], encoding: str, header: Sequence[str] = HEADER) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def onboard_county(runtime: Runtime, code: str = "370112") -> tuple[str, str]:
    """A city and one county with the unit classes above defined; returns (city, county) ids."""
    city = runtime.tenants.register_tenant(
        code=code[:4], name="济南市", level=TenantLevel.CITY, parent_id=None, acting=CONSOLE
    ).id
    county = runtime.tenants.register_tenant(
        code=code, name="历城区", level=TenantLevel.COUNTY, parent_id=city, acting=CONSOLE
    ).id
    runtime.configuration.define_unit_classes(
        acting=Acting.console(),
        tenant_id=county,
        classes=CLASSES,
        effective_from=today_in_china(),
    )
    return str(city), str(county)
