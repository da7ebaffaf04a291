"""The data comparison view: each office's datasets in force, its comparison runs, and the
candidate clues they raised with their triage, for `comparisonRuns`, `comparisonCandidates`
and `comparisonModelFigures`.

Figures per model (an office's, with its counties' for a city):
- runs: comparison runs recorded; hits: the hits those runs found, summed (a hit found by
  two runs counts twice);
- candidates: distinct candidate clues raised (a hit found again is the same candidate);
- promoted: candidates promoted to a clue; concluded: of those, clues concluded (办结) —
  how many comparisons found real problems.

A candidate row is seen by the office that ran the comparison and by the office owning the
unit it concerns (a county sees its own units' candidates only). Evidence is not kept here:
it is read from the candidate's stream, and each reading recorded (`EvidenceViewed`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Connection, Cursor
from psycopg.rows import class_row

from domain.clues.clue import Clue
from domain.comparison.candidate import Candidate
from domain.comparison.dataset import Dataset
from domain.comparison.run import ComparisonRun
from projections.base import Projection
from projections.row_security import either, visible


@dataclass(frozen=True)
class DatasetRow:
    dataset_id: UUID
    tenant_id: UUID
    kind: str
    period: str
    source: str
    row_count: int
    content_sha256: str


@dataclass(frozen=True)
class RunRow:
    run_id: UUID
    tenant_id: UUID
    model_code: str
    model_version: int
    model_title: str
    engine: str
    duration_ms: int
    hit_count: int
    new_candidates: int
    recorded_at: datetime


@dataclass(frozen=True)
class CandidateRow:
    candidate_id: UUID
    tenant_id: UUID
    run_id: UUID
    model_code: str
    unit_id: UUID | None
    unit_owner_id: UUID | None
    reason: str
    status: str
    clue_id: UUID | None
    dismissal_reason: str | None


@dataclass(frozen=True)
class ModelFigures:
    model_code: str
    runs: int
    hits: int
    candidates: int
    promoted: int
    concluded: int


class ComparisonView(Projection):
    name = "comparison"
    tables = ("rm_comparison_datasets", "rm_comparison_runs", "rm_comparison_candidates")
    row_rules: ClassVar[dict[str, str]] = {
        "rm_comparison_datasets": visible("tenant_id"),
        "rm_comparison_runs": visible("tenant_id"),
        "rm_comparison_candidates": either(visible("tenant_id"), visible("unit_owner_id")),
    }
    ddl = """
    CREATE TABLE IF NOT EXISTS rm_comparison_datasets (
        dataset_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        kind text NOT NULL,
        period text NOT NULL,
        source text NOT NULL,
        row_count bigint NOT NULL,
        content_sha256 text NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_comparison_datasets_kind
        ON rm_comparison_datasets (tenant_id, kind, position);
    CREATE TABLE IF NOT EXISTS rm_comparison_runs (
        run_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        model_code text NOT NULL,
        model_version integer NOT NULL,
        model_title text NOT NULL,
        engine text NOT NULL,
        duration_ms bigint NOT NULL,
        hit_count bigint NOT NULL,
        new_candidates bigint NOT NULL,
        recorded_at timestamptz NOT NULL,
        position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_comparison_runs_tenant
        ON rm_comparison_runs (tenant_id, position);
    CREATE TABLE IF NOT EXISTS rm_comparison_candidates (
        candidate_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL,
        model_code text NOT NULL,
        unit_id uuid,
        unit_owner_id uuid,
        reason text NOT NULL,
        status text NOT NULL,
        clue_id uuid,
        dismissal_reason text,
        clue_concluded boolean NOT NULL DEFAULT false,
        position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_comparison_candidates_model
        ON rm_comparison_candidates (tenant_id, model_code, status, position);
    CREATE INDEX IF NOT EXISTS rm_comparison_candidates_owner
        ON rm_comparison_candidates (unit_owner_id, position);
    CREATE INDEX IF NOT EXISTS rm_comparison_candidates_clue
        ON rm_comparison_candidates (clue_id) WHERE clue_id IS NOT NULL;
    """

    @singledispatchmethod
    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        """Events this view does not need are passed over."""

    @apply.register
    def _(self, event: Dataset.Registered, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_comparison_datasets (dataset_id, tenant_id, kind, period, source, "
            "row_count, content_sha256, position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (dataset_id) DO NOTHING",
            (
                event.originator_id,
                event.tenant_id,
                event.kind,
                event.period,
                event.source,
                event.row_count,
                event.content_sha256,
                position,
            ),
        )

    @apply.register
    def _(self, event: Dataset.Deleted, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_comparison_datasets SET deleted = true WHERE dataset_id = %s",
            (event.originator_id,),
        )

    @apply.register
    def _(self, event: ComparisonRun.Completed, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_comparison_runs (run_id, tenant_id, model_code, model_version, "
            "model_title, engine, duration_ms, hit_count, new_candidates, recorded_at, "
            "position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (run_id) DO NOTHING",
            (
                event.originator_id,
                event.tenant_id,
                event.model_code,
                event.model_version,
                event.model_title,
                event.engine,
                event.duration_ms,
                event.hit_count,
                event.new_candidates,
                event.timestamp,
                position,
            ),
        )

    @apply.register
    def _(self, event: Candidate.Raised, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_comparison_candidates (candidate_id, tenant_id, run_id, model_code, "
            "unit_id, unit_owner_id, reason, status, position) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, 'OPEN', %s) ON CONFLICT (candidate_id) DO NOTHING",
            (
                event.originator_id,
                event.tenant_id,
                event.run_id,
                event.model_code,
                event.unit_id,
                event.unit_owner_id,
                event.reason,
                position,
            ),
        )

    @apply.register
    def _(self, event: Candidate.Dismissed, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_comparison_candidates SET status = 'DISMISSED', dismissal_reason = %s "
            "WHERE candidate_id = %s",
            (event.reason, event.originator_id),
        )

    @apply.register
    def _(self, event: Candidate.Promoted, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_comparison_candidates SET status = 'PROMOTED', clue_id = %s "
            "WHERE candidate_id = %s",
            (event.clue_id, event.originator_id),
        )

    @apply.register
    def _(self, event: Clue.Concluded, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_comparison_candidates SET clue_concluded = true WHERE clue_id = %s",
            (event.originator_id,),
        )


def datasets_in_force(conn: Connection[Any], tenant_id: UUID) -> dict[str, DatasetRow]:
    """The office's latest dataset of each kind that is not deleted, by kind."""
    with conn.cursor(row_factory=class_row(DatasetRow)) as cur:
        rows = cur.execute(
            "SELECT DISTINCT ON (kind) dataset_id, tenant_id, kind, period, source, row_count, "
            "content_sha256 FROM rm_comparison_datasets WHERE tenant_id = %s AND NOT deleted "
            "ORDER BY kind, position DESC",
            (tenant_id,),
        ).fetchall()
    return {row.kind: row for row in rows}


def runs(
    conn: Connection[Any], tenants: list[UUID], model_code: str | None, first: int
) -> list[RunRow]:
    with conn.cursor(row_factory=class_row(RunRow)) as cur:
        return cur.execute(
            "SELECT run_id, tenant_id, model_code, model_version, model_title, engine, "
            "duration_ms, hit_count, new_candidates, recorded_at FROM rm_comparison_runs "
            "WHERE tenant_id = ANY(%s) AND (%s::text IS NULL OR model_code = %s) "
            "ORDER BY position DESC LIMIT %s",
            (tenants, model_code, model_code, first),
        ).fetchall()


def candidates(
    conn: Connection[Any],
    tenants: list[UUID],
    *,
    model_code: str | None,
    status: str | None,
    first: int,
) -> list[CandidateRow]:
    """Candidates the offices ran or whose units they own, newest first."""
    with conn.cursor(row_factory=class_row(CandidateRow)) as cur:
        return cur.execute(
            "SELECT candidate_id, tenant_id, run_id, model_code, unit_id, unit_owner_id, "
            "reason, status, clue_id, dismissal_reason FROM rm_comparison_candidates "
            "WHERE (tenant_id = ANY(%s) OR unit_owner_id = ANY(%s)) "
            "AND (%s::text IS NULL OR model_code = %s) AND (%s::text IS NULL OR status = %s) "
            "ORDER BY position DESC LIMIT %s",
            (tenants, tenants, model_code, model_code, status, status, first),
        ).fetchall()


def model_figures(conn: Connection[Any], tenants: list[UUID] | None) -> list[ModelFigures]:
    """Per model, of the offices' runs (None: every office's)."""
    with conn.cursor(row_factory=class_row(ModelFigures)) as cur:
        return cur.execute(
            "WITH r AS (SELECT model_code, count(*) AS runs, sum(hit_count) AS hits "
            "  FROM rm_comparison_runs WHERE %s::uuid[] IS NULL OR tenant_id = ANY(%s) "
            "  GROUP BY model_code), "
            "c AS (SELECT model_code, count(*) AS candidates, "
            "  count(*) FILTER (WHERE status = 'PROMOTED') AS promoted, "
            "  count(*) FILTER (WHERE clue_concluded) AS concluded "
            "  FROM rm_comparison_candidates WHERE %s::uuid[] IS NULL OR tenant_id = ANY(%s) "
            "  GROUP BY model_code) "
            "SELECT model_code, coalesce(r.runs, 0)::int AS runs, "
            "coalesce(r.hits, 0)::int AS hits, coalesce(c.candidates, 0)::int AS candidates, "
            "coalesce(c.promoted, 0)::int AS promoted, coalesce(c.concluded, 0)::int AS concluded "
            "FROM r FULL JOIN c USING (model_code) ORDER BY model_code",
            (tenants, tenants, tenants, tenants),
        ).fetchall()
