"""A comparison started as a job runs in the background, reports its progress and records its
run when done; cancelled, it stops the engine and records nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from uuid import UUID

import pytest

from domain.comparison.run import ComparisonRun
from domain.comparison.values import DatasetKind, JobStatus
from domain.errors import Forbidden, RuleViolation
from infrastructure.comparison.jobs import Job
from services.authorization import CITY_OFFICE, CONSOLE, Acting
from services.runtime import Runtime
from tests.support.comparison import office_with_units, register_world

ENDLESS = (
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 2000000000) "
    "SELECT CAST(NULL AS VARCHAR) AS unit_code, CAST(max(n) AS VARCHAR) AS match_key FROM r"
)


def until(runtime: Runtime, job_id: UUID, done: Callable[[Job], bool]) -> Job:
    ends = time.monotonic() + 60
    while time.monotonic() < ends:
        job = runtime.comparison_jobs.jobs.job(job_id)
        assert job is not None
        if done(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not get there: {job}")


def test_a_job_runs_in_the_background_and_records_its_run(runtime: Runtime) -> None:
    city, _ = office_with_units(runtime)
    register_world(runtime, city)
    started = runtime.comparison_jobs.start_comparison(
        tenant_id=city, model_code="DUPLICATE_SUBSIDY", acting=CONSOLE
    )
    job = until(runtime, started.id, lambda j: j.status != JobStatus.RUNNING)
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    assert job.run_id is not None
    assert runtime.store.load(ComparisonRun, job.run_id, what="run").hit_count == 1
    assert runtime.comparison_jobs.comparison_jobs([city], 10)[0].job_id == started.id


def test_a_cancelled_job_stops_the_engine_and_records_nothing(runtime: Runtime) -> None:
    city, _ = office_with_units(runtime)
    register_world(runtime, city)
    runtime.comparison_models.define_model(
        tenant_id=city,
        code="ENDLESS",
        title="不会结束的比对",
        kinds=[DatasetKind.FARM_SUBSIDY],
        sql=ENDLESS,
        reason_template="{match_key}",
        acting=CONSOLE,
    )
    head = runtime.store.max_position()
    started = runtime.comparison_jobs.start_comparison(
        tenant_id=city, model_code="ENDLESS", acting=CONSOLE
    )
    time.sleep(1.5)
    assert until(runtime, started.id, lambda j: True).status == JobStatus.RUNNING
    with pytest.raises(Forbidden):
        runtime.comparison_jobs.cancel_comparison(
            started.id, acting=Acting(role=CITY_OFFICE, tenant_id=city)
        )
    runtime.comparison_jobs.cancel_comparison(started.id, acting=CONSOLE)
    job = until(runtime, started.id, lambda j: j.status == JobStatus.CANCELLED)
    assert job.run_id is None
    assert runtime.store.max_position() == head


def test_a_job_that_cannot_run_is_refused_before_it_starts(runtime: Runtime) -> None:
    city, _ = office_with_units(runtime)
    with pytest.raises(RuleViolation) as refused:
        runtime.comparison_jobs.start_comparison(
            tenant_id=city, model_code="PAYROLL_ALLOWANCE", acting=CONSOLE
        )
    assert refused.value.rule == "COMPARISON_DATASET_MISSING"
    assert runtime.comparison_jobs.comparison_jobs([city], 10) == []
