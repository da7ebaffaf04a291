"""Bulk import of inspectors: validated whole, idempotent, only differences recorded, and
recusal sees what was imported."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from typer.testing import CliRunner

from domain.audit.hashing import GENESIS_HASH
from domain.errors import RuleViolation
from domain.inspectors.inspector import Inspector, inspector_id_for
from domain.rounds.values import Linkage, Period, RoundKind, TeamRole
from domain.tenants.unit import unit_id_for
from entrypoints.cli.main import app
from infrastructure.settings import Settings
from projections import inspectors
from services.audit import AuditTrail
from services.authorization import CONSOLE
from services.imports.inspectors import inspector_imports
from services.imports.pipeline import ImportRefused
from services.imports.units import unit_imports
from services.runtime import Runtime
from services.tenants import Acting
from tests.integration.test_import_cli import cli_env
from tests.support.inspector_files import cadre_rows, inspector_csv, inspector_workbook
from tests.support.unit_files import csv_file, onboard_county, village_rows

VILLAGES = [f"T001V{v:03d}" for v in range(1, 11)]


def county_with_villages(runtime: Runtime) -> UUID:
    _, county = onboard_county(runtime, "370112")
    unit_imports(runtime).import_units(
        acting=Acting.console(),
        tenant_id=UUID(county),
        filename="units.csv",
        data=csv_file(village_rows(townships=1, villages_per_township=10), "utf-8"),
    )
    return UUID(county)


def import_file(runtime: Runtime, county: UUID, name: str, data: bytes) -> dict[str, int]:
    report = inspector_imports(runtime).import_inspectors(
        acting=Acting.console(), tenant_id=county, filename=name, data=data
    )
    return report.as_dict()


def listed(runtime: Runtime, **where: Any) -> list[inspectors.InspectorRow]:
    runtime.wait_for_projections(runtime.store.max_position())
    with runtime.reads.connection() as conn:
        page = inspectors.inspectors_page(
            conn,
            inspectors.InspectorFilter(**where),
            first=500,
            after=None,
        )
    return [row for _, row in page.items]


def topics(runtime: Runtime, inspector_id: UUID) -> list[str]:
    return [e.topic.rsplit(".", 1)[-1] for e in runtime.store.recorder.select_events(inspector_id)]


def test_a_workbook_of_cadres_is_imported_and_importing_it_again_changes_nothing(
    runtime: Runtime,
) -> None:
    county = county_with_villages(runtime)
    data = inspector_workbook(cadre_rows(300, VILLAGES))

    first = import_file(runtime, county, "巡察干部.xlsx", data)
    print(f"\n300 cadres (360 rows) imported in {first['seconds']} s")

    assert (first["inspectors"], first["created"], first["rows"]) == (300, 300, 360)
    rows = {row.staff_number: row for row in listed(runtime, home_tenant_id=county)}
    assert len(rows) == 300
    tenth = rows["JN0010"]
    assert tenth.inspector_id == inspector_id_for(county, "JN0010")
    assert [(p.unit_id, p.start, p.end) for p in tenth.postings] == [
        (unit_id_for(county, "T001V001"), date(2015, 1, 1), date(2019, 12, 31)),
        (unit_id_for(county, "T001V002"), date(2020, 1, 1), None),
    ]
    assert [(r.kinship, r.person) for r in rows["JN0014"].relations] == [("SPOUSE", "亲属14")]

    head = runtime.store.max_position()
    again = import_file(runtime, county, "巡察干部.xlsx", data)
    print(f"importing them again took {again['seconds']} s")
    assert (again["created"], again["unchanged"]) == (0, 300)
    assert runtime.store.max_position() == head


def test_a_changed_file_records_only_the_differences_as_events(runtime: Runtime) -> None:
    county = county_with_villages(runtime)
    rows = cadre_rows(10, VILLAGES)
    import_file(runtime, county, "cadres.csv", inspector_csv(rows, "utf-8"))
    changed = [list(r) for r in rows]
    changed[0][1] = "王新名"  # JN0001 renamed
    changed[5][4] = "2021-06-30"  # JN0005's current post (continuation row) ends
    changed[7] = [*changed[7][:5], "", "", "", "", ""]  # JN0007 withdraws the relation
    changed.append(["JN0011", "新干部", "T001V003", "2024-01-01", "", "", "", "", "", ""])

    report = import_file(runtime, county, "cadres.csv", inspector_csv(changed, "utf-8"))

    counts = {k: v for k, v in report.items() if k not in ("tenant_id", "position", "seconds")}
    assert counts == {
        "rows": 13,
        "inspectors": 11,
        "created": 1,
        "renamed": 1,
        "postings_added": 0,
        "postings_ended": 1,
        "postings_removed": 0,
        "relations_declared": 0,
        "relations_withdrawn": 1,
        "unchanged": 7,
    }
    assert topics(runtime, inspector_id_for(county, "JN0001")) == ["Registered", "Renamed"]
    assert topics(runtime, inspector_id_for(county, "JN0005")) == ["Registered", "PostingEnded"]
    assert topics(runtime, inspector_id_for(county, "JN0007")) == [
        "Registered",
        "RelationWithdrawn",
    ]
    assert topics(runtime, inspector_id_for(county, "JN0002")) == ["Registered"]
    assert [r.name for r in listed(runtime, name_contains="新")] == ["王新名", "新干部"]


def test_a_file_with_bad_rows_is_refused_whole_naming_each_row(runtime: Runtime) -> None:
    county = county_with_villages(runtime)
    head = runtime.store.max_position()
    rows = [
        ["JN0001", "甲", "T001V001", "2015-01-01", "", "", "", "", "", ""],
        ["JN0002", "", "T001V001", "2015-01-01", "", "", "", "", "", ""],
        ["JN0003", "丙", "NOPE", "2015-01-01", "", "", "", "", "", ""],
        ["JN0004", "丁", "T001V002", "2015-13-01", "", "", "", "", "", ""],
        ["JN0005", "戊", "T001V002", "2020-01-01", "2019-01-01", "", "", "", "", ""],
        ["JN0006", "己", "", "", "", "表亲", "某人", "", "T001V003", ""],
        ["JN0001", "别名", "", "", "", "", "", "", "", ""],
    ]

    with pytest.raises(ImportRefused) as refused:
        import_file(runtime, county, "bad.csv", inspector_csv(rows, "gbk"))

    assert [(p.row, p.column) for p in refused.value.problems] == [
        (3, "姓名"),
        (4, "任职单位代码"),
        (5, "任职起始日期"),
        (6, "任职截止日期"),
        (7, "亲属关系"),
        (8, "姓名"),
    ]
    assert "NOPE" in refused.value.problems[1].reason
    assert runtime.store.max_position() == head
    assert listed(runtime, home_tenant_id=county) == []


def test_a_gbk_csv_is_imported_through_the_cli_and_a_bad_one_lists_its_rows(
    runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    county = county_with_villages(runtime)
    good = tmp_path / "历城区巡察干部.csv"
    good.write_bytes(inspector_csv(cadre_rows(20, VILLAGES), "gbk"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(inspector_csv([["JN0099", "某", "NOPE", "2020-01-01"]], "gbk"))

    result = CliRunner().invoke(
        app, ["import", "inspectors", str(good), "--tenant", "370112"], env=cli_env(settings)
    )
    refused = CliRunner().invoke(
        app, ["import", "inspectors", str(bad), "--tenant", "370112"], env=cli_env(settings)
    )

    assert result.exit_code == 0, result.output
    assert "created 20" in result.output
    assert refused.exit_code == 1
    assert "NOPE" in refused.output
    assert [r.name for r in listed(runtime, home_tenant_id=county)][:2] == ["干部1", "干部2"]
    assert not runtime.store.exists(inspector_id_for(county, "JN0099"))


def test_recusal_is_still_refused_after_a_posting_arrives_by_import(runtime: Runtime) -> None:
    county = county_with_villages(runtime)
    village = unit_id_for(county, "T001V004")
    rows = [["JN0001", "王巡察", "", "", "", "", "", "", "", ""]]
    import_file(runtime, county, "cadres.csv", inspector_csv(rows, "utf-8"))
    planned = runtime.rounds.plan_round(
        tenant_id=county,
        kind=RoundKind.REGULAR,
        linkage=Linkage.STANDALONE,
        title="第一轮巡察",
        period=Period(date(2026, 12, 1), date(2027, 1, 31)),
        target_unit_ids=[village],
        acting=CONSOLE,
    )
    wang = inspector_id_for(county, "JN0001")
    with pytest.raises(RuleViolation) as before:
        runtime.rounds.assign_inspector(
            round_id=planned.id, inspector_id=wang, role=TeamRole.MEMBER, acting=CONSOLE
        )
    assert before.value.rule == "RECUSAL_HOME_AREA"
    rows[0][2:4] = ["T001V004", "2024-05-01"]
    report = import_file(runtime, county, "cadres.csv", inspector_csv(rows, "utf-8"))
    assert report["postings_added"] == 1

    with pytest.raises(RuleViolation) as refused:
        runtime.rounds.assign_inspector(
            round_id=planned.id, inspector_id=wang, role=TeamRole.MEMBER, acting=CONSOLE
        )
    assert refused.value.rule == "RECUSAL_POST"  # the imported posting, checked first
    assert refused.value.details["unit_id"] == str(village)


def test_an_inspector_stored_in_the_version_1_shape_loads_and_imports_over_it(
    runtime: Runtime,
) -> None:
    county = county_with_villages(runtime)
    old_id = UUID(int=7)
    state: dict[str, object] = {
        "timestamp": datetime(2019, 5, 1, 8, 0, tzinfo=UTC),
        "originator_topic": "domain.inspectors.inspector:Inspector",
        "tenant_id": county,
        "actor": "migration-2019",
        "prev_hash": GENESIS_HASH,
        "name": "老干部",
        "postings": [],
        "relations": [],
    }
    runtime.store.recorder.insert_events(
        [
            StoredEvent(
                originator_id=old_id,
                originator_version=1,
                topic="domain.inspectors.inspector:Inspector.Registered",
                state=runtime.store.mapper.transcoder.encode(state),
            )
        ]
    )

    old = runtime.store.load(Inspector, old_id, what="inspector")
    assert (old.name, old.staff_number, old.postings) == ("老干部", None, [])
    old.rename("老干部甲", reason="更正")
    runtime.store.record(old)
    assert AuditTrail(runtime.store, runtime.reads, runtime.settings).verify().findings == []
    assert [r.name for r in listed(runtime, home_tenant_id=county)] == ["老干部甲"]
