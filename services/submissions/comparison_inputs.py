"""The inputs of data comparison's commands (GraphQL only; docs/DATA_COMPARISON.md). Every one
needs the data clearance. Datasets are files: they are registered by upload
(`POST /imports/datasets`) or from the command line (`xuncha compare dataset register`)."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from domain.comparison.values import DatasetKind
from services.submissions.inputs import CommandInput

CANDIDATE_VERSION = "Refused with CONFLICT (and nothing written) if the candidate moved on."


class RunComparisonInput(CommandInput):
    """Run a comparison model (the library's or the office's own) over the office's datasets
    in force, on the configured engine; each new hit becomes a candidate clue."""

    aims_at = "tenant_id"

    tenant_id: UUID = Field(description="The office whose datasets are compared.")
    model_code: str = Field(description="The model's code, e.g. PAYROLL_ALLOWANCE.")


class DefineComparisonModelInput(CommandInput):
    """Define the office's own comparison model, or revise it (a new version): one read-only
    SELECT over the office's datasets (each kind read as a table of its lower-case name),
    yielding unit_code, match_key and every column the reason template names."""

    aims_at = "tenant_id"

    tenant_id: UUID
    code: str = Field(description="Unique in the office; not a library model's.")
    title: str
    kinds: list[DatasetKind] = Field(description="The dataset kinds the query reads.")
    sql: str = Field(description="In DuckDB's dialect; translated for Spark.")
    reason_template: str = Field(description="Chinese, naming columns as {column}.")


class DeleteDatasetInput(CommandInput):
    """Delete a dataset: its rows and its key are destroyed (crypto-shredding)."""

    aims_at = "dataset_id"

    dataset_id: UUID
    reason: str


class DismissCandidateInput(CommandInput):
    """Dismiss a candidate clue (排除) after triage, with the reason."""

    aims_at = "candidate_id"

    candidate_id: UUID
    reason: str
    expected_version: int | None = Field(None, description=CANDIDATE_VERSION)


class PromoteCandidateInput(CommandInput):
    """Promote a candidate clue to a clue (source DATA_COMPARISON) in the caller's office,
    about the candidate's unit unless another is given; the clue's summary names the run."""

    aims_at = "candidate_id"

    candidate_id: UUID
    category: str = Field(description="The clue's category (the office's checklist aspect).")
    unit_id: UUID | None = Field(None, description="Required when the candidate names none.")
    round_id: UUID | None = None
    expected_version: int | None = Field(None, description=CANDIDATE_VERSION)


class ViewCandidateEvidenceInput(CommandInput):
    """Show a candidate's masked evidence; the viewing is recorded (EvidenceViewed) first."""

    aims_at = "candidate_id"

    candidate_id: UUID


class StartComparisonInput(RunComparisonInput):
    """Start a comparison as a job and answer at once with the job's id: its progress is in
    `comparisonJobs`, `cancelComparison` stops it; when done its run is recorded."""


class CancelComparisonInput(CommandInput):
    """Stop a running comparison job: the engine stops at its next check; nothing is recorded."""

    aims_at = "job_id"

    job_id: UUID
