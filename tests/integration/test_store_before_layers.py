"""Events written before the code moved into its layered rooms stay readable, and their hash
chains and seal stay intact. The fixture is the event store of a demo city written by the last
commit before the move (0f48fd8): `xuncha serve --demo`, a clue registered with an informant,
corrected, its informant erased, then `xuncha audit seal`."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from uuid import UUID

import psycopg
from typer.testing import CliRunner

from domain.clues.clue import Clue
from entrypoints.cli.main import app
from infrastructure.settings import Settings
from services.runtime import running

FIXTURE = Path(__file__).parent.parent / "fixtures" / "store_before_layers"
AUDIT_KEY = "c3755b924561518a964340b498c25f251a28b88d05e783b5a370c44ab8118cb4"
CORRECTED_CLUE = "64bf67ab-bcd2-4641-9e80-28dba216321a"
EVENTS = 68


def load_fixture(database_url: str) -> None:
    with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
        rows = [json.loads(line) for line in gzip.open(FIXTURE / "events.jsonl.gz", "rt")]
        with cursor.copy(
            "COPY xuncha_events (originator_id, originator_version, topic, state, "
            "notification_id) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(
                    (
                        row["originator_id"],
                        row["originator_version"],
                        row["topic"],
                        bytes.fromhex(row["state"]),
                        row["notification_id"],
                    )
                )
        cursor.execute(
            "SELECT setval('xuncha_events_notification_id_seq', "
            "(SELECT max(notification_id) FROM xuncha_events))"
        )


def test_a_store_written_before_the_move_verifies_replays_and_projects(
    settings: Settings,
) -> None:
    with running(settings, feed=False):
        pass  # creates the event store's tables, as any start does
    load_fixture(settings.database_url or "")

    result = CliRunner().invoke(
        app,
        ["audit", "verify"],
        env={
            "XUNCHA_DATABASE_URL": settings.database_url or "",
            "XUNCHA_DATA_DIR": str(settings.data_dir),
            "XUNCHA_AUDIT_KEY": AUDIT_KEY,
        },
    )
    assert result.exit_code == 0, result.output
    assert f"INTACT: {EVENTS} events in 55 streams" in result.output
    assert "54 streams up to log position 65" in result.output

    with running(settings) as runtime:
        runtime.wait_for_projections(EVENTS)
        clue = runtime.store.load(Clue, UUID(CORRECTED_CLUE), what="clue")
        assert clue.summary == "旧数据：举报村账目不清（更正）"
        assert clue.informant_sealed is not None
        # The key was destroyed before the move: the identity stays unreadable after it.
        assert runtime.clues.reveal_informant(clue.id, clue.informant_sealed) is None
        with psycopg.connect(settings.database_url or "") as conn:
            ledger = conn.execute("SELECT count(*) FROM rm_clues").fetchone()
            summary = conn.execute(
                "SELECT summary FROM rm_clues WHERE clue_id = %s", (CORRECTED_CLUE,)
            ).fetchone()
        assert ledger == (6,)
        assert summary == ("旧数据：举报村账目不清（更正）",)

