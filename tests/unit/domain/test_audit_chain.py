"""The chain check of one stream and the audit seal, on records built in memory."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from domain.audit.chain import Problem, StoredLink, check_sealed, check_stream
from domain.audit.hashing import GENESIS_HASH, hash_record
from domain.audit.seal import AuditSeal
from domain.errors import RuleViolation, ValidationFailed

STREAM = str(UUID(int=7))
KEY = b"k" * 32


def chain(n: int) -> list[dict[str, Any]]:
    """`n` records of one stream, correctly chained."""
    records: list[dict[str, Any]] = []
    prev = GENESIS_HASH
    for version in range(1, n + 1):
        record = {"type": "t:Noted", "stream_id": STREAM, "version": version}
        record.update(text=f"note {version}", prev_hash=prev)
        records.append(record)
        prev = hash_record(record)
    return records


def links(records: list[dict[str, Any]]) -> list[StoredLink]:
    return [StoredLink(r["version"], r["version"] * 10, r) for r in records]


def problems(records: list[dict[str, Any]]) -> list[tuple[Problem, int | None]]:
    return [(f.problem, f.version) for f in check_stream(STREAM, links(records)).findings]


def test_an_intact_chain_has_no_findings_and_reports_its_head() -> None:
    records = chain(4)
    check = check_stream(STREAM, links(records))
    assert check.findings == []
    assert (check.head_version, check.head_hash) == (4, hash_record(records[-1]))


def test_an_altered_event_is_named_by_the_broken_link_after_it() -> None:
    records = chain(4)
    records[1]["text"] = "note two"
    assert problems(records) == [(Problem.ALTERED, 2)]


def test_a_first_event_not_chained_to_genesis_is_altered() -> None:
    records = chain(2)
    records[0]["prev_hash"] = "f" * 64
    assert (Problem.ALTERED, 1) in problems(records)


def test_removed_events_are_named_as_a_range() -> None:
    records = chain(6)
    del records[2:4]
    (finding,) = check_stream(STREAM, links(records)).findings
    assert (finding.problem, finding.version) == (Problem.REMOVED, 3)
    assert "versions 3–4 are missing" in finding.detail


def test_swapped_events_are_named_as_reordered() -> None:
    records = chain(4)
    second, third = records[1], records[2]
    second["version"], third["version"] = 3, 2
    reordered = sorted([third, second, records[0], records[3]], key=lambda r: r["version"])
    assert sorted(problems(reordered)) == [(Problem.REORDERED, 2), (Problem.REORDERED, 3)]


def test_events_recorded_out_of_log_order_are_reordered() -> None:
    records = chain(3)
    stored = links(records)
    stored[2] = StoredLink(3, 5, records[2])  # recorded before version 2 (position 20)
    (finding,) = check_stream(STREAM, stored).findings
    assert (finding.problem, finding.version) == (Problem.REORDERED, 3)


def test_an_undecodable_event_is_unreadable() -> None:
    stored = links(chain(2))
    stored[1] = StoredLink(2, 20, None, "garbage")
    assert [(f.problem, f.version) for f in check_stream(STREAM, stored).findings] == [
        (Problem.UNREADABLE, 2)
    ]


def test_against_a_seal_removed_newest_events_and_streams_are_named() -> None:
    records = chain(5)
    sealed_hash = hash_record(records[-1])
    shortened = check_stream(STREAM, links(records[:3]))
    (removed,) = check_sealed(STREAM, 5, sealed_hash, shortened)
    assert (removed.problem, removed.version) == (Problem.REMOVED, 4)
    (gone,) = check_sealed(STREAM, 5, sealed_hash, None)
    assert (gone.problem, gone.version) == (Problem.REMOVED, None)
    grown = check_stream(STREAM, links(chain(7)))
    assert check_sealed(STREAM, 5, sealed_hash, grown) == []


def sealed(heads: dict[str, tuple[int, str]]) -> AuditSeal:
    seal = AuditSeal.open(stream_count=len(heads), log_position=9, previous_seal_id=None, key=KEY)
    seal.record_heads(heads)
    seal.sign(KEY)
    return seal


def test_a_seal_verifies_with_its_key_only_and_not_once_altered() -> None:
    seal = sealed({STREAM: (5, "a" * 64)})
    assert seal.is_signed_with(KEY)
    assert not seal.is_signed_with(b"x" * 32)
    seal.heads[STREAM] = [4, "a" * 64]
    assert not seal.is_signed_with(KEY)


def test_a_seal_is_signed_only_once_it_holds_every_head() -> None:
    seal = AuditSeal.open(stream_count=3, log_position=9, previous_seal_id=None, key=KEY)
    seal.record_heads({str(UUID(int=1)): (1, "a" * 64), str(UUID(int=2)): (2, "b" * 64)})
    with pytest.raises(RuleViolation) as refused:
        seal.sign(KEY)
    assert refused.value.rule == "AUDIT_SEAL_COUNT"
    assert not seal.is_signed_with(KEY)


def test_a_signed_seal_takes_no_more_heads() -> None:
    seal = sealed({STREAM: (5, "a" * 64)})
    with pytest.raises(RuleViolation) as refused:
        seal.record_heads({str(UUID(int=1)): (1, "a" * 64)})
    assert refused.value.rule == "AUDIT_SEAL_SIGNED"


def test_a_short_audit_key_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="at least 16 bytes"):
        AuditSeal.open(stream_count=0, log_position=0, previous_seal_id=None, key=b"short")
