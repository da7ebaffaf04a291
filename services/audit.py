"""The audit trail, read straight from the event table: verify every hash chain against the
latest seal, seal the current stream heads, and export a tenant's events for a third party.

Reading is done in one read-only REPEATABLE READ transaction with server-side cursors, in
batches, ordered by (stream, version) along the table's primary key, so memory stays bounded
by one stream per process (plus the sealed heads) however many events there are. A large log
is verified in several processes, each reading a range of streams in the same snapshot
(`services.audit_scan`).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TextIO
from uuid import UUID

import orjson
import psycopg
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic, resolve_topic
from psycopg import Connection, sql
from psycopg_pool import ConnectionPool

from domain.audit.chain import Finding, Problem, StoredLink, check_sealed
from domain.audit.hashing import (
    NOT_HASHED,
    PlainRecord,
    canonical_record,
    canonical_value,
    hash_record,
)
from domain.audit.seal import AuditSeal
from domain.dates import CHINA, china_day
from domain.errors import RuleViolation, ValidationFailed
from infrastructure.settings import Settings
from infrastructure.store import EventStore
from services.audit_scan import StreamScan, available_cpus, scan_ranges, stream_ranges
from services.results import Written

Progress = Callable[[int], None]  # called with the number of events just read
KEY_FILE = "audit.key"
SIGNED_TOPIC = get_topic(AuditSeal.Signed)
# Below this many events per process, starting a process costs more than it saves.
MIN_EVENTS_PER_PROCESS = 20_000


# Transcodings whose stored text already is the canonical form of the value they decode to
# (`isoformat()` and `str(Decimal)` round-trip exactly), so it is taken as it is.
_CANONICAL_AS_STORED = frozenset({"datetime_iso", "decimal_str", "date_iso"})


_UUIDS_KEPT = 100_000


class _NotFastDecodable(Exception):
    """The state holds a float, which orjson may have parsed from a large integer."""


class CanonicalDecoder:
    """Decodes a stored state straight into canonical values, without building the Python
    objects and turning them back into text: several times faster than the store's own
    decoding followed by `canonical_value`, and equal to it (tests compare the two). One per
    thread: it keeps state while decoding."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        transcoder: Any = store.mapper.transcoder
        self.transcodings: dict[str, Any] = transcoder.names
        self._typed = 0  # typed objects met by the fast decoding of the current state
        self._uuids: dict[str, str] = {}  # canonical forms of recently met UUIDs
        self._stored_as_plain = store.mapper.cipher is None and store.mapper.compressor is None
        self.decoder = json.JSONDecoder(
            object_hook=self._object, parse_float=lambda text: repr(float(text))
        )

    def _object(self, obj: dict[str, Any]) -> Any:
        if len(obj) != 2 or "_type_" not in obj or "_data_" not in obj:
            return obj
        name, data = obj["_type_"], obj["_data_"]
        if name == "uuid_hex" and isinstance(data, str) and len(data) == 32:
            return f"{data[:8]}-{data[8:12]}-{data[12:16]}-{data[16:20]}-{data[20:]}".lower()
        if name in _CANONICAL_AS_STORED and isinstance(data, str):
            return data
        return canonical_value(self.transcodings[name].decode(data))

    def _canonical(self, obj: dict[str, Any]) -> Any:
        """What the standard decoder with `_object` as its hook gives for `obj` as orjson
        parsed it, converting the innermost objects first as that hook does. The commonest
        typed objects (UUIDs, dates, times) are converted here, as `_object` would."""
        typed, uuids = 0, self._uuids
        for key, value in obj.items():
            kind = type(value)
            if kind is str:
                continue
            if kind is dict:
                if len(value) == 2 and (name := value.get("_type_")) is not None:
                    data = value.get("_data_")
                    if type(data) is str:
                        if name in _CANONICAL_AS_STORED:
                            obj[key] = data
                            typed += 1
                            continue
                        if name == "uuid_hex" and len(data) == 32:
                            obj[key] = uuids.get(data) or self._uuid(data)
                            typed += 1
                            continue
                obj[key] = self._canonical(value)
            elif kind is list:
                obj[key] = self._canonical_list(value)
            elif kind is float:
                raise _NotFastDecodable
        if "_type_" not in obj:
            self._typed += typed
            return obj
        self._typed += typed + 1
        return self._object(obj)

    def _uuid(self, data: str) -> str:
        """What `_object` gives for a UUID's 32 stored characters, kept: a tenant's, an
        office's and a stream's UUIDs come back event after event."""
        if len(self._uuids) >= _UUIDS_KEPT:
            self._uuids.clear()
        text = f"{data[:8]}-{data[8:12]}-{data[12:16]}-{data[16:20]}-{data[20:]}".lower()
        self._uuids[data] = text
        return text

    def _canonical_list(self, items: list[Any]) -> list[Any]:
        for index, value in enumerate(items):
            kind = type(value)
            if kind is dict:
                items[index] = self._canonical(value)
            elif kind is list:
                items[index] = self._canonical_list(value)
            elif kind is float:
                raise _NotFastDecodable
        return items

    def _fast_attributes(self, plain: bytes) -> Any:
        """orjson parses far faster than the standard library and gives the same values, but
        for numbers: an integer beyond 64 bits becomes a float there, and it refuses NaN and
        Infinity. So None for any state holding a float (rare) or that orjson refuses: the
        standard library decodes those, and raises the same error as before on a broken one."""
        try:
            parsed = orjson.loads(plain)
            if type(parsed) is not dict:
                return None
            self._typed = 0
            attributes = self._canonical(parsed)
        except Exception:  # decoded again by the standard library, which raises what it finds
            return None
        # Fewer typed objects than "_type_" in the text: a duplicated key hid one, which the
        # standard library still decodes (and may fail on).
        return attributes if self._typed == plain.count(b'"_type_"') else None

    def record(
        self, topic: str, stream_id: UUID | str, version: int, state: bytes
    ) -> dict[str, Any]:
        """The canonical record (the hashed form) of a stored event from its stored state
        alone: no event class is needed, and no upcaster changes what was hashed."""
        plain = state if self._stored_as_plain else _plain(self.store, state)
        attributes = self._fast_attributes(plain)
        record: dict[str, Any]
        if type(attributes) is dict:
            record = PlainRecord(attributes)
            for key in NOT_HASHED:
                record.pop(key, None)
        else:
            attributes = self.decoder.decode(plain.decode("utf-8"))
            if not isinstance(attributes, dict):
                raise ValueError("the state is not an object")
            record = {k: v for k, v in attributes.items() if k not in NOT_HASHED}
        record.update(type=topic, stream_id=str(stream_id), version=version)
        return record


