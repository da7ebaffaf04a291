"""Verify and export decode stored states straight into canonical values; that shortcut must
give exactly the records the store's own decoding gives, for every kind of value."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import uuid4

from domain.audit.hashing import hash_record
from services.audit import CanonicalDecoder, stored_record
from services.runtime import Runtime
from tests.support.notebook import notebook


def test_the_fast_canonical_decoding_equals_the_stores_own_decoding(runtime: Runtime) -> None:
    book = notebook(uuid4(), 1)
    book.tally(
        amount=Decimal("120000.50"),
        on=date(2026, 10, 8),
        at=datetime(2026, 10, 1, 8, 30, tzinfo=timezone(timedelta(hours=8))),
        ref=uuid4(),
        share=0.1,
        done=True,
        nothing=None,
        items=[{"名称": "甲村", "金额": Decimal("1E+3"), "日期": date(2027, 1, 1)}],
    )
    runtime.store.record(book)
    decoder = CanonicalDecoder(runtime.store)

    stored = runtime.store.recorder.select_events(book.id)
    fast = [decoder.record(s.topic, book.id, s.originator_version, s.state) for s in stored]
    slow = [
        stored_record(runtime.store, s.topic, book.id, s.originator_version, s.state)
        for s in stored
    ]

    assert fast == slow
    assert fast[-1]["items"] == [{"名称": "甲村", "金额": "1E+3", "日期": "2027-01-01"}]
    assert hash_record(fast[-1]) == book.head_hash
