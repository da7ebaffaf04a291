"""`Dataset` — a file of supervision data an office registered for comparison (比对数据集).

The event records what was registered (kind, period, source, row count, schema and the
SHA-256 of the normalised content), never a row: the rows live in a Parquet file, their
personal identifiers as keyed hashes and ciphertexts. Deleting a dataset destroys the key of
those ciphertexts; the event says so."""

from __future__ import annotations

from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.comparison.values import DatasetKind
from domain.errors import RuleViolation
from domain.text import required_text


class Dataset(AuditedAggregate):
    @staticmethod
    def create_id() -> UUID:
        return uuid4()

    @classmethod
    def register(
        cls,
        *,
        tenant_id: UUID,
        kind: DatasetKind,
        period: str,
        source: str,
        row_count: int,
        schema: list[dict[str, str]],
        content_sha256: str,
        dataset_id: UUID | None = None,
    ) -> Dataset:
        return cls(
            id=dataset_id or cls.create_id(),
            tenant_id=tenant_id,
            kind=DatasetKind(kind).value,
            period=required_text(period, "period", max_length=50),
            source=required_text(source, "source", max_length=200),
            row_count=row_count,
            schema=schema,
            content_sha256=content_sha256,
        )

    class Registered(AuditedAggregate.Created):
        """v1: `kind` (DatasetKind), `period` (e.g. 2026年10月), `source` (the file's name or
        the supplying department), `row_count`, `schema` (column name and type, in order),
        `content_sha256` (hex, of the normalised rows before any hashing or encryption)."""

        class_version = 1
        kind: str
        period: str
        source: str
        row_count: int
        schema: list[dict[str, str]]
        content_sha256: str

    @event(Registered)
    def __init__(
        self,
        tenant_id: UUID,
        kind: str,
        period: str,
        source: str,
        row_count: int,
        schema: list[dict[str, str]],
        content_sha256: str,
        id: UUID | None = None,  # eventsourcing takes a given aggregate id by this name
    ) -> None:
        self.tenant_id = tenant_id
        self.kind = DatasetKind(kind)
        self.period = period
        self.source = source
        self.row_count = row_count
        self.schema = schema
        self.content_sha256 = content_sha256
        self.deleted = False

    def delete(self, *, reason: str) -> None:
        if self.deleted:
            raise RuleViolation("DATASET_DELETED", f"Dataset {self.id} is already deleted")
        self._deleted(reason=required_text(reason, "reason", max_length=500))

    class Deleted(AuditedAggregate.Event):
        """v1: the dataset's rows and its encryption key were destroyed (crypto-shredding):
        its ciphertexts, wherever copied, can no longer be read. `reason` says why."""

        class_version = 1
        reason: str

    @event(Deleted)
    def _deleted(self, reason: str) -> None:
        self.deleted = True
