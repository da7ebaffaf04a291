"""`Report` — a view as issued (出具的报表): its kind, the arguments it was asked with, the log
position it was computed at and the SHA-256 of its canonical content. Recomputed at that
position it must give the same digest; what corrections changed since shows as the difference
between it and the same view now, never as a silent change of what was issued."""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.errors import ValidationFailed


class ReportKind(StrEnum):
    CLUE_LEDGER = "CLUE_LEDGER"  # 线索台账
    STATISTICS = "STATISTICS"  # 统计数据


def canonical_text(content: Any) -> str:
    """The content's canonical JSON: keys sorted, no whitespace, non-ASCII as itself, and
    every value JSON has no form for (dates, decimals, ids) as its string."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def digest_of(content: Any) -> str:
    return hashlib.sha256(canonical_text(content).encode()).hexdigest()


class Report(AuditedAggregate):
    @classmethod
    def issue(
        cls, *, tenant_id: UUID, kind: ReportKind, arguments: str, position: int, digest: str
    ) -> Report:
        """Pin the view `kind` asked with `arguments` (canonical JSON) as computed at log
        `position`, whose content has the SHA-256 `digest`."""
        if position < 1:
            raise ValidationFailed("A report is computed at a position of the log", field="asOf")
        return cls(
            id=uuid4(),
            tenant_id=tenant_id,
            kind=kind,
            arguments=arguments,
            position=position,
            digest=digest,
        )

    class Issued(AuditedAggregate.Created):
        class_version = 1
        kind: ReportKind
        arguments: str  # the view's arguments, canonical JSON
        position: int  # the log position the view was computed at
        digest: str  # SHA-256 (hex) of the view's canonical content

    @event(Issued)
    def __init__(
        self,
        tenant_id: UUID,
        kind: ReportKind,
        arguments: str,
        position: int,
        digest: str,
        id: UUID | None = None,
    ) -> None:
        self.tenant_id = tenant_id
        self.kind = ReportKind(kind)
        self.arguments = arguments
        self.position = position
        self.digest = digest
