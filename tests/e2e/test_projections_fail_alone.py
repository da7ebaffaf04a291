"""Projections fail alone: an event one projection cannot apply is parked and stops that
projection only; the others reach the head of the log and serve fresh reads; operators see it
in `xuncha projections status`, /readyz and /metrics; `xuncha projections retry` resumes it
once the cause is gone, and it catches up with every event applied once."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from entrypoints.cli.main import app as cli
from entrypoints.http.app import create_app
from infrastructure.settings import Settings
from projections import tracking
from projections.clue_ledger import ClueLedger
from services.runtime import Runtime, running
from tests.support.auth import TokenMint
from tests.support.faulty_ledger import POISON, FaultyLedger, parked_within, with_ledger, write
from tests.support.graphql import GraphQL

LEDGER = """
query($minPosition: BigInt) {
  clueLedger(minPosition: $minPosition) { totalCount edges { node { summary } } }
}
"""
UNITS = """
query($tenantId: ID!, $minPosition: BigInt) {
  units(tenantId: $tenantId, minPosition: $minPosition) { edges { node { code } } }
}
"""


@pytest.fixture
def ledger() -> FaultyLedger:
    return FaultyLedger()


@pytest.fixture
def runtime(settings: Settings, ledger: FaultyLedger) -> Iterator[Runtime]:
    with running(settings, projections=with_ledger(ledger)) as rt:
        yield rt


@pytest.fixture
def gql(runtime: Runtime) -> Iterator[GraphQL]:
    with TestClient(create_app(runtime), headers=TokenMint.of(runtime.settings).headers()) as http:
        yield GraphQL(http)


def cli_env(settings: Settings) -> dict[str, str]:
    return {
        "XUNCHA_DATABASE_URL": settings.database_url or "",
        "XUNCHA_DATA_DIR": str(settings.data_dir),
    }


def test_the_other_projections_serve_fresh_reads_past_an_event_one_cannot_apply(
    runtime: Runtime, gql: GraphQL, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="projections.tracking")
    written = write(runtime)
    others = [p.name for p in runtime.projections if p.name != ClueLedger.name]

    runtime.wait_for_projections(written.head, others)
    units = gql.data(UNITS, {"tenantId": str(written.city), "minPosition": written.head})
    assert [e["node"]["code"] for e in units["units"]["edges"]] == ["D1", "D2"]
    [parked] = parked_within(runtime, 10)
    assert (parked.projection, parked.feed) == (ClueLedger.name, tracking.LOG_FEED)
    assert (parked.position, parked.originator_id) == (written.poisoned_at, written.poisoned)
    assert parked.event_topic.endswith("Clue.Registered")
    assert (parked.error_class, parked.error_message) == (
        "ValueError",
        "the ledger cannot apply this registration",
    )
    progress = runtime.projection_progress()
    assert {name: progress[name]["position"] for name in others} == dict.fromkeys(
        others, written.head
    )
    # The ledger kept what came before the parked event, and says so rather than wait.
    assert progress[ClueLedger.name]["position"] == written.poisoned_at - 1
    assert gql.data(LEDGER)["clueLedger"]["totalCount"] == 1
    started = time.monotonic()
    refused = gql.error(LEDGER, {"minPosition": written.head})
    assert time.monotonic() - started < runtime.settings.read_wait_seconds / 2
    assert refused["extensions"]["code"] == "STALE"
    assert refused["extensions"]["stopped"] == [ClueLedger.name]
    assert "clue_ledger is stopped" in refused["message"]

    [line] = [r for r in caplog.records if r.name == "projections.tracking"]
    assert line.levelno == logging.ERROR
    assert ClueLedger.name in line.getMessage()
    assert f"position {written.poisoned_at}" in line.getMessage()
    assert "ValueError" in line.getMessage()
    assert POISON not in line.getMessage()


def test_operators_see_the_stopped_projection_and_resume_it_after_a_fix(
    runtime: Runtime, gql: GraphQL, ledger: FaultyLedger, settings: Settings
) -> None:
    written = write(runtime)
    assert parked_within(runtime, 10)

    assert gql.http.get("/healthz").status_code == 200  # the process lives
    health = gql.http.get("/readyz")
    assert health.status_code == 503
    assert health.json()["failed"] == ["projections_stopped"]
    assert health.json()["stopped"] == {
        ClueLedger.name: {"position": written.poisoned_at, "error": "ValueError"}
    }
    assert POISON not in health.text
    assert str(written.poisoned) not in health.text
    metrics = gql.http.get("/metrics").text.splitlines()
    assert 'xuncha_projection_parked_events{projection="clue_ledger"} 1.0' in metrics
    assert 'xuncha_projection_parked_events{projection="directory"} 0.0' in metrics

    status = CliRunner().invoke(cli, ["projections", "status"], env=cli_env(settings))
    assert status.exit_code == 0, status.output
    assert f"STOPPED at {written.poisoned_at}" in status.output
    assert f"clue_ledger STOPPED at position {written.poisoned_at} (log): ValueError" in (
        status.output
    )
    assert str(written.poisoned) in status.output

    ledger.faulty = False  # the fix
    retried = CliRunner().invoke(
        cli, ["projections", "retry", "clue_ledger"], env=cli_env(settings)
    )
    assert retried.exit_code == 0, retried.output
    assert f"clue_ledger: retrying from position {written.poisoned_at}" in retried.output

    found = gql.data(LEDGER, {"minPosition": written.head})["clueLedger"]
    assert found["totalCount"] == 3
    assert POISON in {e["node"]["summary"] for e in found["edges"]}
    assert runtime.projection_progress()[ClueLedger.name] == {
        "position": written.head,
        "applied": written.head,
    }
    assert runtime.parked_events() == []
    ready = gql.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    assert "stopped" not in ready.json()
    status = CliRunner().invoke(cli, ["projections", "status"], env=cli_env(settings))
    assert "STOPPED" not in status.output


def test_retrying_an_event_that_still_fails_parks_it_again(runtime: Runtime) -> None:
    written = write(runtime)
    [first] = parked_within(runtime, 10)

    assert runtime.retry_projection(ClueLedger.name) == 1
    [again] = parked_within(runtime, 10)

    assert again.position == first.position == written.poisoned_at
    assert again.parked_at >= first.parked_at
    assert runtime.projection_progress()[ClueLedger.name]["position"] == written.poisoned_at - 1


def test_retrying_an_unknown_projection_names_the_known_ones(settings: Settings) -> None:
    result = CliRunner().invoke(cli, ["projections", "retry", "ledger"], env=cli_env(settings))
    assert result.exit_code == 2
    assert "No projection named 'ledger'" in result.output
    assert "clue_ledger" in result.output


def test_rebuilding_a_stopped_projection_with_the_fix_runs_it_again(
    runtime: Runtime, gql: GraphQL, ledger: FaultyLedger, settings: Settings
) -> None:
    written = write(runtime)
    assert parked_within(runtime, 10)

    # The rebuild runs the released clue ledger, which applies the event.
    rebuilt = CliRunner().invoke(
        cli, ["projections", "rebuild", "clue_ledger"], env=cli_env(settings)
    )
    assert rebuilt.exit_code == 0, rebuilt.output
    ledger.faulty = False  # this process's ledger runs the fix too from now on

    assert runtime.parked_events() == []
    found = gql.data(LEDGER, {"minPosition": written.head})["clueLedger"]
    assert found["totalCount"] == 3
