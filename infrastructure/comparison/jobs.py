"""Comparison jobs: a run started in the background (`startComparison`), its progress and its
cancellation, in a table every API process reads, so any of them answers for a job and takes
its cancellation. The job's outcome is the run it records (`ComparisonRun.Completed`); this
table only follows it. A job whose process died stays RUNNING until it is cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from psycopg.rows import class_row
from psycopg_pool import ConnectionPool

from domain.comparison.values import JobStatus

DDL = """
CREATE TABLE IF NOT EXISTS comparison_jobs (
    job_id uuid PRIMARY KEY,
    tenant_id uuid NOT NULL,
    model_code text NOT NULL,
    status text NOT NULL,
    progress double precision,
    cancel_requested boolean NOT NULL DEFAULT false,
    run_id uuid,
    error text,
    started_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS comparison_jobs_tenant ON comparison_jobs (tenant_id, started_at);
"""


@dataclass(frozen=True)
class Job:
    job_id: UUID
    tenant_id: UUID
    model_code: str
    status: str
    progress: float | None
    cancel_requested: bool
    run_id: UUID | None
    error: str | None
    started_at: datetime
    updated_at: datetime


_COLUMNS = (
    "job_id, tenant_id, model_code, status, progress, cancel_requested, run_id, error, "
    "started_at, updated_at"
)


class ComparisonJobs:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def install(self) -> None:
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('xuncha.comparison_jobs'))")
            conn.execute(DDL)

    def start(self, job_id: UUID, tenant_id: UUID, model_code: str) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO comparison_jobs (job_id, tenant_id, model_code, status) "
                "VALUES (%s, %s, %s, %s)",
                (job_id, tenant_id, model_code, JobStatus.RUNNING.value),
            )

    def progressed(self, job_id: UUID, percent: float | None) -> bool:
        """Record the progress; whether the job was asked to stop."""
        with self.pool.connection() as conn:
            row = conn.execute(
                "UPDATE comparison_jobs SET progress = coalesce(%s, progress), "
                "updated_at = now() WHERE job_id = %s RETURNING cancel_requested",
                (percent, job_id),
            ).fetchone()
        return bool(row and row[0])

    def request_cancel(self, job_id: UUID) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "UPDATE comparison_jobs SET cancel_requested = true, updated_at = now(), "
                "status = CASE WHEN status = %s THEN %s ELSE status END WHERE job_id = %s",
                (JobStatus.RUNNING.value, JobStatus.CANCELLING.value, job_id),
            )

    def finish(
        self, job_id: UUID, status: JobStatus, run_id: UUID | None = None, error: str | None = None
    ) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "UPDATE comparison_jobs SET status = %s, run_id = %s, error = %s, "
                "progress = CASE WHEN %s THEN 100 ELSE progress END, updated_at = now() "
                "WHERE job_id = %s",
                (status.value, run_id, error, status == JobStatus.DONE, job_id),
            )

    def job(self, job_id: UUID) -> Job | None:
        with self.pool.connection() as conn, conn.cursor(row_factory=class_row(Job)) as cur:
            return cur.execute(
                f"SELECT {_COLUMNS} FROM comparison_jobs WHERE job_id = %s",  # noqa: S608
                (job_id,),
            ).fetchone()

    def of(self, tenants: list[UUID], first: int) -> list[Job]:
        with self.pool.connection() as conn, conn.cursor(row_factory=class_row(Job)) as cur:
            return cur.execute(
                f"SELECT {_COLUMNS} FROM comparison_jobs WHERE tenant_id = ANY(%s) "  # noqa: S608
                "ORDER BY started_at DESC LIMIT %s",
                (tenants, first),
            ).fetchall()
