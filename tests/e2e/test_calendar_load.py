"""`xuncha calendar load`: an administrator loads a year's official schedule; a due date that
was counted Monday–Friday through that year (provisional) is recounted on the real one."""

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entrypoints.cli.main import app
from infrastructure.settings import Settings
from services.runtime import Runtime
from tests.e2e.clue_support import act, only_node, register
from tests.support.graphql import GraphQL, register_city_with_village


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    monkeypatch.setenv("XUNCHA_DATABASE_URL", str(settings.database_url))
    monkeypatch.setenv("XUNCHA_DATA_DIR", str(settings.data_dir))


def test_loading_2027_settles_a_provisional_due_date(
    gql: GraphQL, runtime: Runtime, tmp_path: Path, cli_env: None
) -> None:
    runtime.clues.today = lambda: date(2026, 12, 1)
    ids = register_city_with_village(gql)
    clue = register(gql, ids)["id"]
    act(gql, "triageClue", clueId=clue, priority="KEY", proposedRoute="移交")
    written = act(
        gql,
        "transferClue",
        clueId=clue,
        handlingBody="TOWNSHIP_COMMITTEE",
        receivingTenantId=ids["county"],
        workingDays=30,
    )
    # 22 working days left in December 2026, then 8 counted Monday–Friday in 2027.
    before = only_node(gql, minPosition=written["position"])
    assert (before["dueDate"], before["dueProvisional"]) == ("2027-01-12", True)

    schedule = tmp_path / "2027.json"
    schedule.write_text(
        json.dumps(
            {
                "year": 2027,
                "holidays": ["2027-01-01"],
                "workingWeekends": [],
                "source": "国务院办公厅关于2027年部分节假日安排的通知",
            }
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["calendar", "load", str(schedule), "--force"])
    assert result.exit_code == 0, result.output
    assert "2027" in result.output

    after = only_node(gql, minPosition=runtime.store.max_position())
    assert (after["dueDate"], after["dueProvisional"]) == ("2027-01-13", False)


def test_a_due_date_set_after_the_year_is_loaded_is_firm(
    gql: GraphQL, runtime: Runtime, tmp_path: Path, cli_env: None
) -> None:
    schedule = tmp_path / "2027.csv"
    schedule.write_text("date,kind\n2027-01-01,HOLIDAY\n2027-02-06,WORKDAY\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["calendar", "load", str(schedule), "--force"])
    assert result.exit_code == 0, result.output

    runtime.clues.today = lambda: date(2026, 12, 1)
    ids = register_city_with_village(gql)
    clue = register(gql, ids)["id"]
    act(gql, "triageClue", clueId=clue, priority="KEY", proposedRoute="移交")
    written = act(
        gql,
        "transferClue",
        clueId=clue,
        handlingBody="TOWNSHIP_COMMITTEE",
        receivingTenantId=ids["county"],
        workingDays=30,
    )
    node = only_node(gql, minPosition=written["position"])
    assert (node["dueDate"], node["dueProvisional"]) == ("2027-01-13", False)


def test_a_malformed_schedule_is_refused_and_records_nothing(
    runtime: Runtime, tmp_path: Path, cli_env: None
) -> None:
    before = runtime.store.max_position()
    schedule = tmp_path / "bad.json"
    schedule.write_text(json.dumps({"year": 2027, "workingWeekends": ["2027-01-05"]}))
    result = CliRunner().invoke(app, ["calendar", "load", str(schedule)])
    assert result.exit_code == 2
    assert "Saturday or Sunday" in result.output
    assert runtime.store.max_position() == before


# 2027 as an office might type it: weekday holidays and the weekend days worked (illustrative).
CHINESE_CSV = (
    "日期,类型\n"
    + "".join(
        f"{day},放假\n"
        for day in [
            "2027-01-01",
            *(f"2027-02-{d:02d}" for d in (5, 8, 9, 10, 11, 12)),
            "2027-04-05",
            *(f"2027-05-{d:02d}" for d in (3, 4, 5)),
            "2027-06-09",
            "2027-09-15",
            *(f"2027-10-{d:02d}" for d in (1, 4, 5, 6, 7)),
        ]
    )
    + "2027-02-06,上班\n2027-10-09,补班\n"
)


def test_a_schedule_with_chinese_headers_and_kinds_loads(
    runtime: Runtime, tmp_path: Path, cli_env: None
) -> None:
    schedule = tmp_path / "2027年节假日.csv"
    schedule.write_text(CHINESE_CSV, encoding="utf-8-sig")

    result = CliRunner().invoke(app, ["calendar", "load", str(schedule)])

    assert result.exit_code == 0, result.output
    loaded = runtime.calendar.schedule(2027)
    assert loaded is not None
    assert (len(loaded.holidays), len(loaded.working_weekends)) == (18, 2)
    assert not loaded.is_working_day(date(2027, 10, 4))
    assert loaded.is_working_day(date(2027, 2, 6))


def test_a_fragment_of_a_year_is_refused_unless_forced(
    runtime: Runtime, tmp_path: Path, cli_env: None
) -> None:
    before = runtime.store.max_position()
    schedule = tmp_path / "2027.csv"
    schedule.write_text("date,kind\n2027-01-01,HOLIDAY\n2027-02-06,WORKDAY\n", encoding="utf-8")

    refused = CliRunner().invoke(app, ["calendar", "load", str(schedule)])
    assert refused.exit_code == 2
    assert "does not look like the whole schedule of 2027" in refused.output
    assert "1 holidays" in refused.output
    assert "--force" in refused.output
    assert runtime.store.max_position() == before

    forced = CliRunner().invoke(app, ["calendar", "load", str(schedule), "--force"])
    assert forced.exit_code == 0, forced.output
    assert runtime.store.max_position() > before


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("day,type\n2027-01-01,HOLIDAY\n", "must name a column date or 日期; it has: day, type"),
        ("日期,类型\n2027-01-01,\n", "row 2: kind '' is none of HOLIDAY"),
        ("日期,类型\n2027-13-01,放假\n", "dates are YYYY-MM-DD"),
    ],
)
def test_an_unreadable_csv_is_refused_naming_what_is_wrong(
    runtime: Runtime, tmp_path: Path, cli_env: None, text: str, said: str
) -> None:
    before = runtime.store.max_position()
    schedule = tmp_path / "2027.csv"
    schedule.write_text(text, encoding="utf-8")

    result = CliRunner().invoke(app, ["calendar", "load", str(schedule)])

    assert result.exit_code == 2
    assert said in result.output
    assert runtime.store.max_position() == before
