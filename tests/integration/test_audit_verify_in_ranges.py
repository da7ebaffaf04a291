"""`AuditTrail.verify` split into ranges of streams read by several processes: the report is
the one a single scan gives, whichever range holds the damage, and every range reads the
snapshot the verification began with."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest

from services.audit import AuditTrail, VerifyReport
from services.audit_scan import ScanFailed, StreamScan
from services.runtime import Runtime
from tests.support.notebook import Notebook, notebook

AUDIT_KEY = "audit-key-for-tests-0123456789"
TENANT = uuid4()
# Stream ids on both sides of the cut between two ranges (the middle of the id space).
LOWER = [UUID("10000000-0000-4000-8000-000000000001"), UUID("30000000-0000-4000-8000-000000000002")]
UPPER = [UUID("90000000-0000-4000-8000-000000000003"), UUID("c0000000-0000-4000-8000-000000000004")]


@pytest.fixture
def books(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> list[Notebook]:
    """Two notebooks in each half of the stream ids, four events each."""
    ids: Iterator[UUID] = iter([*LOWER, *UPPER])
    monkeypatch.setattr(Notebook, "create_id", staticmethod(lambda: next(ids)))
    recorded = [notebook(TENANT, 3) for _ in range(4)]
    runtime.store.record(*recorded)
    return recorded


def trail(runtime: Runtime, processes: int) -> AuditTrail:
    return AuditTrail(
        runtime.store,
        runtime.reads,
        runtime.settings,
        batch_size=2,
        processes=processes,
        min_events_per_process=1,
    )


def sql(runtime: Runtime, statement: str, *params: object) -> None:
    with psycopg.connect(runtime.settings.database_url or "", autocommit=True) as conn:
        conn.execute(statement, params)


def same(report: VerifyReport, expected: VerifyReport) -> bool:
    return (report.events, report.streams, report.findings, report.heads, report.seal) == (
        expected.events,
        expected.streams,
        expected.findings,
        expected.heads,
        expected.seal,
    )


def test_an_intact_trail_reads_the_same_in_two_ranges(
    runtime: Runtime, books: list[Notebook]
) -> None:
    progress: list[int] = []

    report = trail(runtime, 2).verify(progress.append, keep_heads=True)

    assert report.ok, report.findings
    assert (report.events, report.streams) == (16, 4)
    assert sum(progress) == 16  # the other range's batches are shown too
    assert same(report, trail(runtime, 1).verify(keep_heads=True))
    assert list(report.heads) == [str(book.id) for book in books]


@pytest.mark.settings(audit_key=AUDIT_KEY)
def test_damage_in_either_range_is_named_as_one_scan_names_it(
    runtime: Runtime, books: list[Notebook]
) -> None:
    trail(runtime, 2).seal()
    lower, other_lower, upper, other_upper = (book.id for book in books)
    sql(
        runtime,
        "UPDATE xuncha_events SET state = convert_to(replace(convert_from(state, 'UTF8'), "
        "'note 2', 'note two'), 'UTF8') WHERE originator_id = %s AND originator_version = 3",
        upper,
    )
    sql(runtime, "DELETE FROM xuncha_events WHERE originator_id = %s", other_upper)
    sql(
        runtime,
        "DELETE FROM xuncha_events WHERE originator_id = %s AND originator_version = 4",
        lower,
    )

    report = trail(runtime, 2).verify()

    assert [(f.problem.value, f.stream_id, f.version) for f in report.findings] == [
        ("REMOVED", str(lower), 4),
        ("ALTERED", str(upper), 3),
        ("REMOVED", str(other_upper), None),
    ]
    assert same(report, trail(runtime, 1).verify())
    assert str(other_lower) not in {f.stream_id for f in report.findings}
    altered = report.findings[1]
    assert altered.recorded_at is not None  # read by the second range's process, too
    assert f"(recordedAt {altered.recorded_at.isoformat()})" in altered.line()


def test_every_range_reads_the_snapshot_the_verification_began_with(
    runtime: Runtime, books: list[Notebook], monkeypatch: pytest.MonkeyPatch
) -> None:
    upper = books[3]
    run = StreamScan.run

    def read_once_recorded(self: StreamScan, conn: Any, bounds: Any, on_batch: Any) -> Any:
        """The upper range starts reading only once the event below is committed."""
        if bounds[0] is not None:
            deadline = time.monotonic() + 10
            while not recorded(runtime, upper.id, 5) and time.monotonic() < deadline:
                time.sleep(0.05)
        return run(self, conn, bounds, on_batch)

    def record_meanwhile(events: int) -> None:
        if upper.version == 4:  # once, while the ranges are being read
            upper.note("recorded during the verification")
            runtime.store.record(upper)

    monkeypatch.setattr(StreamScan, "run", read_once_recorded)

    report = trail(runtime, 2).verify(record_meanwhile)

    assert report.ok, report.findings
    assert report.events == 16
    assert trail(runtime, 2).verify().events == 17


def recorded(runtime: Runtime, stream_id: UUID, version: int) -> bool:
    with psycopg.connect(runtime.settings.database_url or "", autocommit=True) as conn:
        row = conn.execute(
            "SELECT 1 FROM xuncha_events WHERE originator_id = %s AND originator_version = %s",
            (stream_id, version),
        ).fetchone()
    return row is not None


def test_a_range_that_cannot_be_read_fails_the_verification(
    runtime: Runtime, books: list[Notebook], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = StreamScan.run

    def fail_above_the_cut(self: StreamScan, conn: Any, bounds: Any, on_batch: Any) -> Any:
        if bounds[0] is not None:
            raise RuntimeError("the connection was lost")
        return run(self, conn, bounds, on_batch)

    monkeypatch.setattr(StreamScan, "run", fail_above_the_cut)

    with pytest.raises(ScanFailed, match="RuntimeError: the connection was lost"):
        trail(runtime, 2).verify()
