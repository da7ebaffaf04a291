"""Where datasets' rows live: one Parquet file per dataset under the comparison folder
(`<data_dir>/comparison/<office>/<dataset>.parquet` by default)."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import pyarrow as pa
import pyarrow.parquet as pq


class DatasetFiles:
    def __init__(self, root: Path) -> None:
        self.root = root.expanduser().resolve()

    def path_of(self, tenant_id: UUID, dataset_id: UUID) -> Path:
        return self.root / str(tenant_id) / f"{dataset_id}.parquet"

    def write(self, tenant_id: UUID, dataset_id: UUID, table: pa.Table) -> Path:
        """Write the rows where they belong; through a temporary name, so a reader never
        sees half a file."""
        path = self.path_of(tenant_id, dataset_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        pq.write_table(table, partial, compression="zstd")
        partial.replace(path)
        return path

    def remove(self, tenant_id: UUID, dataset_id: UUID) -> None:
        self.path_of(tenant_id, dataset_id).unlink(missing_ok=True)
