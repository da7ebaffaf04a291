"""Registering and deleting datasets (比对数据集). A file is registered whole or not at all:
every row is checked first, and only a file without problems is stored, under a fresh key,
and recorded. Deleting destroys the rows and the key, and records that it did."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from domain.comparison.dataset import Dataset
from domain.comparison.values import DatasetKind
from domain.errors import ValidationFailed
from infrastructure.comparison.files import DatasetFiles
from infrastructure.comparison.keys import ComparisonKeys
from infrastructure.store import EventStore
from services.authorization import (
    ADMIN,
    CITY_OFFICE,
    Acting,
    require_data_clearance,
    require_office,
    require_role,
)
from services.comparison import rows
from services.imports.pipeline import OfficeReport
from services.results import Written
from services.tenants import TenantService, known_office
from services.visibility import seen

MAX_FILE_BYTES = 512 * 2**20


@dataclass(frozen=True)
class DatasetWritten(Written):
    row_count: int
    content_sha256: str


@dataclass
class DatasetReport(OfficeReport):
    """A registration as the upload endpoint answers it."""

    dataset_id: str
    kind: str
    row_count: int
    content_sha256: str
    position: int


def cleared_for(acting: Acting, what: str) -> None:
    """Every data comparison command asks first for the data clearance, before it looks
    anything up: without it the answer is FORBIDDEN, whatever the ids name."""
    require_data_clearance(acting, what[0].upper() + what[1:])


def require_comparer(acting: Acting, tenant_id: UUID, what: str) -> None:
    """A CITY_OFFICE or ADMIN of the office, with the data clearance (or the console)."""
    cleared_for(acting, what)
    require_role(acting, {CITY_OFFICE, ADMIN}, what)
    require_office(acting, {tenant_id}, what)


class DatasetService:
    def __init__(
        self, store: EventStore, tenants: TenantService, keys: ComparisonKeys, files: DatasetFiles
    ) -> None:
        self.store = store
        self.tenants = tenants
        self.keys = keys
        self.files = files

    def register_dataset(
        self,
        *,
        tenant_id: UUID,
        kind: DatasetKind,
        period: str,
        source: str,
        filename: str,
        data: bytes,
        mapping: Mapping[str, str] | None = None,
        acting: Acting,
    ) -> DatasetWritten:
        cleared_for(acting, "register datasets")
        office = known_office(self.tenants, acting, tenant_id)
        require_comparer(acting, office.id, "register datasets")
        if len(data) > MAX_FILE_BYTES:
            raise ValidationFailed(
                f"A dataset file holds at most {MAX_FILE_BYTES // 2**20} MiB; split it",
                field="file",
            )
        read, problems = rows.read_rows(kind, filename, data, mapping or {})
        valid = rows.validated(kind, read, problems)
        dataset_id = Dataset.create_id()
        dataset = Dataset.register(
            tenant_id=office.id,
            kind=kind,
            period=period,
            source=source,
            row_count=len(valid.rows),
            schema=rows.schema_of(kind),
            content_sha256=valid.content_sha256,
            dataset_id=dataset_id,
        )
        sealer = self.keys.new_sealer(office.id, dataset_id)
        try:
            self.files.write(office.id, dataset_id, rows.stored_table(valid, sealer))
            position = self.store.record(dataset)
        except BaseException:
            self.files.remove(office.id, dataset_id)
            self.keys.discard(dataset_id)
            raise
        return DatasetWritten(dataset_id, position, len(valid.rows), valid.content_sha256)

    def dataset(self, dataset_id: UUID) -> Dataset:
        return self.store.load(Dataset, dataset_id, what="dataset")

    def delete_dataset(self, dataset_id: UUID, *, reason: str, acting: Acting) -> Written:
        """Destroy the dataset's key and rows and record `Dataset.Deleted`: the key goes only
        with the event; the file, which nothing reads once the event is recorded, after it."""
        cleared_for(acting, "delete datasets")
        dataset = self.dataset(dataset_id)
        seen(self.tenants, acting, [dataset.tenant_id], "dataset", dataset_id)
        require_comparer(acting, dataset.tenant_id, "delete datasets")
        dataset.delete(reason=reason)
        with self.keys.shredding(dataset_id):
            position = self.store.record(dataset)
        self.files.remove(dataset.tenant_id, dataset_id)
        return Written(dataset_id, position)