def occurred_on(record: dict[str, Any]) -> date:
    """The date on the event's document: the field its class names (`document_date`), or
    the China day of its timestamp."""
    occurred = datetime.fromisoformat(record["timestamp"])
    try:
        field = getattr(resolve_topic(str(record["type"])), "document_date", "")
    except Exception:  # a class no longer importable still has its recorded day
        field = ""
    given = record.get(field) if field else None
    return date.fromisoformat(given) if isinstance(given, str) else china_day(occurred)


def stored_record(
    store: EventStore, topic: str, stream_id: UUID | str, version: int, state: bytes
) -> dict[str, Any]:
    """The canonical record of a stored event, through the store's own decoding."""
    attributes = store.mapper.transcoder.decode(_plain(store, state))
    if not isinstance(attributes, dict):
        raise ValueError("the state is not an object")
    return canonical_record(topic, stream_id, version, attributes)


def _plain(store: EventStore, state: bytes) -> bytes:
    if store.mapper.cipher is not None:
        state = store.mapper.cipher.decrypt(state)
    if store.mapper.compressor is not None:
        state = store.mapper.compressor.decompress(state)
    return state


def _snapshot(conn: Connection[Any]) -> None:
    """Read everything from one consistent snapshot, however long the scan takes."""
    conn.execute(
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; "
        "SET LOCAL statement_timeout = 0"
    )


