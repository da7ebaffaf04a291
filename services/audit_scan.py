"""Reading and checking every stream of the event table for `AuditTrail.verify`.

Streams are independent chains, so the table can be read as disjoint ranges of stream ids,
each in its own process on its own connection. Every range reads the snapshot the verifying
transaction exported (`pg_export_snapshot()`), so together they read exactly what one scan of
that transaction would, and the ranges, taken in order, yield the streams in the order one
scan by (stream, version) yields them: the report is the same however many ranges there are.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from multiprocessing.connection import Connection as Pipe
from multiprocessing.connection import wait
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from psycopg import Connection, sql

from domain.audit.chain import Finding, Problem, StoredLink, StreamCheck, check_sealed, check_stream
from domain.clues.clue import Clue

CLUE_REGISTERED_TOPIC = get_topic(Clue.Registered)
INFORMANT_ERASED_TOPIC = get_topic(Clue.InformantErased)
_UUIDS = 2**128

Bounds = tuple[UUID | None, UUID | None]  # [from, to) in stream-id order; None: open
OnBatch = Callable[[int], None]  # called with the number of events a batch read
Connect = Callable[[], Connection[Any]]  # a new connection in autocommit mode


def available_cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def stream_ranges(count: int) -> list[Bounds]:
    """`count` consecutive ranges covering every stream id. Ids are random or name-based
    (uuid4, uuid5), so equal slices of the id space hold about as many streams each."""
    cuts = [UUID(int=_UUIDS * part // count) for part in range(1, count)]
    return list(zip([None, *cuts], [*cuts, None], strict=True))


@dataclass
class RangeResult:
    """What one range's streams hold, in stream order; `sealed_found` names the sealed
    streams it checked against their sealed heads."""

    events: int = 0
    streams: int = 0
    findings: list[Finding] = field(default_factory=list)
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    sealed_found: set[str] = field(default_factory=set)


class ScanFailed(Exception):
    """A range's process failed; the verification cannot be complete."""


@dataclass(frozen=True)
class StreamScan:
    """Everything a range's check needs, known before any stream is read: how to decode a
    stored event into a link, the informant key holders and the sealed heads of the same
    snapshot."""

    link: Callable[[str, int, str, bytes, int], StoredLink]
    table: sql.Composable
    batch_size: int
    key_holders: set[str]
    sealed: dict[str, tuple[int, str]]
    keep_heads: bool

    def run(self, conn: Connection[Any], bounds: Bounds, on_batch: OnBatch) -> RangeResult:
        result = RangeResult()
        for check in self._streams(conn, bounds, result, on_batch):
            result.streams += 1
            result.findings.extend(check.findings)
            if self.keep_heads and check.head_hash is not None:
                result.heads[check.stream_id] = (check.head_version, check.head_hash)
            sealed = self.sealed.get(check.stream_id)
            if sealed is not None:
                result.sealed_found.add(check.stream_id)
                result.findings.extend(check_sealed(check.stream_id, *sealed, check))
        return result

    def _streams(
        self, conn: Connection[Any], bounds: Bounds, result: RangeResult, on_batch: OnBatch
    ) -> Iterator[StreamCheck]:
        query, params = self._query(bounds)
        current: Any = None
        links: list[StoredLink] = []
        link = self.link
        # Binary rows: the states arrive as they are stored, not as hexadecimal text.
        with conn.cursor(name="xuncha_audit_scan", binary=True) as cur:
            cur.itersize = self.batch_size
            cur.execute(query, params)
            while rows := cur.fetchmany(self.batch_size):
                for stream_id, version, topic, state, position in rows:
                    if stream_id != current:
                        if links:
                            yield self._checked(conn, current, links)
                        current, links = stream_id, []
                    links.append(link(stream_id, version, topic, state, position))
                result.events += len(rows)
                on_batch(len(rows))
        if links:
            yield self._checked(conn, current, links)

    def _checked(
        self, conn: Connection[Any], stream_id: str, links: list[StoredLink]
    ) -> StreamCheck:
        check = check_stream(stream_id, links)
        if check.findings:  # each names the event's recording time, where it has one
            recorded = self._recorded_at(conn, stream_id)
            check.findings = [
                replace(f, recorded_at=recorded.get(f.version)) for f in check.findings
            ]
        if _needs_informant_key(links) and stream_id not in self.key_holders:
            detail = (
                "the informant key sealed at registration is missing from informant_keys, and "
                "no InformantErased event records its erasure"
            )
            check.findings.append(Finding(Problem.REMOVED, stream_id, 1, detail))
        return check

    def _recorded_at(self, conn: Connection[Any], stream_id: str) -> dict[int | None, datetime]:
        """When each stored version of the stream was recorded, read in the same snapshot only
        for a stream with findings: reading it with every row costs a tenth of the check."""
        query = sql.SQL(
            "SELECT originator_version, recorded_at FROM {} WHERE originator_id = %s"
        ).format(self.table)
        return dict(conn.execute(query, (stream_id,)).fetchall())

    def _query(self, bounds: Bounds) -> tuple[sql.Composed, list[UUID]]:
        conditions, params = [], []
        if bounds[0] is not None:
            conditions.append(sql.SQL("originator_id >= %s"))
            params.append(bounds[0])
        if bounds[1] is not None:
            conditions.append(sql.SQL("originator_id < %s"))
            params.append(bounds[1])
        where = (
            sql.SQL(" WHERE ") + sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("")
        )
        query = sql.SQL(
            "SELECT originator_id::text, originator_version, topic, state, notification_id "
            "FROM {}{} ORDER BY originator_id, originator_version"
        ).format(self.table, where)
        return query, params


