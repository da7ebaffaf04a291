"""`xuncha import units` reads a GBK CSV with Chinese headers and reports bad rows."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from openpyxl import load_workbook
from typer.testing import CliRunner

from entrypoints.cli.main import app
from infrastructure.settings import Settings
from projections import directory
from services.runtime import Runtime
from tests.support.unit_files import csv_file, onboard_county, village_rows


def cli_env(settings: Settings) -> dict[str, str]:
    return {
        "XUNCHA_DATABASE_URL": settings.database_url or "",
        "XUNCHA_DATA_DIR": str(settings.data_dir),
    }


def test_a_gbk_csv_is_imported_through_the_cli(
    runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    _, county = onboard_county(runtime, "370112")
    file = tmp_path / "历城区单位.csv"
    file.write_bytes(csv_file(village_rows(townships=3, villages_per_township=20), "gbk"))

    result = CliRunner().invoke(
        app, ["import", "units", str(file), "--tenant", "370112"], env=cli_env(settings)
    )

    assert result.exit_code == 0, result.output
    assert "created 63" in result.output
    runtime.wait_for_projections(runtime.store.max_position())
    with runtime.reads.connection() as conn:
        names = {row.code: row.name for row in directory.units_of(conn, UUID(county))}
    assert names["T002V020"] == "2镇20村"
    assert names["T003"] == "第3镇"


def test_the_cli_lists_every_bad_row_and_writes_nothing(
    runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    onboard_county(runtime, "370112")
    head = runtime.store.max_position()
    file = tmp_path / "units.csv"
    file.write_bytes(
        csv_file([("V1", "", "村", "", "", ""), ("V2", "乙村", "农场", "", "", "")], "gbk")
    )

    result = CliRunner().invoke(
        app, ["import", "units", str(file), "--tenant", "370112"], env=cli_env(settings)
    )

    assert result.exit_code == 1
    assert "2 problem(s)" in result.output
    assert "农场" in result.output
    assert runtime.store.max_position() == head


def test_the_console_writes_the_inspectors_template(tmp_path: Path) -> None:
    target = tmp_path / "巡察干部.xlsx"

    result = CliRunner().invoke(app, ["import", "template", "inspectors", "--out", str(target)])

    assert result.exit_code == 0, result.output
    sheet = load_workbook(target).worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["工号*", "姓名*", "任职单位代码"]
