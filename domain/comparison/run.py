"""`ComparisonRun` — one run of a comparison model over an office's datasets (比对运行)."""

from __future__ import annotations

from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.comparison.model import ModelDefinition
from domain.comparison.values import ComparisonEngine


class ComparisonRun(AuditedAggregate):
    @staticmethod
    def create_id() -> UUID:
        return uuid4()

    @classmethod
    def record(
        cls,
        *,
        tenant_id: UUID,
        model: ModelDefinition,
        datasets: dict[str, dict[str, str]],
        engine: ComparisonEngine,
        duration_ms: int,
        hit_count: int,
        new_candidates: int,
        run_id: UUID | None = None,
    ) -> ComparisonRun:
        return cls(
            id=run_id or cls.create_id(),
            tenant_id=tenant_id,
            model_code=model.code,
            model_version=model.version,
            model_title=model.title,
            datasets=datasets,
            engine=ComparisonEngine(engine).value,
            duration_ms=duration_ms,
            hit_count=hit_count,
            new_candidates=new_candidates,
        )

    class Completed(AuditedAggregate.Created):
        """v1: `model_code`, `model_version` and `model_title` of the model run; `datasets`,
        by kind, the dataset id and SHA-256 of its content read; the `engine`; how long it
        took (`duration_ms`); its `hit_count`, and how many hits were not candidates already
        (`new_candidates`)."""

        class_version = 1
        model_code: str
        model_version: int
        model_title: str
        datasets: dict[str, dict[str, str]]
        engine: str
        duration_ms: int
        hit_count: int
        new_candidates: int

    @event(Completed)
    def __init__(
        self,
        tenant_id: UUID,
        model_code: str,
        model_version: int,
        model_title: str,
        datasets: dict[str, dict[str, str]],
        engine: str,
        duration_ms: int,
        hit_count: int,
        new_candidates: int,
        id: UUID | None = None,  # eventsourcing takes a given aggregate id by this name
    ) -> None:
        self.tenant_id = tenant_id
        self.model_code = model_code
        self.model_version = model_version
        self.datasets = datasets
        self.engine = ComparisonEngine(engine)
        self.hit_count = hit_count
