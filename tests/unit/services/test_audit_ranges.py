"""How `xuncha audit verify` splits the streams between processes."""

from __future__ import annotations

from uuid import UUID

from services.audit_scan import stream_ranges


def holder(ranges: list[tuple[UUID | None, UUID | None]], stream_id: UUID) -> list[int]:
    return [
        index
        for index, (start, end) in enumerate(ranges)
        if (start is None or stream_id >= start) and (end is None or stream_id < end)
    ]


def test_one_range_reads_every_stream() -> None:
    assert stream_ranges(1) == [(None, None)]


def test_ranges_follow_each_other_and_hold_every_stream_once() -> None:
    ranges = stream_ranges(3)

    assert [end for _, end in ranges[:-1]] == [start for start, _ in ranges[1:]]
    for stream_id in (UUID(int=0), UUID(int=2**128 // 3), UUID(int=2**128 - 1)):
        assert len(holder(ranges, stream_id)) == 1
    assert holder(ranges, UUID("55555555-5555-5555-5555-555555555556")) == [1]
