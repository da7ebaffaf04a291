"""`AuditSeal` — a signed checkpoint of every stream's head (its version and head hash).

A hash chain shows an event was altered or removed in the middle of a stream, but not that a
stream's newest events, or a whole stream, were removed. A seal records every head at one
moment and is signed with the audit key (HMAC-SHA256), so a later check can prove each sealed
stream still reaches its sealed version with the same hash. Each seal is its own stream and
names the seal before it; an earlier seal's stream is among the heads a later seal records.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.audit.hashing import canonical_value
from domain.audited import AuditedAggregate
from domain.errors import RuleViolation, ValidationFailed

# Seals belong to no office: they are recorded under the nil tenant.
AUDIT_TENANT_ID = UUID(int=0)
SEAL_ALGORITHM = "HMAC-SHA256"
MIN_KEY_BYTES = 16


def seal_message(
    heads: Mapping[str, list[int | str]], log_position: int, previous_seal_id: UUID | None
) -> bytes:
    """The bytes a seal's signature covers: canonical JSON, as in the hashing rule."""
    body = canonical_value(
        {
            "algorithm": SEAL_ALGORITHM,
            "heads": heads,
            "log_position": log_position,
            "previous_seal_id": previous_seal_id,
        }
    )
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def sign(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """A short public name of a key, so a seal shows which key signed it."""
    return hashlib.sha256(b"xuncha-audit-key-id:" + key).hexdigest()[:16]


class AuditSeal(AuditedAggregate):
    """A seal is recorded as `Opened`, then the heads in `HeadsRecorded` parts of at most
    `HEADS_PER_EVENT` streams (so no single stored event grows with the number of streams),
    then `Signed`. Only a signed seal counts; one left unsigned by a crash is ignored."""

    HEADS_PER_EVENT = 2000

    @staticmethod
    def create_id() -> UUID:
        return uuid4()

    @classmethod
    def open(
        cls, *, stream_count: int, log_position: int, previous_seal_id: UUID | None, key: bytes
    ) -> AuditSeal:
        """Begin sealing `stream_count` stream heads as of `log_position`, with `key`."""
        if len(key) < MIN_KEY_BYTES:
            raise ValidationFailed(
                f"The audit key must have at least {MIN_KEY_BYTES} bytes", field="audit_key"
            )
        return cls(
            tenant_id=AUDIT_TENANT_ID,
            stream_count=stream_count,
            log_position=log_position,
            previous_seal_id=previous_seal_id,
            algorithm=SEAL_ALGORITHM,
            key_id=key_id(key),
        )

    class Opened(AuditedAggregate.Created):
        stream_count: int
        log_position: int
        previous_seal_id: UUID | None
        algorithm: str
        key_id: str

    @event(Opened)
    def __init__(
        self,
        tenant_id: UUID,
        stream_count: int,
        log_position: int,
        previous_seal_id: UUID | None,
        algorithm: str,
        key_id: str,
    ) -> None:
        self.tenant_id = tenant_id
        self.stream_count = stream_count
        self.log_position = log_position
        self.previous_seal_id = previous_seal_id
        self.algorithm = algorithm
        self.key_id = key_id
        self.heads: dict[str, list[int | str]] = {}
        self.signature: str | None = None

    def record_heads(self, heads: Mapping[str, tuple[int, str]]) -> None:
        """Record the heads of some streams (at most HEADS_PER_EVENT)."""
        if self.signature is not None:
            raise RuleViolation("AUDIT_SEAL_SIGNED", f"Seal {self.id} is signed and final")
        if len(heads) > self.HEADS_PER_EVENT:
            raise ValidationFailed(f"At most {self.HEADS_PER_EVENT} heads at a time")
        if len(self.heads) + len(heads) > self.stream_count:
            raise RuleViolation(
                "AUDIT_SEAL_COUNT", f"Seal {self.id} was opened for {self.stream_count} streams"
            )
        self._record_heads(
            heads={str(stream): [version, head] for stream, (version, head) in heads.items()}
        )

    class HeadsRecorded(AuditedAggregate.Event):
        heads: dict[str, list[int | str]]

    @event(HeadsRecorded)
    def _record_heads(self, heads: dict[str, list[int | str]]) -> None:
        self.heads.update(heads)

    def sign(self, key: bytes) -> None:
        """Sign every recorded head; the seal is then final."""
        if len(self.heads) != self.stream_count:
            raise RuleViolation(
                "AUDIT_SEAL_COUNT",
                f"Seal {self.id} holds {len(self.heads)} of its {self.stream_count} heads",
            )
        if key_id(key) != self.key_id:
            raise ValidationFailed("The seal was opened with another key", field="audit_key")
        self._sign(signature=sign(key, self._message()))

    class Signed(AuditedAggregate.Event):
        signature: str

    @event(Signed)
    def _sign(self, signature: str) -> None:
        self.signature = signature

    def _message(self) -> bytes:
        return seal_message(self.heads, self.log_position, self.previous_seal_id)

    def sealed_heads(self) -> dict[str, tuple[int, str]]:
        return {stream: (int(v), str(h)) for stream, (v, h) in self.heads.items()}

    def is_signed_with(self, key: bytes) -> bool:
        if self.algorithm != SEAL_ALGORITHM or self.signature is None:
            return False
        return hmac.compare_digest(sign(key, self._message()), self.signature)
