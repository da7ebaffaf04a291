import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.audit.chain import Problem
from domain.audit.hashing import (
    PlainRecord,
    canonical_record,
    canonical_text,
    canonical_value,
    hash_record,
)
from domain.audited import event_hash
from tests.unit.domain.factories import city, county


def test_values_take_their_documented_canonical_form() -> None:
    assert canonical_value(UUID(int=1)) == "00000000-0000-0000-0000-000000000001"
    assert canonical_value(Decimal("12.50")) == "12.50"
    assert canonical_value(date(2026, 10, 1)) == "2026-10-01"
    assert canonical_value(datetime(2026, 1, 2, 3, 4, tzinfo=UTC)) == "2026-01-02T03:04:00+00:00"
    assert canonical_value((1, "a")) == [1, "a"]


def test_a_value_without_a_canonical_form_is_refused() -> None:
    with pytest.raises(TypeError):
        canonical_value(object())


def test_the_hash_is_sha256_of_sorted_compact_json() -> None:
    record = canonical_record("t:T", UUID(int=1), 1, {"b": 1, "a": "甲"})
    # Recomputed by hand from the documented rule.
    text = (
        '{"a":"甲","b":1,"stream_id":"00000000-0000-0000-0000-000000000001",'
        '"type":"t:T","version":1}'
    )
    import hashlib

    assert hash_record(record) == hashlib.sha256(text.encode()).hexdigest()


def test_each_event_carries_the_hash_of_its_predecessor() -> None:
    jinan = city()
    (registered,) = jinan.collect_events()
    assert jinan.head_hash == event_hash(registered)
    lixia = county(jinan)
    assert lixia.head_hash != jinan.head_hash


def test_changing_any_recorded_value_changes_the_hash() -> None:
    jinan = city()
    (registered,) = jinan.collect_events()
    original = event_hash(registered)
    object.__setattr__(registered, "name", "青岛市")
    assert event_hash(registered) != original


@pytest.mark.parametrize(
    "record",
    [
        {"b": 'x\x00\x1f\u2028\x7f"\\é甲\U0001f600', "a": [1, None, True, {"z": 1, "y": False}]},
        {"é": 1, "e": 2, "Z": -(2**63), "n": 2**64 - 1, "big": 2**70, "nested": {"名称": []}},
        {"share": 0.1, "huge": 1e16, "tiny": 1e-7, "nan": float("nan")},
        {"enum": Problem.ALTERED, "tuple": (1, 2), "keys": {1: "a non-str key"}},
        PlainRecord(type="T", stream_id="S", version=1, items=[{"k": "v"}]),
    ],
)
def test_the_hash_is_that_of_the_standard_librarys_canonical_text(record: dict[Any, Any]) -> None:
    """Hashing writes the canonical JSON by orjson where that gives the very same bytes, and
    by the standard library otherwise (floats, subclasses, non-str keys, huge integers)."""
    assert hash_record(record) == hashlib.sha256(canonical_text(record)).hexdigest()