def audit_key(settings: Settings) -> bytes:
    """The key seals are signed with: `XUNCHA_AUDIT_KEY`, or on the embedded default a random
    key kept in `<data_dir>/audit.key` (mode 0600), created on first use."""
    if settings.audit_key is not None:
        return settings.audit_key.get_secret_value().encode("utf-8")
    if settings.database_url:
        raise ValidationFailed(
            "Set XUNCHA_AUDIT_KEY: with an external database every process must sign and "
            "check seals with the same configured key",
            field="audit_key",
        )
    path = settings.data_dir.expanduser().resolve() / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_hex(32))
    return path.read_bytes().strip()


@dataclass(frozen=True)
class SealInfo:
    seal_id: UUID
    log_position: int
    streams: int
    key_id: str
    seal_hash: str


@dataclass
class VerifyReport:
    events: int = 0
    streams: int = 0
    seconds: float = 0.0
    seal: SealInfo | None = None
    findings: list[Finding] = field(default_factory=list)
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    log_position: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


class TrailBroken(RuleViolation):
    """Sealing refused: the trail has problems, which the report names."""

    def __init__(self, report: VerifyReport) -> None:
        super().__init__(
            "AUDIT_TRAIL_BROKEN",
            f"The audit trail has {len(report.findings)} problems; investigate them before "
            "sealing, since a seal would make them look legitimate",
        )
        self.report = report


