"""The documented hashing rule of XunCha's audit trail.

An event's hash is the SHA-256 (lower-case hex) of its canonical JSON: an object with the
keys `type`, `stream_id`, `version` and every recorded attribute of the event (including
`prev_hash`, `tenant_id`, `actor`, `timestamp`), serialised with sorted keys, no
whitespace, UTF-8, and these value forms: UUID → canonical string, datetime/date → ISO 8601,
Decimal → its string, float → its `repr` string, tuple → array. The first event of a stream
has `prev_hash` = GENESIS_HASH. `class_version`, which the store adds to the stored state of
an event class past version 1, is a storage detail and not hashed. A third party holding an
export can recompute every hash with this rule alone (docs/AUDIT.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

GENESIS_HASH = "0" * 64

# Not part of a record: the first two are its `stream_id` and `version`; see the docstring.
NOT_HASHED = frozenset({"originator_id", "originator_version", "class_version"})


def canonical_value(value: Any) -> Any:
    """Turn a recorded value into the JSON value the hashing rule prescribes."""
    if value is None or (isinstance(value, bool | int | str) and not isinstance(value, Enum)):
        return value
    if isinstance(value, Enum):
        return canonical_value(value.value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Mapping):
        return {str(k): canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_value(v) for v in value]
    raise TypeError(f"Value of type {type(value).__name__} has no canonical form")


def canonical_record(
    event_type: str, stream_id: UUID | str, version: int, attributes: Mapping[str, Any]
) -> dict[str, Any]:
    record = {k: canonical_value(v) for k, v in attributes.items() if k not in NOT_HASHED}
    record.update(type=event_type, stream_id=str(stream_id), version=version)
    return record


def hash_record(record: Mapping[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
