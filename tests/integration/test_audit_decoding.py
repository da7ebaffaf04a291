"""Verify and export decode stored states straight into canonical values; that shortcut must
give exactly the records the store's own decoding gives, for every kind of value."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.audit.hashing import canonical_text, hash_record
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


UUID_HEX = "bd8075ae2f985e8f95b5e5aa8f08e5ce"
UNUSUAL_STATES = [
    # An integer beyond 64 bits, which orjson would read as a float.
    b'{"n":123456789012345678901234567890,"u":{"_type_":"uuid_hex","_data_":"%s"}}'
    % UUID_HEX.encode(),
    b'{"share":0.1,"tiny":1e-7,"huge":1E400,"n":-0}',
    b'{"x":NaN,"y":-Infinity}',
    b'{"u":{"_type_":"uuid_hex","_data_":"%s"}}' % UUID_HEX.upper().encode(),
    b'{"l":[[{"_type_":"date_iso","_data_":"2026-01-01"}],{"a":{"_type_":"decimal_str",'
    b'"_data_":"1.50"}}],"s":"\\u0000\\ud83d\\ude00\xe7\x94\xb2","_type_":"not typed"}',
    b'{"d":{"_type_":"uuid_hex","_data_":"%s"},"d":"the last one counts"}' % UUID_HEX.encode(),
    # A duplicated key hides a typed object that no longer decodes.
    b'{"d":{"_type_":"no_such_type","_data_":1},"d":"the last one counts"}',
    b'{"s":"\\ud800"}',
    b'{"a":1',
    b"[1,2]",
    b'{"_type_":"uuid_hex","_data_":"%s"}' % UUID_HEX.encode(),
]


@pytest.mark.parametrize("state", UNUSUAL_STATES)
def test_unusual_states_give_the_same_record_hash_or_error_as_the_standard_decoding(
    runtime: Runtime, state: bytes
) -> None:
    """Stored states the fast decoding leaves to the standard library (or must get exactly
    right itself) end with the hash, or the failure, the standard decoding alone gives."""
    decoder = CanonicalDecoder(runtime.store)

    def standard() -> str:
        attributes = decoder.decoder.decode(state.decode("utf-8"))
        if not isinstance(attributes, dict):
            raise ValueError("the state is not an object")
        record = {**attributes, "type": "T", "stream_id": "S", "version": 1}
        return hashlib.sha256(canonical_text(record)).hexdigest()

    try:
        expected: str | Exception = standard()
    except Exception as error:
        expected = error

    if isinstance(expected, Exception):
        with pytest.raises(type(expected)) as raised:
            hash_record(decoder.record("T", "S", 1, state))
        assert str(raised.value) == str(expected)
    else:
        assert hash_record(decoder.record("T", "S", 1, state)) == expected
