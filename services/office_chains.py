"""An auditor's check of one office's history (审计): every event recorded for the office,
read back from the event store as stored, its hash recomputed from what is stored, and each
linked to the one before it in its stream (`prev_hash`). An event changed after it was
recorded breaks the link to the event after it; a removed event leaves its stream short of a
version. What a deployment-wide `xuncha audit verify` adds is the seal, which also notices a
stream's newest events removed."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from uuid import UUID

from domain.audit.hashing import GENESIS_HASH
from services.audit import AuditTrail


@dataclass(frozen=True)
class ChainProblem:
    stream_id: str
    version: int
    problem: str


@dataclass
class OfficeChains:
    tenant_id: UUID
    events: int = 0
    streams: int = 0
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def check_office_chains(trail: AuditTrail, tenant_id: UUID) -> OfficeChains:
    exported = io.StringIO()
    trail.export(exported, tenant_id)
    streams: dict[str, list[dict[str, object]]] = {}
    for line in exported.getvalue().splitlines():
        entry = json.loads(line)
        streams.setdefault(entry["stream_id"], []).append(entry)
    report = OfficeChains(tenant_id, streams=len(streams))
    for stream_id, entries in streams.items():
        report.events += len(entries)
        report.problems.extend(_links(stream_id, sorted(entries, key=_version)))
    return report


def _version(entry: dict[str, object]) -> int:
    return int(str(entry["version"]))


def _links(stream_id: str, entries: list[dict[str, object]]) -> list[ChainProblem]:
    problems = []
    previous_hash, expected = GENESIS_HASH, 1
    for entry in entries:
        version = _version(entry)
        record = entry["record"]
        linked = record.get("prev_hash") if isinstance(record, dict) else None
        if version != expected:
            problems.append(
                ChainProblem(
                    stream_id, expected, "missing: removed, or recorded for another office"
                )
            )
        elif linked != previous_hash:
            problems.append(
                ChainProblem(stream_id, version, "does not link to the event before it")
            )
        previous_hash, expected = str(entry["hash"]), version + 1
    return problems
