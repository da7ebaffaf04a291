"""Comparisons as jobs (`startComparison`): refused at once when the run would be, else run
in a thread of this process while the caller goes on; the job's progress is readable by
any API process, and a cancellation asked of any of them stops the engine at its next check
(about twice a second) with nothing recorded."""

from __future__ import annotations

import logging
import threading
from uuid import UUID, uuid4

from domain.comparison.model import ModelDefinition
from domain.comparison.values import JobStatus
from domain.context import acting_as, current_actor
from domain.errors import NotFound, XunChaError
from infrastructure.comparison.engines import Cancelled
from infrastructure.comparison.jobs import ComparisonJobs, Job
from services.authorization import Acting
from services.comparison.datasets import cleared_for, require_comparer
from services.comparison.runs import RunService
from services.results import Written
from services.tenants import TenantService
from services.visibility import seen

log = logging.getLogger(__name__)


class JobService:
    def __init__(self, runs: RunService, jobs: ComparisonJobs, tenants: TenantService) -> None:
        self.runs = runs
        self.jobs = jobs
        self.tenants = tenants

    def start_comparison(self, *, tenant_id: UUID, model_code: str, acting: Acting) -> Written:
        """Start the run as a job; its id, and the log's head (nothing is recorded yet)."""
        office_id, model = self.runs.prepared(tenant_id, model_code, acting)
        job_id = uuid4()
        self.jobs.start(job_id, office_id, model.code)
        worker = threading.Thread(
            target=self._work,
            args=(job_id, office_id, model, current_actor()),
            name=f"comparison-job-{job_id}",
            daemon=True,
        )
        worker.start()
        return Written(job_id, self.runs.store.max_position())

    def _work(self, job_id: UUID, office_id: UUID, model: ModelDefinition, actor: str) -> None:
        with acting_as(actor):
            try:
                written = self.runs.execute(
                    office_id, model, watch=lambda percent: self.jobs.progressed(job_id, percent)
                )
            except Cancelled:
                self.jobs.finish(job_id, JobStatus.CANCELLED)
            except XunChaError as refused:
                self.jobs.finish(job_id, JobStatus.FAILED, error=refused.message)
            except Exception as error:
                # the kind only: an engine's message may quote the data it stopped at
                log.error("comparison job %s failed: %s", job_id, type(error).__name__)
                self.jobs.finish(job_id, JobStatus.FAILED, error=type(error).__name__)
            else:
                self.jobs.finish(job_id, JobStatus.DONE, run_id=written.id)

    def _job(self, job_id: UUID, acting: Acting) -> Job:
        job = self.jobs.job(job_id)
        if job is None:
            raise NotFound.no("comparison job", job_id)
        seen(self.tenants, acting, [job.tenant_id], "comparison job", job_id)
        return job

    def cancel_comparison(self, job_id: UUID, *, acting: Acting) -> Written:
        cleared_for(acting, "cancel comparisons")
        job = self._job(job_id, acting)
        require_comparer(acting, job.tenant_id, "cancel comparisons")
        self.jobs.request_cancel(job_id)
        return Written(job_id, self.runs.store.max_position())

    def comparison_jobs(self, offices: list[UUID], first: int) -> list[Job]:
        """The offices' jobs, newest first (the caller's read scope is checked at the edge)."""
        return self.jobs.of(offices, first)