class AuditTrail:
    def __init__(
        self,
        store: EventStore,
        pool: ConnectionPool,
        settings: Settings,
        batch_size: int = 5000,
        *,
        processes: int | None = None,
        min_events_per_process: int = MIN_EVENTS_PER_PROCESS,
    ) -> None:
        """`processes`: how many may verify at once (default: one per available CPU)."""
        self.store = store
        self.pool = pool
        self.settings = settings
        self.batch_size = batch_size
        self.processes = processes or available_cpus()
        self.min_events_per_process = min_events_per_process
        self.decoder = CanonicalDecoder(store)
        recorder: Any = store.recorder
        self.table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)

    def event_count_estimate(self) -> int:
        """The log's head position: the number of events, unless some were removed."""
        return self.store.max_position()

    def verify(
        self,
        progress: Progress | None = None,
        *,
        keep_heads: bool = False,
        kept_seal_hash: str | None = None,
    ) -> VerifyReport:
        """Recompute every chain, check the latest seal (and, given `kept_seal_hash`, that it
        is the seal whose hash was kept outside the database) and that every clue whose
        informant was sealed still has its key unless erased; never raises for what it finds.
        `keep_heads` keeps every stream's head in the report (what a seal records)."""
        started = time.perf_counter()
        report = VerifyReport()
        with self.pool.connection() as conn, conn.transaction():
            _snapshot(conn)
            sealed = self._latest_seal(conn, report)
            if kept_seal_hash is not None:
                report.findings.extend(self._check_kept_seal(conn, report.seal, kept_seal_hash))
            row = conn.execute(sql.SQL("SELECT max(notification_id) FROM {}").format(self.table))
            report.log_position = (row.fetchone() or (0,))[0] or 0
            scan = StreamScan(
                self._link,
                self.table,
                self.batch_size,
                _informant_key_holders(conn),
                sealed,
                keep_heads,
            )
            ranges = stream_ranges(self._range_count(report.log_position))
            for result in scan_ranges(scan, conn, self._connect, ranges, progress or _quiet):
                report.events += result.events
                report.streams += result.streams
                report.findings.extend(result.findings)
                report.heads.update(result.heads)
                for stream_id in result.sealed_found:
                    del sealed[stream_id]
            for stream_id, (version, head) in sealed.items():
                report.findings.extend(check_sealed(stream_id, version, head, None))
        report.seconds = time.perf_counter() - started
        return report

    def _connect(self) -> Connection[Any]:
        """A connection of its own, as the pool makes them, for a range's process."""
        pool = self.pool
        conninfo = pool.conninfo() if callable(pool.conninfo) else pool.conninfo or ""
        kwargs = pool.kwargs() if callable(pool.kwargs) else pool.kwargs or {}
        return psycopg.connect(conninfo, **{**kwargs, "autocommit": True})

    def _range_count(self, events: int) -> int:
        return max(1, min(self.processes, events // max(1, self.min_events_per_process)))

    def seal(self, progress: Progress | None = None) -> tuple[VerifyReport, Written, str]:
        """Verify, then seal every stream head as it stands; refuse to seal a broken trail,
        which would make tampering look legitimate. Returns the seal's hash too, to be kept
        outside the database (it proves this seal itself was not removed later)."""
        key = audit_key(self.settings)
        report = self.verify(progress, keep_heads=True)
        if not report.ok:
            raise TrailBroken(report)
        seal = AuditSeal.open(
            stream_count=len(report.heads),
            log_position=report.log_position,
            previous_seal_id=report.seal.seal_id if report.seal else None,
            key=key,
        )
        # One save per part keeps every insert small (large inserts are what stalls psycopg's
        # pipeline mode); the seal counts only once `Signed` is recorded.
        self.store.record(seal)
        heads = list(report.heads.items())
        for start in range(0, len(heads), AuditSeal.HEADS_PER_EVENT):
            seal.record_heads(dict(heads[start : start + AuditSeal.HEADS_PER_EVENT]))
            self.store.record(seal)
        seal.sign(key)
        written = Written(seal.id, self.store.record(seal))
        return report, written, seal.head_hash

    def export(self, out: TextIO, tenant_id: UUID, since: date | None = None) -> int:
        """Write the tenant's events (recorded on or after the China day `since`) as JSON Lines
        in log order, each with its canonical record and hash, the date on its document and when
        the database recorded it, in China time as offices read it (docs/AUDIT.md). Returns the
        count."""
        start = datetime(since.year, since.month, since.day, tzinfo=CHINA) if since else None
        wanted = str(tenant_id)
        count = 0
        query = sql.SQL(
            "SELECT originator_id::text, originator_version, topic, state, notification_id, "
            "recorded_at FROM {} WHERE position(%s::bytea IN state) > 0 ORDER BY notification_id"
        ).format(self.table)
        with self.pool.connection() as conn, conn.transaction():
            _snapshot(conn)
            for stream_id, version, topic, state, position, recorded_at in self._rows(
                conn, query, (tenant_id.hex.encode(),)
            ):
                try:
                    record = self.decoder.record(topic, stream_id, version, bytes(state))
                except Exception:  # an export must not silently leave an event out
                    raise RuleViolation(
                        "AUDIT_EVENT_UNREADABLE",
                        f"Stream {stream_id} version {version} no longer decodes; "
                        "run `xuncha audit verify`",
                    ) from None
                if record.get("tenant_id") != wanted:
                    continue
                if start and datetime.fromisoformat(record["timestamp"]) < start:
                    continue
                line = {
                    "position": position,
                    "stream_id": str(stream_id),
                    "version": version,
                    "type": topic,
                    "hash": hash_record(record),
                    "record": record,
                    "occurred_on": occurred_on(record).isoformat(),
                    "recorded_at": recorded_at.astimezone(CHINA).isoformat(),
                }
                out.write(json.dumps(line, sort_keys=True, ensure_ascii=False) + "\n")
                count += 1
        return count

    def _rows(
        self, conn: Connection[Any], query: sql.Composed, params: tuple[Any, ...] = ()
    ) -> Iterator[tuple[Any, ...]]:
        with conn.cursor(name="xuncha_audit_scan") as cur:
            cur.itersize = self.batch_size
            cur.execute(query, params)
            while rows := cur.fetchmany(self.batch_size):
                yield from rows

    def _link(
        self,
        stream_id: Any,
        version: int,
        topic: str,
        state: Any,
        position: int,
        recorded_at: datetime | None = None,
    ) -> StoredLink:
        try:
            record = self.decoder.record(topic, stream_id, version, bytes(state or b""))
        except Exception as error:  # any failure to decode is the finding itself
            because = f"{type(error).__name__}: {error}"
            return StoredLink(version, position, None, because, recorded_at)
        return StoredLink(version, position, record, recorded_at=recorded_at)

    def _latest_seal(
        self, conn: Connection[Any], report: VerifyReport
    ) -> dict[str, tuple[int, str]]:
        """The heads of the latest signed seal, after checking its signature; {} if never
        sealed."""
        latest = sql.SQL(
            "SELECT originator_id FROM {} WHERE topic = %s ORDER BY notification_id DESC LIMIT 1"
        ).format(self.table)
        row = conn.execute(latest, (SIGNED_TOPIC,)).fetchone()
        if row is None:
            return {}
        (seal_id,) = row
        events = sql.SQL(
            "SELECT originator_version, topic, state FROM {} WHERE originator_id = %s "
            "ORDER BY originator_version"
        ).format(self.table)
        seal: Any = None
        version = 0
        try:
            for version, topic, state in conn.execute(events, (seal_id,)):
                stored = StoredEvent(seal_id, version, topic, bytes(state))
                event: Any = self.store.mapper.to_domain_event(stored)
                seal = event.mutate(seal)
        except Exception as error:  # a seal that cannot be rebuilt cannot be trusted
            detail = f"the seal cannot be rebuilt: {type(error).__name__}: {error}"
            report.findings.append(Finding(Problem.UNSEALED, str(seal_id), version, detail))
            return {}
        if not isinstance(seal, AuditSeal):
            detail = "the seal's stream holds no seal"
            report.findings.append(Finding(Problem.UNSEALED, str(seal_id), None, detail))
            return {}
        report.seal = SealInfo(
            seal.id, seal.log_position, len(seal.heads), seal.key_id, seal.head_hash
        )
        try:
            key = audit_key(self.settings)
        except ValidationFailed as error:
            detail = f"cannot check the seal's signature: {error.message}"
            report.findings.append(Finding(Problem.UNSEALED, str(seal_id), version, detail))
            return seal.sealed_heads()
        if not seal.is_signed_with(key):
            detail = (
                "the seal's signature does not verify with the audit key: the seal was altered "
                f"or signed with another key (it names key {seal.key_id})"
            )
            report.findings.append(Finding(Problem.UNSEALED, str(seal_id), version, detail))
        return seal.sealed_heads()

    def _check_kept_seal(
        self, conn: Connection[Any], latest: SealInfo | None, kept: str
    ) -> list[Finding]:
        """Whether the latest signed seal is the one whose hash was kept outside the database:
        whoever can write to the table can remove the newest seal with what it sealed."""
        if latest is None:
            if self._signed_seal_hashes(conn):  # stored, but it could not be rebuilt
                detail = f"the latest seal cannot be read, so it cannot be the kept seal {kept}"
                return [Finding(Problem.UNSEALED, None, None, detail)]
            detail = f"no signed seal is recorded, but seal {kept} was kept: the seal was removed"
            return [Finding(Problem.REMOVED, None, None, detail)]
        if latest.seal_hash == kept:
            return []
        earlier = self._signed_seal_hashes(conn).get(kept)
        if earlier is not None:
            detail = (
                f"the latest seal is not the kept one: the kept hash is that of the earlier "
                f"seal {earlier}, and this seal (hash {latest.seal_hash}) was recorded after it"
            )
        else:
            detail = (
                f"the latest seal has hash {latest.seal_hash}, not the kept {kept}: the kept "
                "seal was removed or altered"
            )
        return [Finding(Problem.UNSEALED, str(latest.seal_id), None, detail)]

    def _signed_seal_hashes(self, conn: Connection[Any]) -> dict[str, str]:
        """The hash of every signed seal still stored (of its `Signed` event, its head)."""
        query = sql.SQL(
            "SELECT originator_id::text, originator_version, topic, state FROM {} WHERE topic = %s"
        ).format(self.table)
        hashes: dict[str, str] = {}
        for seal_id, version, topic, state in conn.execute(query, (SIGNED_TOPIC,)):
            link = self._link(seal_id, version, topic, state, 0)
            if link.record is not None:
                hashes[hash_record(link.record)] = seal_id
        return hashes


def _quiet(events: int) -> None:
    """No progress to show."""


def _informant_key_holders(conn: Connection[Any]) -> set[str]:
    """The clues that hold an informant key, read in the same snapshot as the events."""
    rows = conn.execute("SELECT clue_id::text FROM informant_keys").fetchall()
    return {clue_id for (clue_id,) in rows}
