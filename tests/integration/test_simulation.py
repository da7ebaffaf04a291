"""`xuncha simulate`: a whole city built through the services, the same for the same seed,
holding every linkage and every stage of a clue's and a task's life, with intact hash
chains, and resumable after an interruption."""

from __future__ import annotations

import itertools
import json
import os
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from typer.testing import CliRunner

from entrypoints.cli.main import app
from infrastructure.settings import Settings
from services.runtime import running
from services.simulation import PROFILES, Outcome, simulate

SMALL = PROFILES["small"]
SEED = 7
_extra = itertools.count(1)

Stream = dict[tuple[str, int], tuple[str, dict[str, Any]]]


@pytest.fixture
def other_settings(
    postgres_admin_url: str, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """Settings over a second fresh database, dropped afterwards."""
    name = f"xuncha_sim_{os.getpid()}_{next(_extra)}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params = conninfo_to_dict(postgres_admin_url) | {"dbname": name}
    yield settings.model_copy(
        update={
            "database_url": make_conninfo("", **params),
            "data_dir": tmp_path_factory.mktemp("xuncha-sim"),
        }
    )
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def run(settings: Settings, **options: Any) -> Outcome:
    with running(settings, feed=False) as runtime:
        return simulate(runtime, SMALL, SEED, **options)


def streams(settings: Settings) -> Stream:
    """Every stored event by (stream, version): its topic and payload, without what a run
    stamps itself (timestamp) and what follows from it (the hash of the predecessor)."""
    with psycopg.connect(settings.database_url or "") as conn:
        rows = conn.execute(
            "SELECT originator_id, originator_version, topic, state FROM xuncha_events"
        ).fetchall()
    found: Stream = {}
    for stream, version, topic, state in rows:
        payload = json.loads(bytes(state))
        payload.pop("timestamp")
        payload.pop("prev_hash")
        found[(str(stream), version)] = (topic, payload)
    return found


def topics(found: Stream) -> Counter[str]:
    return Counter(topic.rsplit(":", 1)[-1] for topic, _ in found.values())


def test_the_same_seed_builds_the_same_streams_in_another_database(
    settings: Settings, other_settings: Settings
) -> None:
    first = run(settings)
    second = run(other_settings)

    assert first.events == second.events > 1000
    assert streams(settings) == streams(other_settings)


def test_a_small_city_holds_every_linkage_and_every_stage_of_work(settings: Settings) -> None:
    run(settings)
    found = streams(settings)
    kinds = topics(found)

    linkages = {p["linkage"] for t, p in found.values() if t.endswith("Round.Planned")}
    assert linkages == {"STANDALONE", "ESCALATED", "LINKED", "JOINT", "CROSS"}
    for topic in (
        "Clue.Registered",
        "Clue.Triaged",
        "Clue.Transferred",
        "Clue.Accepted",
        "Clue.ProgressReported",
        "Clue.Concluded",
        "Feedback.Recorded",
        "Task.Assigned",
        "Task.ReportedDone",
        "Task.Verified",
        "Task.BallotsRecorded",
    ):
        assert kinds[topic] > 0, topic
    steps = {p["step"] for t, p in found.values() if t.endswith("Clue.Supervised")}
    assert {"SUPERVISION_NOTICE", "WARNING"} <= steps
    last = _last_clue_events(found)
    assert set(last.values()) >= {"Registered", "Triaged", "Transferred", "Concluded"}
    assert _overdue(found, last, date.today()) > 0


def _last_clue_events(found: Stream) -> dict[str, str]:
    """Each clue's last lifecycle event, supervision aside."""
    last: dict[str, tuple[int, str]] = {}
    for (stream, version), (topic, _) in found.items():
        name = topic.rsplit(".", 1)[-1]
        if ":Clue." in topic and name != "Supervised" and version > last.get(stream, (0, ""))[0]:
            last[stream] = (version, name)
    return {stream: name for stream, (_, name) in last.items()}


def _overdue(found: Stream, last: dict[str, str], today: date) -> int:
    due = {
        stream: date.fromisoformat(p["due_date"]["_data_"])
        for (stream, _), (t, p) in found.items()
        if t.endswith("Clue.Transferred")
    }
    return sum(1 for s, d in due.items() if last[s] != "Concluded" and d < today)


def test_the_simulated_city_passes_audit_verify(settings: Settings) -> None:
    outcome = run(settings)
    env = {
        "XUNCHA_DATABASE_URL": settings.database_url or "",
        "XUNCHA_DATA_DIR": str(settings.data_dir),
    }

    result = CliRunner().invoke(app, ["audit", "verify"], env=env)

    assert result.exit_code == 0, result.output
    assert f"INTACT: {outcome.events} events" in result.output


def test_the_command_run_again_finds_everything_recorded(settings: Settings) -> None:
    env = {
        "XUNCHA_DATABASE_URL": settings.database_url or "",
        "XUNCHA_DATA_DIR": str(settings.data_dir),
    }
    command = ["simulate", "--profile", "small", "--seed", str(SEED)]

    first = CliRunner().invoke(app, command, env=env)
    again = CliRunner().invoke(app, command, env=env)

    assert first.exit_code == 0, first.output
    assert again.exit_code == 0, again.output
    assert ", 0 already recorded" in first.output
    assert "done: 0 chunks run" in again.output
    assert ", 0 events saved" in again.output


def test_an_interrupted_run_resumed_ends_as_an_uninterrupted_one(
    settings: Settings, other_settings: Settings
) -> None:
    whole = run(settings)
    stopped = run(other_settings, stop_after=40)
    assert stopped.interrupted
    resumed = run(other_settings)

    assert resumed.skipped > 0
    assert stopped.events + resumed.events == whole.events
    assert streams(other_settings) == streams(settings)