def scan_ranges(
    scan: StreamScan,
    conn: Connection[Any],
    connect: Connect,
    ranges: list[Bounds],
    on_batch: OnBatch,
) -> list[RangeResult]:
    """Every range's result, in range order: the first read here on `conn` (inside its open
    REPEATABLE READ transaction), each other in a process of its own reading the snapshot
    `conn` exports. `on_batch` hears of every range's batches, here."""
    if len(ranges) == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [scan.run(conn, ranges[0], on_batch)]
    row = conn.execute("SELECT pg_export_snapshot()").fetchone()
    snapshot = str(row[0]) if row else ""
    # Forked, the processes start at once with the decoder and the sealed heads in hand;
    # none of them touches the parent's pooled connections.
    context = multiprocessing.get_context("fork")
    pipes: list[Pipe] = []
    processes = []
    complete = False
    try:
        for bounds in ranges[1:]:
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=_run_range,
                args=(scan, connect, snapshot, bounds, sender),
                name="xuncha-audit-range",
                daemon=True,
            )
            gc.freeze()  # the child's collections then leave the parent's objects (and pages) be
            try:
                process.start()
            finally:
                gc.unfreeze()
            sender.close()
            pipes.append(receiver)
            processes.append(process)
        results: dict[int, RangeResult] = {}

        def batch_here(events: int) -> None:
            on_batch(events)
            _receive(pipes, results, on_batch, block=False)

        first = scan.run(conn, ranges[0], batch_here)
        while len(results) < len(pipes):
            _receive(pipes, results, on_batch, block=True)
        complete = True
        return [first, *(results[index] for index in range(len(pipes)))]
    finally:
        for process in processes:
            if not complete:  # its result will not be read: a send may never finish
                process.kill()
            process.join()
        for pipe in pipes:
            pipe.close()


def _receive(
    pipes: list[Pipe], results: dict[int, RangeResult], on_batch: OnBatch, *, block: bool
) -> None:
    """Take what the ranges' processes sent: batch counts, results, failures."""
    waiting = {id(pipe): index for index, pipe in enumerate(pipes) if index not in results}
    ready = wait([pipes[index] for index in waiting.values()], timeout=None if block else 0)
    for pipe in ready:
        index = waiting[id(pipe)]
        try:
            message: Any = pipes[index].recv()
        except EOFError:
            raise ScanFailed("a process reading part of the streams ended early") from None
        if isinstance(message, int):
            on_batch(message)
        elif isinstance(message, RangeResult):
            results[index] = message
        else:
            raise ScanFailed(f"a process reading part of the streams failed: {message!s}")


def _run_range(
    scan: StreamScan, connect: Connect, snapshot: str, bounds: Bounds, pipe: Pipe
) -> None:
    try:
        with connect() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            conn.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
            conn.execute("SET LOCAL statement_timeout = 0")
            result = scan.run(conn, bounds, pipe.send)
        pipe.send(result)
    except BaseException as error:  # reported to the parent, which raises it
        pipe.send(f"{type(error).__name__}: {error}")
    finally:
        pipe.close()


def _needs_informant_key(links: list[StoredLink]) -> bool:
    """A clue registered with a sealed informant keeps the key until `InformantErased`."""
    first = links[0].record
    if first is None or first.get("type") != CLUE_REGISTERED_TOPIC:
        return False
    if not first.get("informant_sealed"):
        return False
    return not any(
        link.record is not None and link.record.get("type") == INFORMANT_ERASED_TOPIC
        for link in links
    )
