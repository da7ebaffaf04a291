"""Bulk import of units: validated whole, idempotent, only differences recorded."""

from __future__ import annotations

import time
from uuid import UUID

import pytest

from domain.errors import Forbidden
from domain.tenants.unit import Unit
from projections import directory
from services.imports.pipeline import ImportRefused
from services.imports.units import unit_imports
from services.runtime import Runtime
from services.tenants import Acting
from tests.support.unit_files import csv_file, onboard_county, village_rows, workbook


def import_file(runtime: Runtime, county: str, name: str, data: bytes) -> dict[str, int]:
    report = unit_imports(runtime).import_units(
        acting=Acting.console(), tenant_id=UUID(county), filename=name, data=data
    )
    return report.as_dict()


def units_of(runtime: Runtime, county: str) -> dict[str, directory.UnitRow]:
    runtime.wait_for_projections(runtime.store.max_position())
    with runtime.reads.connection() as conn:
        return {row.code: row for row in directory.units_of(conn, UUID(county))}


def stream_topics(runtime: Runtime, unit_id: UUID) -> list[str]:
    return [e.topic.rsplit(".", 1)[-1] for e in runtime.store.recorder.select_events(unit_id)]


def test_a_6000_village_workbook_is_imported_and_importing_it_again_changes_nothing(
    runtime: Runtime,
) -> None:
    _, county = onboard_county(runtime)
    data = workbook(village_rows(townships=60, villages_per_township=100))

    started = time.monotonic()
    first = import_file(runtime, county, "units.xlsx", data)
    print(f"\n6,060-unit workbook imported in {time.monotonic() - started:.1f} s")

    assert (first["rows"], first["created"], first["unchanged"]) == (6060, 6060, 0)
    units = units_of(runtime, county)
    assert len(units) == 6060
    village = units["T007V010"]
    assert village.parent_id == units["T007"].unit_id
    assert (village.name, village.unit_type, village.class_tags) == ("7镇10村", "VILLAGE", ["WEAK"])

    head = runtime.store.max_position()
    started = time.monotonic()
    again = import_file(runtime, county, "units.xlsx", data)
    print(f"importing it again took {time.monotonic() - started:.1f} s")
    assert (again["created"], again["unchanged"]) == (0, 6060)
    assert runtime.store.max_position() == head


def test_a_changed_file_records_only_the_differences(runtime: Runtime) -> None:
    _, county = onboard_county(runtime)
    rows = village_rows(townships=2, villages_per_township=3)
    import_file(runtime, county, "units.csv", csv_file(rows, "utf-8"))
    changed = [list(r) for r in rows]
    changed[1][1] = "幸福村"  # T001V001 renamed
    changed[2][3] = "T002"  # T001V002 moved to the other township
    changed[3][4] = "信访集中；软弱涣散村"  # T001V003 reclassified

    report = import_file(runtime, county, "units.csv", csv_file(changed, "utf-8"))

    assert {k: report[k] for k in ("created", "renamed", "moved", "reclassified", "unchanged")} == {
        "created": 0,
        "renamed": 1,
        "moved": 1,
        "reclassified": 1,
        "unchanged": 5,
    }
    units = units_of(runtime, county)
    assert units["T001V001"].name == "幸福村"
    assert units["T001V002"].parent_id == units["T002"].unit_id
    assert units["T001V003"].class_tags == ["PETITIONS", "WEAK"]
    assert stream_topics(runtime, units["T001V001"].unit_id) == ["Registered", "Renamed"]
    assert stream_topics(runtime, units["T001V002"].unit_id) == ["Registered", "Moved"]
    assert stream_topics(runtime, units["T001V003"].unit_id) == ["Registered", "Reclassified"]
    unit = runtime.store.load(Unit, units["T001V003"].unit_id, what="unit")
    assert unit.classes_on(unit.classifications[-1][0]) == ["PETITIONS", "WEAK"]  # type: ignore[arg-type]


def test_a_file_with_bad_rows_is_refused_whole_naming_every_bad_row(runtime: Runtime) -> None:
    _, county = onboard_county(runtime)
    head = runtime.store.max_position()
    rows = [
        ("T001", "第一镇", "乡镇", "", "", ""),
        ("V001", "", "村", "T001", "", ""),  # row 3: no name
        ("V002", "乙村", "村庄", "T001", "", ""),  # row 4: unknown type
        ("V003", "丙村", "村", "T999", "", ""),  # row 5: unknown township
        ("V004", "丁村", "村", "T001", "富裕村", ""),  # row 6: undefined class
        ("V004", "戊村", "村", "T001", "", ""),  # row 7: duplicate code
        ("V005", "己村", "村", "V004", "", ""),  # row 8: a village is no township
        ("V006", "庚" * 201, "村", "T001", "", ""),  # row 9: name too long (a domain rule)
        ("V007", "辛村", "村", "T001", "", ""),  # fine, but nothing is written
    ]

    with pytest.raises(ImportRefused) as refused:
        import_file(runtime, county, "units.csv", csv_file(rows, "gbk"))

    # each problem under the file's own header
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (3, "单位名称"),
        (4, "单位类型"),
        (5, "所属乡镇代码"),
        (6, "分类"),
        (7, "单位代码"),
        (8, "所属乡镇代码"),
        (9, "单位名称"),
    ]
    assert "T999" in refused.value.problems[2].reason
    assert runtime.store.max_position() == head
    assert units_of(runtime, county) == {}


