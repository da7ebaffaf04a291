"""`xuncha audit verify` and `xuncha audit seal` against a real PostgreSQL: events altered,
removed or reordered directly in the database are each named by stream and version, and so
are a stream's newest events and a whole stream removed after a seal."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from pathlib import Path
from uuid import UUID, uuid4

import psycopg
import pytest
from typer.testing import CliRunner, Result

from domain.audit.seal import AuditSeal
from domain.clues.values import ClueSource, InformantIdentity
from domain.errors import ValidationFailed
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType
from entrypoints.cli.main import app
from infrastructure.settings import Settings
from services.audit import audit_key
from services.authorization import CONSOLE
from services.runtime import Runtime
from tests.support.notebook import Notebook, notebook

AUDIT_KEY = "audit-key-for-tests-0123456789"
TENANT = uuid4()


@pytest.fixture
def audit(settings: Settings) -> Callable[..., Result]:
    runner = CliRunner()
    env = {
        "XUNCHA_DATABASE_URL": settings.database_url or "",
        "XUNCHA_DATA_DIR": str(settings.data_dir),
        "XUNCHA_AUDIT_KEY": AUDIT_KEY,
    }

    def run(*args: str, key: str = AUDIT_KEY) -> Result:
        return runner.invoke(app, ["audit", *args], env={**env, "XUNCHA_AUDIT_KEY": key})

    return run


def record(runtime: Runtime, *books: Notebook) -> list[UUID]:
    runtime.store.record(*books)
    return [b.id for b in books]


def sql(settings: Settings, statement: str, *params: object) -> None:
    with psycopg.connect(settings.database_url or "", autocommit=True) as conn:
        conn.execute(statement, params)


PROBLEMS = ("ALTERED", "REMOVED", "REORDERED", "UNREADABLE", "UNSEALED")
RECORDED_AT = re.compile(r" \(recordedAt \d{4}-\d\d-\d\dT[0-9:.]+\+00:00\)")


def findings(result: Result) -> set[str]:
    """The report lines that name a problem, with runs of spaces collapsed and the time each
    named event was recorded left out (it varies; see `recorded_finding_lines`)."""
    return {
        RECORDED_AT.sub("", re.sub(r"\s+", " ", line))
        for line in result.output.splitlines()
        if line.startswith(PROBLEMS)
    }


def recorded_finding_lines(result: Result) -> set[str]:
    """The problem lines that name when the database recorded the event."""
    return {
        line.split()[0]
        for line in result.output.splitlines()
        if line.startswith(PROBLEMS) and RECORDED_AT.search(line)
    }


def test_an_untouched_trail_verifies_intact(runtime: Runtime, audit: Callable[..., Result]) -> None:
    record(runtime, notebook(TENANT, 4), notebook(TENANT, 0))

    result = audit("verify")

    assert result.exit_code == 0, result.output
    assert "INTACT: 6 events in 2 streams" in result.output
    assert "no seal yet" in result.output


def test_verify_names_every_event_altered_removed_or_reordered_after_a_seal(
    runtime: Runtime, settings: Settings, audit: Callable[..., Result]
) -> None:
    altered, gap, newest, whole, reordered, garbled, tail = record(
        runtime, *(notebook(TENANT, 4) for _ in range(7))
    )
    sealed = audit("seal")
    assert sealed.exit_code == 0, sealed.output
    assert "sealed 7 streams" in sealed.output

    # An auditor's worst day: someone with write access to the table edits history.
    sql(
        settings,
        "UPDATE xuncha_events SET state = convert_to(replace(convert_from(state, 'UTF8'), "
        "'note 2', 'note two'), 'UTF8') WHERE originator_id = %s AND originator_version = 3",
        altered,
    )
    sql(
        settings,
        "DELETE FROM xuncha_events WHERE originator_id = %s AND originator_version = 3",
        gap,
    )
    sql(
        settings,
        "DELETE FROM xuncha_events WHERE originator_id = %s AND originator_version = 5",
        newest,
    )
    sql(settings, "DELETE FROM xuncha_events WHERE originator_id = %s", whole)
    for old, new in ((2, -1), (3, 2), (-1, 3)):
        sql(
            settings,
            "UPDATE xuncha_events SET originator_version = %s "
            "WHERE originator_id = %s AND originator_version = %s",
            new,
            reordered,
            old,
        )
    sql(
        settings,
        "UPDATE xuncha_events SET state = '\\xff00'::bytea "
        "WHERE originator_id = %s AND originator_version = 2",
        garbled,
    )
    sql(
        settings,
        "UPDATE xuncha_events SET state = convert_to(replace(convert_from(state, 'UTF8'), "
        "'note 4', 'note 4 (revised)'), 'UTF8') "
        "WHERE originator_id = %s AND originator_version = 5",
        tail,
    )

    result = audit("verify")

    assert result.exit_code == 1, result.output
    found = findings(result)
    assert found == {
        f"ALTERED stream {altered} version 3: altered: its hash no longer matches the prev_hash "
        "recorded by version 4 (or that prev_hash was altered)",
        f"REMOVED stream {gap} version 3: version 3 is missing",
        f"REMOVED stream {newest} version 5: version 5 is missing: removed since the seal",
        f"REMOVED stream {whole}: the whole stream was removed (it had 5 events when sealed)",
        f"REORDERED stream {reordered} version 2: holds the event that was recorded as version 3",
        f"REORDERED stream {reordered} version 3: holds the event that was recorded as version 2",
        f"UNREADABLE stream {garbled} version 2: the stored state no longer decodes "
        "(UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid "
        "start byte)",
        f"ALTERED stream {tail} version 5: altered since the seal: its hash differs from the "
        "sealed head hash",
    }, result.output
    assert f"BROKEN ({len(found)} problems)" in result.output
    # an event still stored is named with the time the database recorded it
    assert recorded_finding_lines(result) == {"ALTERED", "REORDERED", "UNREADABLE"}


def test_a_trail_cannot_be_sealed_while_broken(
    runtime: Runtime, settings: Settings, audit: Callable[..., Result]
) -> None:
    (book,) = record(runtime, notebook(TENANT, 3))
    sql(
        settings,
        "DELETE FROM xuncha_events WHERE originator_id = %s AND originator_version = 2",
        book,
    )

    result = audit("seal")

    assert result.exit_code == 2, result.output
    assert f"REMOVED stream {book} version 2: version 2 is missing" in findings(result)
    assert "refused (RULE_VIOLATION)" in result.output
    assert "sealed" not in result.output


def test_a_seal_signed_with_another_key_is_not_trusted(
    runtime: Runtime, audit: Callable[..., Result]
) -> None:
    record(runtime, notebook(TENANT, 1))
    assert audit("seal").exit_code == 0

    result = audit("verify", key="another-key-entirely-9876543210")

    assert result.exit_code == 1, result.output
    assert any("signature does not verify" in line for line in findings(result)), result.output


def test_events_recorded_after_a_seal_keep_the_trail_intact(
    runtime: Runtime, audit: Callable[..., Result]
) -> None:
    book = notebook(TENANT, 2)
    record(runtime, book)
    assert audit("seal").exit_code == 0
    book.note("after the seal")
    record(runtime, book, notebook(TENANT, 0))

    result = audit("verify")

    assert result.exit_code == 0, result.output
    # 4 + 1 notebook events, and the seal: opened, its one part of heads, signed
    assert "INTACT: 8 events in 3 streams" in result.output


def test_the_embedded_default_keeps_a_private_random_audit_key(tmp_path: Path) -> None:
    settings = Settings(database_url=None, data_dir=tmp_path / "data")

    key = audit_key(settings)

    key_file = tmp_path / "data" / "audit.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key) == 64
    assert audit_key(settings) == key  # created once, then reused


def test_an_external_database_needs_a_configured_audit_key(settings: Settings) -> None:
    without_key = settings.model_copy(update={"audit_key": None})
    with pytest.raises(ValidationFailed, match="XUNCHA_AUDIT_KEY"):
        audit_key(without_key)


def test_sealing_never_prints_the_key(runtime: Runtime, audit: Callable[..., Result]) -> None:
    record(runtime, notebook(TENANT, 1))
    result = audit("seal")
    assert result.exit_code == 0, result.output
    assert AUDIT_KEY not in result.output


def test_a_seal_of_many_streams_is_recorded_in_parts_and_checked_whole(
    runtime: Runtime,
    settings: Settings,
    audit: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(AuditSeal, "HEADS_PER_EVENT", 2)
    books = record(runtime, *(notebook(TENANT, 1) for _ in range(5)))
    assert audit("seal").exit_code == 0
    intact = audit("verify")
    assert "seal" in intact.output
    assert "5 streams up to log position 10" in intact.output
    assert "INTACT: 15 events in 6 streams" in intact.output  # the seal: 1 + 3 parts + 1

    sql(settings, "DELETE FROM xuncha_events WHERE originator_id = %s", books[4])
    result = audit("verify")

    assert findings(result) == {
        f"REMOVED stream {books[4]}: the whole stream was removed (it had 2 events when sealed)"
    }


def test_a_tampered_seal_is_not_trusted(
    runtime: Runtime, settings: Settings, audit: Callable[..., Result]
) -> None:
    (book,) = record(runtime, notebook(TENANT, 2))
    assert audit("seal").exit_code == 0
    sql(
        settings,
        "UPDATE xuncha_events SET state = convert_to(replace(convert_from(state, 'UTF8'), "
        "'[3,', '[2,'), 'UTF8') WHERE topic LIKE %s",
        "%AuditSeal.HeadsRecorded",
    )
    sql(
        settings,
        "DELETE FROM xuncha_events WHERE originator_id = %s AND originator_version = 3",
        book,
    )

    result = audit("verify")

    assert result.exit_code == 1
    problems = {line.split(":")[0] for line in findings(result)}
    assert any(p.startswith("UNSEALED stream") for p in problems), result.output
    assert any(p.startswith("ALTERED stream") for p in problems), (
        result.output
    )  # the seal's own chain


def seal_hash(result: Result) -> str:
    match = re.search(r"seal hash ([0-9a-f]{64}) \(keep it outside the database\)", result.output)
    assert match, result.output
    return match.group(1)


def test_a_removed_seal_is_shown_by_the_seal_hash_kept_outside(
    runtime: Runtime, settings: Settings, audit: Callable[..., Result]
) -> None:
    (book,) = record(runtime, notebook(TENANT, 3))
    kept = seal_hash(audit("seal"))
    # Whoever can write to the table removes the newest event and the seal that covered it.
    sql(settings, "DELETE FROM xuncha_events WHERE topic LIKE %s", "%AuditSeal.%")
    sql(
        settings,
        "DELETE FROM xuncha_events WHERE originator_id = %s AND originator_version = 4",
        book,
    )
    assert audit("verify").exit_code == 0  # the chain alone cannot show it

    result = audit("verify", "--seal", kept)

    assert result.exit_code == 1, result.output
    assert findings(result) == {
        f"REMOVED no signed seal is recorded, but seal {kept} was kept: the seal was removed"
    }


def test_the_kept_seal_verifies_intact(runtime: Runtime, audit: Callable[..., Result]) -> None:
    record(runtime, notebook(TENANT, 2))
    kept = seal_hash(audit("seal"))

    result = audit("verify", "--seal", kept)

    assert result.exit_code == 0, result.output
    assert f"seal hash {kept}" in result.output
    assert "INTACT" in result.output


def test_a_latest_seal_other_than_the_kept_one_is_reported(
    runtime: Runtime, settings: Settings, audit: Callable[..., Result]
) -> None:
    book = notebook(TENANT, 2)
    record(runtime, book)
    first = seal_hash(audit("seal"))
    second_output = audit("seal")
    second = seal_hash(second_output)
    latest = re.search(r"as seal ([0-9a-f-]{36})", second_output.output)
    assert latest

    newer = audit("verify", "--seal", first)

    assert newer.exit_code == 1, newer.output
    assert [line.split(":")[0] for line in findings(newer)] == [
        f"UNSEALED stream {latest.group(1)}"
    ]
    assert "the latest seal is not the kept one" in newer.output

    # The latest seal removed with the event recorded since: the earlier seal is now latest.
    book.note("after both seals")
    record(runtime, book)
    sql(
        settings,
        "DELETE FROM xuncha_events WHERE originator_id = %s OR "
        "(originator_id = %s AND originator_version = 4)",
        UUID(latest.group(1)),
        book.id,
    )

    removed = audit("verify", "--seal", second)

    assert removed.exit_code == 1, removed.output
    assert any(
        f"the latest seal has hash {first}, not the kept {second}" in line
        for line in findings(removed)
    ), removed.output


def test_an_altered_latest_seal_does_not_match_the_kept_hash(
    runtime: Runtime, settings: Settings, audit: Callable[..., Result]
) -> None:
    record(runtime, notebook(TENANT, 1))
    kept = seal_hash(audit("seal"))
    sql(
        settings,
        "UPDATE xuncha_events SET state = convert_to(replace(convert_from(state, 'UTF8'), "
        "'\"signature\":\"', '\"signature\":\"0'), 'UTF8') WHERE topic LIKE %s",
        "%AuditSeal.Signed",
    )

    result = audit("verify", "--seal", kept)

    assert result.exit_code == 1, result.output
    assert any(f"not the kept {kept}" in line for line in findings(result)), result.output


def test_a_malformed_seal_hash_is_refused(audit: Callable[..., Result]) -> None:
    result = audit("verify", "--seal", "not-a-hash")
    assert result.exit_code == 2
    assert "64 lower-case hexadecimal digits" in result.output


def register_clue_with_informant(runtime: Runtime, city_code: str) -> UUID:
    city = runtime.tenants.register_tenant(
        acting=CONSOLE, code=city_code, name="某市", level=TenantLevel.CITY, parent_id=None
    ).id
    unit = runtime.tenants.register_unit(
        acting=CONSOLE,
        tenant_id=city,
        code="D9",
        name="市直部门",
        unit_type=UnitType.DEPARTMENT,
        parent_id=None,
    ).id
    return runtime.clues.register_clue(
        acting=CONSOLE,
        tenant_id=city,
        unit_id=unit,
        round_id=None,
        source=ClueSource.HOTLINE,
        category="工程项目",
        summary="项目结算多付工程款",
        persons_concerned=[],
        amount_involved=None,
        informant=InformantIdentity(name="王举报人", contact="13912345678"),
    ).id


def test_an_informant_key_deleted_without_an_erasure_is_reported(
    runtime: Runtime, settings: Settings, audit: Callable[..., Result]
) -> None:
    clue = register_clue_with_informant(runtime, "3798")
    erased = register_clue_with_informant(runtime, "3799")
    runtime.clues.erase_informant(erased, reason="举报人申请", acting=CONSOLE)
    assert audit("verify").exit_code == 0

    sql(settings, "DELETE FROM informant_keys WHERE clue_id = %s", clue)
    result = audit("verify")

    assert result.exit_code == 1, result.output
    assert findings(result) == {
        f"REMOVED stream {clue} version 1: the informant key sealed at registration is missing "
        "from informant_keys, and no InformantErased event records its erasure"
    }


def test_seal_and_verify_name_the_same_log_position(
    runtime: Runtime, audit: Callable[..., Result]
) -> None:
    record(runtime, notebook(TENANT, 3))

    sealed = audit("seal")
    verified = audit("verify")

    covered = re.search(r"up to log position (\d+)", sealed.output)
    assert covered is not None, sealed.output
    assert f"up to log position {covered[1]}," in verified.output
