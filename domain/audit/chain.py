"""How one stream's hash chain is checked, and what a check can find wrong with it.

A stream is checked from its stored records alone (see `domain.audit.hashing`): versions must
run 1, 2, 3… without gaps, each record's `prev_hash` must be the hash of its predecessor (the
genesis hash for version 1), and the log must have recorded the versions in order. When the
links are broken but the records still chain in another order, the stream was reordered and
each moved record is named; otherwise the predecessor of a broken link was altered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from domain.audit.hashing import GENESIS_HASH, hash_record


class Problem(StrEnum):
    ALTERED = "ALTERED"
    REMOVED = "REMOVED"
    REORDERED = "REORDERED"
    UNREADABLE = "UNREADABLE"
    UNSEALED = "UNSEALED"  # the seal itself cannot be trusted


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the stored history, naming the stream and version."""

    problem: Problem
    stream_id: str | None  # None for what concerns no stored stream (a seal that is gone)
    version: int | None
    detail: str
    recorded_at: datetime | None = None  # when the database recorded the event named

    def line(self) -> str:
        if self.stream_id is None:
            return f"{self.problem.value:<10} {self.detail}"
        where = f"stream {self.stream_id}"
        if self.version is not None:
            where += f" version {self.version}"
        if self.recorded_at is not None:
            where += f" (recordedAt {self.recorded_at.isoformat()})"
        return f"{self.problem.value:<10} {where}: {self.detail}"


class StoredLink(NamedTuple):
    """One stored event as the check sees it: its canonical record (None when the stored
    state no longer decodes) and its position in the notification log. A tuple: one is made
    for every stored event a verification reads."""

    version: int
    position: int
    record: Mapping[str, Any] | None
    unreadable_because: str = ""
    recorded_at: datetime | None = None  # when the database recorded it

    @property
    def prev_hash(self) -> Any:
        return None if self.record is None else self.record.get("prev_hash")


@dataclass
class StreamCheck:
    stream_id: str
    head_version: int
    hashes: dict[int, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def head_hash(self) -> str | None:
        return self.hashes.get(self.head_version)


def _versions(first: int, last: int) -> str:
    return f"version {first} is" if first == last else f"versions {first}–{last} are"


def check_stream(stream_id: str, links: Sequence[StoredLink]) -> StreamCheck:
    """Check one stream; `links` in ascending version order."""
    check = StreamCheck(stream_id, links[-1].version if links else 0)
    hashes = check.hashes
    for link in links:
        if link.record is None:
            check.findings.append(
                Finding(
                    Problem.UNREADABLE,
                    stream_id,
                    link.version,
                    f"the stored state no longer decodes ({link.unreadable_because})",
                )
            )
        else:
            hashes[link.version] = hash_record(link.record)

    broken: list[int] = []  # versions whose prev_hash does not match their predecessor
    out_of_order: list[tuple[int, int, int]] = []
    expected = 1
    previous: StoredLink | None = None
    for link in links:
        if link.version > expected:
            check.findings.append(
                Finding(
                    Problem.REMOVED,
                    stream_id,
                    expected,
                    f"{_versions(expected, link.version - 1)} missing",
                )
            )
        elif link.record is not None:
            wanted = GENESIS_HASH if link.version == 1 else hashes.get(link.version - 1)
            if wanted is not None and link.prev_hash != wanted:
                broken.append(link.version)
        if previous is not None and link.position < previous.position:
            out_of_order.append((link.version, link.position, previous.position))
        expected = link.version + 1
        previous = link

    moved = _reordering(links) if broken else None
    if moved is not None:
        for stored_as, recorded_as in moved:
            check.findings.append(
                Finding(
                    Problem.REORDERED,
                    stream_id,
                    stored_as,
                    f"holds the event that was recorded as version {recorded_as}",
                )
            )
    else:
        for version in broken:
            if version == 1:
                detail = "its prev_hash is not the genesis hash: altered"
                check.findings.append(Finding(Problem.ALTERED, stream_id, 1, detail))
            else:
                detail = (
                    f"altered: its hash no longer matches the prev_hash recorded by version "
                    f"{version} (or that prev_hash was altered)"
                )
                check.findings.append(Finding(Problem.ALTERED, stream_id, version - 1, detail))
    named = {f.version for f in check.findings if f.problem is Problem.REORDERED}
    for version, position, before in out_of_order:
        if version not in named:
            detail = (
                f"reordered: the log recorded it at position {position}, before version "
                f"{version - 1} (position {before})"
            )
            check.findings.append(Finding(Problem.REORDERED, stream_id, version, detail))
    return check


def _reordering(links: Sequence[StoredLink]) -> list[tuple[int, int]] | None:
    """If the records chain completely in another order, the (stored, recorded) versions of
    every record that moved; else None."""
    following: dict[Any, list[tuple[int, Mapping[str, Any]]]] = {}
    for link in links:
        if link.record is None:
            return None
        following.setdefault(link.prev_hash, []).append((link.version, link.record))
    current, recorded_as, moved = GENESIS_HASH, 0, []
    while following.get(current):
        stored_as, record = following[current].pop()
        recorded_as += 1
        if stored_as != recorded_as:
            moved.append((stored_as, recorded_as))
        current = hash_record({**record, "version": recorded_as})
    if recorded_as != len(links) or not moved:
        return None
    return moved


def check_sealed(
    stream_id: str, sealed_version: int, sealed_hash: str, check: StreamCheck | None
) -> list[Finding]:
    """What happened since the seal to a stream that had `sealed_version` events then."""
    if check is None:
        detail = f"the whole stream was removed (it had {sealed_version} events when sealed)"
        return [Finding(Problem.REMOVED, stream_id, None, detail)]
    if check.head_version < sealed_version:
        first = check.head_version + 1
        detail = f"{_versions(first, sealed_version)} missing: removed since the seal"
        return [Finding(Problem.REMOVED, stream_id, first, detail)]
    now = check.hashes.get(sealed_version)
    if now is not None and now != sealed_hash:
        detail = "altered since the seal: its hash differs from the sealed head hash"
        return [Finding(Problem.ALTERED, stream_id, sealed_version, detail)]
    return []