def test_a_file_without_the_required_columns_is_refused(runtime: Runtime) -> None:
    _, county = onboard_county(runtime)
    with pytest.raises(ImportRefused) as refused:
        import_file(
            runtime, county, "units.csv", csv_file([("V1", "甲村")], "utf-8", ("代码", "名称"))
        )
    assert [(p.row, p.column) for p in refused.value.problems] == [(1, "类型")]


def test_only_an_admin_of_the_office_or_its_city_may_import(runtime: Runtime) -> None:
    city, county = onboard_county(runtime)
    data = csv_file(village_rows(1, 1), "utf-8")
    for acting in (
        Acting(role="COUNTY_TEAM", tenant_id=UUID(county)),
        Acting(role="ADMIN", tenant_id=UUID(int=1)),
    ):
        with pytest.raises(Forbidden):
            unit_imports(runtime).import_units(
                acting=acting, tenant_id=UUID(county), filename="u.csv", data=data
            )
    report = unit_imports(runtime).import_units(
        acting=Acting(role="ADMIN", tenant_id=UUID(city)),
        tenant_id=UUID(county),
        filename="u.csv",
        data=data,
    )
    assert report.created == 2


def test_a_village_under_a_refused_township_is_reported_too(runtime: Runtime) -> None:
    _, county = onboard_county(runtime)
    rows = [("T1", "镇" * 201, "乡镇", "", "", ""), ("V1", "甲村", "村", "T1", "", "")]

    with pytest.raises(ImportRefused) as refused:
        import_file(runtime, county, "units.csv", csv_file(rows, "utf-8"))

    assert [(p.row, p.column) for p in refused.value.problems] == [
        (2, "单位名称"),
        (3, "所属乡镇代码"),
    ]


def test_a_file_is_saved_in_batches_and_progress_counts_each_one(runtime: Runtime) -> None:
    _, county = onboard_county(runtime)
    saved: list[tuple[int, int]] = []
    report = unit_imports(runtime, batch_size=2).import_units(
        acting=Acting.console(),
        tenant_id=UUID(county),
        filename="units.csv",
        data=csv_file(village_rows(townships=1, villages_per_township=4), "utf-8"),
        progress=lambda done, total: saved.append((done, total)),
    )

    assert saved == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert report.position == runtime.store.max_position()
    assert {"T001", "T001V001", "T001V004"} <= set(units_of(runtime, county))


FIELD_HEADER = ("代码", "村名", "类型", "乡镇")  # as an office's own list of villages has it


def test_villages_name_their_township_by_name_under_the_offices_own_headers(
    runtime: Runtime,
) -> None:
    _, county = onboard_county(runtime)
    rows = [
        ("T1", "柳林镇", "镇", ""),
        ("V1", "前村", "村", "柳林镇"),
        ("V2", "后村", "村", "T1"),
    ]

    report = import_file(runtime, county, "村名单.csv", csv_file(rows, "utf-8", FIELD_HEADER))

    units = units_of(runtime, county)
    assert report["created"] == 3
    assert units["V1"].parent_id == units["V2"].parent_id == units["T1"].unit_id
    assert units["V1"].name == "前村"


def test_every_problem_of_a_row_is_named_under_the_files_header(runtime: Runtime) -> None:
    _, county = onboard_county(runtime)
    rows = [
        ("T1", "柳林镇", "镇", ""),
        ("T2", "柳林镇", "镇", ""),
        ("V1", "前村", "庄园", "杨柳镇"),  # row 4: unknown type, unknown township
        ("V2", "后村", "村", "柳林镇"),  # row 5: two townships of that name
    ]

    with pytest.raises(ImportRefused) as refused:
        import_file(runtime, county, "村名单.csv", csv_file(rows, "utf-8", FIELD_HEADER))

    problems = {(p.row, p.column): p.reason for p in refused.value.problems}
    assert sorted(problems) == [(4, "乡镇"), (4, "类型"), (5, "乡镇")]
    assert "no township with code or name 杨柳镇" in problems[4, "乡镇"]
    assert "'庄园' is not a unit type" in problems[4, "类型"]
    assert "more than one township has this name (T1、T2); give its code" in problems[5, "乡镇"]
