"""Running a comparison model over the office's datasets in force: the engine finds the hits,
each hit not already a candidate becomes one, and the run and its new candidates are recorded
together (`ComparisonRun.Completed`, `Candidate.Raised`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from domain.comparison.candidate import Candidate, candidate_id_for
from domain.comparison.model import ModelDefinition
from domain.comparison.run import ComparisonRun
from domain.comparison.values import DatasetKind, readable_columns
from domain.errors import RuleViolation
from infrastructure.comparison.engines import DatasetTable, Engine, Watch
from infrastructure.comparison.files import DatasetFiles
from infrastructure.store import EventStore
from projections import comparison, deadlines_read, directory
from services.authorization import Acting
from services.comparison.datasets import cleared_for, require_comparer
from services.comparison.models import ModelService
from services.results import Written
from services.tenants import TenantService, known_office

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunWritten(Written):
    hit_count: int
    new_candidates: int
    duration_ms: int


def evidence_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date | Decimal | int | float):
        return value.isoformat() if isinstance(value, date) else str(value)
    return str(value)


class RunService:
    def __init__(
        self,
        store: EventStore,
        tenants: TenantService,
        models: ModelService,
        files: DatasetFiles,
        reads: ConnectionPool,
        engine: Callable[[], Engine],
        caught_up: Callable[[], None],
    ) -> None:
        self.store = store
        self.tenants = tenants
        self.models = models
        self.files = files
        self.reads = reads
        self.engine = engine
        self.caught_up = caught_up  # waits until the comparison and directory views are current

    def run_comparison(self, *, tenant_id: UUID, model_code: str, acting: Acting) -> RunWritten:
        office_id, model = self.prepared(tenant_id, model_code, acting)
        return self.execute(office_id, model)

    def prepared(
        self, tenant_id: UUID, model_code: str, acting: Acting
    ) -> tuple[UUID, ModelDefinition]:
        """The office and model, once `acting` may run it and every dataset it reads is
        registered: what is refused is refused before any work starts."""
        cleared_for(acting, "run comparisons")
        office = known_office(self.tenants, acting, tenant_id)
        require_comparer(acting, office.id, "run comparisons")
        model = self.models.model(office.id, model_code)
        self.caught_up()
        self._tables(office.id, model)
        return office.id, model

    def execute(
        self, office_id: UUID, model: ModelDefinition, watch: Watch | None = None
    ) -> RunWritten:
        """Run `model` over the office's datasets in force and record the run with its new
        candidates; `Cancelled` (nothing recorded) when `watch` stops it."""
        tables, datasets = self._tables(office_id, model)
        engine = self.engine()
        started = time.monotonic()
        hits = _distinct(engine.hits(model.sql, tables, watch).as_dicts())
        duration_ms = round((time.monotonic() - started) * 1000)
        run_id = ComparisonRun.create_id()
        fresh = self._fresh(office_id, model, hits)
        units = self._units(office_id, [h["unit_code"] for h in fresh if h["unit_code"]])
        candidates = [self._candidate(office_id, run_id, model, h, units) for h in fresh]
        run = ComparisonRun.record(
            tenant_id=office_id,
            model=model,
            datasets=datasets,
            engine=engine.kind,
            duration_ms=duration_ms,
            hit_count=len(hits),
            new_candidates=len(candidates),
            run_id=run_id,
        )
        position = self.store.record(run, *candidates)
        # counts and ids only: hits hold personal data, even masked
        log.info(
            "comparison run %s of %s v%s: %d hits, %d new candidates, %d ms",
            run_id, model.code, model.version, len(hits), len(candidates), duration_ms,
        )  # fmt: skip
        return RunWritten(run_id, position, len(hits), len(candidates), duration_ms)

    def _tables(
        self, tenant_id: UUID, model: ModelDefinition
    ) -> tuple[list[DatasetTable], dict[str, dict[str, str]]]:
        with self.reads.connection() as conn:
            in_force = comparison.datasets_in_force(conn, tenant_id)
        missing = [k for k in model.kinds if k.value not in in_force]
        if missing:
            raise RuleViolation(
                "COMPARISON_DATASET_MISSING",
                f"Model {model.code} reads datasets of kinds the office has not registered: "
                f"{', '.join(missing)}",
                kinds=", ".join(missing),
            )
        tables, datasets = [], {}
        for kind in model.kinds:
            row = in_force[kind.value]
            path = self.files.path_of(tenant_id, row.dataset_id)
            tables.append(DatasetTable(kind.table, path, readable_columns(DatasetKind(kind))))
            datasets[kind.value] = {
                "datasetId": str(row.dataset_id),
                "contentSha256": row.content_sha256,
            }
        return tables, datasets

    def _fresh(
        self, tenant_id: UUID, model: ModelDefinition, hits: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """The hits that are not candidates already (raised by an earlier run)."""
        ids = {candidate_id_for(tenant_id, model.code, str(h["match_key"])) for h in hits}
        existing = set(self.store.load_many(list(ids))) if ids else set()
        return [
            h
            for h in hits
            if candidate_id_for(tenant_id, model.code, str(h["match_key"])) not in existing
        ]

    def _units(self, tenant_id: UUID, codes: list[str]) -> dict[str, directory.UnitRow]:
        if not codes:
            return {}
        with self.reads.connection() as conn:
            offices = deadlines_read.office_and_counties(conn, tenant_id)
            offices.sort(key=lambda office: office != tenant_id)  # the office's own first
            return directory.units_by_code(conn, offices, sorted(set(codes)))

    @staticmethod
    def _candidate(
        tenant_id: UUID,
        run_id: UUID,
        model: ModelDefinition,
        hit: dict[str, Any],
        units: dict[str, directory.UnitRow],
    ) -> Candidate:
        unit = units.get(hit["unit_code"]) if hit["unit_code"] else None
        return Candidate.raise_from(
            tenant_id=tenant_id,
            run_id=run_id,
            model_code=model.code,
            model_version=model.version,
            match_key=str(hit["match_key"]),
            unit_id=unit.unit_id if unit else None,
            unit_owner_id=unit.tenant_id if unit else None,
            evidence={k: evidence_text(v) for k, v in hit.items()},
            reason=model.reason({k: evidence_text(v) for k, v in hit.items()}),
        )


def _distinct(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One hit per match key (the first), as a model's join may repeat a hit."""
    seen: dict[str, dict[str, Any]] = {}
    for hit in hits:
        seen.setdefault(str(hit["match_key"]), hit)
    return list(seen.values())
