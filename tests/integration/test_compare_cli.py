"""`xuncha compare`: a GBK CSV registered from the console, a model run on it, a bad file
refused with its rows listed; what is printed holds counts and ids, never a person."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from domain.comparison.values import DatasetKind
from entrypoints.cli.main import app
from infrastructure.settings import Settings
from services.runtime import Runtime
from tests.integration.test_import_cli import cli_env
from tests.support.comparison import WORLD, P, csv_bytes, office_with_units


def register(settings: Settings, file: Path, kind: DatasetKind) -> str:
    command = ["compare", "dataset", "register", str(file), "--office", "3701"]
    command += ["--kind", kind.value, "--period", "2026年上半年"]
    result = CliRunner().invoke(app, command, env=cli_env(settings))
    assert result.exit_code == 0, result.output
    return result.output


def test_datasets_registered_and_a_model_run_from_the_console(
    runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    office_with_units(runtime)
    for kind in (DatasetKind.PUBLIC_PAYROLL, DatasetKind.SUBSISTENCE_ALLOWANCE):
        file = tmp_path / f"{kind.value}.csv"
        file.write_bytes(csv_bytes(kind, WORLD[kind], "gbk"))
        assert f"{len(WORLD[kind])} rows" in register(settings, file, kind)

    ran = CliRunner().invoke(
        app, ["compare", "run", "PAYROLL_ALLOWANCE", "--office", "3701"], env=cli_env(settings)
    )
    assert ran.exit_code == 0, ran.output
    assert "1 hits, 1 new candidates" in ran.output
    assert P[0].masked not in ran.output


def test_a_bad_file_is_refused_with_its_rows_and_no_identity_number_printed(
    runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    office_with_units(runtime)
    kind = DatasetKind.DEATH_RECORDS
    given = [{**row, "died_on": "去年"} for row in WORLD[kind]]
    file = tmp_path / "deaths.csv"
    file.write_bytes(csv_bytes(kind, given, "utf-8"))
    head = runtime.store.max_position()
    command = ["compare", "dataset", "register", str(file), "--office", "3701"]
    command += ["--kind", "DEATH_RECORDS", "--period", "2026"]
    result = CliRunner().invoke(app, command, env=cli_env(settings))
    assert result.exit_code == 1
    assert "row 2, 死亡日期: not a date" in result.output
    assert "row 3, 死亡日期" in result.output
    assert all(row["id_number"] not in result.output for row in given)
    assert runtime.store.max_position() == head
