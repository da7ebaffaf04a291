"""GraphQL types of data comparison. A candidate's reason names its person masked (张*,
3701**********1234), so it is shown only to callers with the data clearance; the evidence
itself only through `viewCandidateEvidence`, which records the viewing."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.comparison.model import ModelDefinition
from domain.comparison.values import CandidateStatus as DomainCandidateStatus
from domain.comparison.values import ComparisonEngine as DomainComparisonEngine
from domain.comparison.values import DatasetKind as DomainDatasetKind
from domain.comparison.values import JobStatus as DomainJobStatus
from graphql_schema.context import context_of
from graphql_schema.labels import labelled_enum
from projections.comparison import CandidateRow
from services.comparison.candidates import Evidence
from services.comparison.runs import RunWritten
from services.results import Written

DatasetKind = labelled_enum(DomainDatasetKind)
CandidateStatus = labelled_enum(DomainCandidateStatus)
ComparisonEngine = labelled_enum(DomainComparisonEngine)
JobStatus = labelled_enum(DomainJobStatus, name="ComparisonJobStatus")


class ComparisonModel(graphene.ObjectType):
    """A model of the library (大数据比对模型库)."""

    code = graphene.String(required=True)
    title = graphene.String(required=True)
    version = graphene.Int(required=True)
    kinds = graphene.List(graphene.NonNull(DatasetKind), required=True)
    reason_template = graphene.String(required=True)

    @staticmethod
    def of(model: ModelDefinition) -> ComparisonModel:
        return ComparisonModel(
            code=model.code,
            title=model.title,
            version=model.version,
            kinds=list(model.kinds),
            reason_template=model.reason_template,
        )


class ComparisonRun(graphene.ObjectType):
    id = graphene.ID(required=True)
    tenant_id = graphene.ID(required=True)
    model_code = graphene.String(required=True)
    model_version = graphene.Int(required=True)
    model_title = graphene.String(required=True)
    engine = graphene.Field(ComparisonEngine, required=True)
    duration_ms = graphene.Int(required=True)
    hit_count = graphene.Int(required=True)
    new_candidates = graphene.Int(required=True, description="Hits not candidates already.")
    recorded_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(row: Any, _info: GraphQLResolveInfo) -> str:
        return str(row.run_id)


class ComparisonJob(graphene.ObjectType):
    """A comparison started as a job (`startComparison`)."""

    id = graphene.ID(required=True)
    tenant_id = graphene.ID(required=True)
    model_code = graphene.String(required=True)
    status = graphene.Field(JobStatus, required=True)
    progress = graphene.Float(description="Percent done, where the engine tells.")
    run_id = graphene.ID(description="The run recorded, once DONE.")
    error = graphene.String(description="Why it FAILED.")
    started_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(job: Any, _info: GraphQLResolveInfo) -> str:
        return str(job.job_id)


class ComparisonCandidate(graphene.ObjectType):
    """A candidate clue (疑点): one hit of a model, until a person triages it."""

    id = graphene.ID(required=True)
    tenant_id = graphene.ID(required=True, description="The office that ran the comparison.")
    run_id = graphene.ID(required=True, description="The run that first found it.")
    model_code = graphene.String(required=True)
    unit_id = graphene.ID(description="The unit it concerns; null when the hit names none.")
    unit_owner_id = graphene.ID()
    status = graphene.Field(CandidateStatus, required=True)
    clue_id = graphene.ID(description="The clue it was promoted to.")
    dismissal_reason = graphene.String()
    reason = graphene.String(description="The model's sentence (masked); data clearance only.")

    @staticmethod
    def resolve_id(row: CandidateRow, _info: GraphQLResolveInfo) -> str:
        return str(row.candidate_id)

    @staticmethod
    def resolve_reason(row: CandidateRow, info: GraphQLResolveInfo) -> str | None:
        return row.reason if context_of(info).data_clearance else None


class ComparisonModelFigures(graphene.ObjectType):
    """Per model: runs, hits, candidates, promotions to clues and concluded clues."""

    model_code = graphene.String(required=True)
    runs = graphene.Int(required=True)
    hits = graphene.Int(required=True, description="Hits of all runs, a repeated hit each time.")
    candidates = graphene.Int(required=True)
    promoted = graphene.Int(required=True)
    concluded = graphene.Int(required=True, description="Promoted clues concluded (办结).")


class RunComparisonPayload(graphene.ObjectType):
    id = graphene.ID(required=True, description="The run.")
    position = graphene.BigInt(required=True)
    hit_count = graphene.Int(required=True)
    new_candidates = graphene.Int(required=True)
    duration_ms = graphene.Int(required=True)

    @staticmethod
    def of(written: RunWritten) -> RunComparisonPayload:
        return RunComparisonPayload(
            id=str(written.id),
            position=written.position,
            hit_count=written.hit_count,
            new_candidates=written.new_candidates,
            duration_ms=written.duration_ms,
        )


class StartComparisonPayload(graphene.ObjectType):
    job_id = graphene.ID(required=True, description="Follow it in comparisonJobs.")
    position = graphene.BigInt(required=True, description="The log's head: nothing is written yet.")

    @staticmethod
    def of(written: Written) -> StartComparisonPayload:
        return StartComparisonPayload(job_id=str(written.id), position=written.position)


class EvidenceColumn(graphene.ObjectType):
    column = graphene.String(required=True)
    value = graphene.String(required=True, description="Masked where personal.")


class CandidateEvidencePayload(graphene.ObjectType):
    id = graphene.ID(required=True, description="The candidate.")
    position = graphene.BigInt(required=True, description="Where the viewing was recorded.")
    reason = graphene.String(required=True)
    evidence = graphene.List(graphene.NonNull(EvidenceColumn), required=True)

    @staticmethod
    def of(shown: Evidence) -> CandidateEvidencePayload:
        return CandidateEvidencePayload(
            id=str(shown.id),
            position=shown.position,
            reason=shown.reason,
            evidence=[EvidenceColumn(column=c, value=v) for c, v in shown.columns.items()],
        )
