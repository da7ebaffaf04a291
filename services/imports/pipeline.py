"""The steps every bulk import from a spreadsheet takes (docs/IMPORT.md), whatever it
imports. Validation first: every row is read into a draft, collecting each row's problems,
and every change is built on the aggregates in memory by the domain's own verbs (so its
rules name bad rows too) before anything is saved. A file with any bad row is refused whole,
naming each bad row, column and reason. Saves go in batches (the event table is locked per
save), so a save that fails part-way (a concurrent change) leaves earlier batches stored;
importing the file again completes it.

What differs by kind of record (units.py, inspectors.py) is an `ImportJob`: the columns of
its template, how rows read into drafts, and how a draft changes its aggregate."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from uuid import UUID

from psycopg import Connection
from psycopg_pool import ConnectionPool

from domain.audited import AuditedAggregate
from domain.errors import ValidationFailed, XunChaError
from domain.tenants.tenant import Tenant
from infrastructure.store import EventStore
from services.imports.sheet import RowProblem, Sheet, read_sheet
from services.tenants import Acting, TenantService, require_admin_over

if TYPE_CHECKING:
    from services.runtime import Runtime

Progress = Callable[[int, int], None]  # (records saved so far, records to save)
Wait = Callable[[int, list[str]], None]  # wait until the named projections reach a position
Refuse = Callable[[str, str], None]  # (field, reason): a problem with the row being read
DEFAULT_BATCH = 300


class ImportRefused(ValidationFailed):
    """The file has bad rows; nothing was written. `problems` names each one."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(
            f"{len(problems)} problem(s) in the file; nothing was imported",
            field="file",
            problems=[p.as_dict() for p in problems],
        )
        self.problems = problems


@dataclass(frozen=True)
class Template:
    """The columns of a kind's file: field -> accepted headers, and the fields it must have."""

    headers: dict[str, tuple[str, ...]]
    required: tuple[str, ...]


@dataclass
class OfficeReport:
    """What an import did for office `tenant_id`; each kind adds its counts, then `position`
    (of the last event saved) and `seconds`, in the order it reports them."""

    tenant_id: UUID

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "tenant_id": str(self.tenant_id)}


class Report(Protocol):
    """What the pipeline fills in on a kind's report once the file is saved."""

    position: int
    seconds: float


class Draft(Protocol):
    @property
    def row(self) -> int:
        """The row of the file that names the record (first)."""
        ...


D = TypeVar("D", bound=Draft)
R = TypeVar("R", bound=Report)
R_co = TypeVar("R_co", bound=Report, covariant=True)


class ImportJob(Protocol[D, R_co]):
    """One import under way, of one kind of record."""

    @property
    def report(self) -> R_co: ...

    def drafts(self, sheet: Sheet, problems: list[RowProblem]) -> list[D]:
        """The records of `sheet` in building order; every bad row named in `problems`."""
        ...

    def build(self, draft: D) -> AuditedAggregate | None:
        """The aggregate `draft` changes, changed in memory; None when it already stands so.
        Raises the domain's error when a rule refuses the change."""
        ...

    def problem_of(self, row: int, error: XunChaError) -> RowProblem:
        """The cell of `row` a refusal by the domain is reported against."""
        ...


@dataclass(frozen=True)
class ImportPipeline:
    store: EventStore
    tenants: TenantService
    reads: ConnectionPool
    wait: Wait
    batch_size: int = DEFAULT_BATCH

    def office(self, acting: Acting, tenant_id: UUID, what: str) -> Tenant:
        """The office imported for, once `acting` is shown to administer it."""
        office = self.tenants.tenant(tenant_id)
        require_admin_over(acting, office, what)
        return office

    @contextmanager
    def directory(self) -> Iterator[Connection[Any]]:
        """A read connection, once the directory has caught up with the log."""
        self.wait(self.store.max_position(), ["directory"])
        with self.reads.connection() as conn:
            yield conn

    def run(
        self,
        begin: Callable[[], ImportJob[D, R]],
        template: Template,
        filename: str,
        data: bytes,
        progress: Progress | None,
    ) -> R:
        """Import the records in `data` by the job `begin` starts (after its checks); raises
        ImportRefused naming every bad row, and then nothing is written."""
        started = time.monotonic()
        job = begin()
        changed = self._changes(job, template, filename, data)
        job.report.position = self._save(changed, progress)
        job.report.seconds = round(time.monotonic() - started, 3)
        return job.report

    def _changes(
        self, job: ImportJob[D, R], template: Template, filename: str, data: bytes
    ) -> list[AuditedAggregate]:
        sheet, problems = read_sheet(filename, data, template.headers, template.required)
        if problems:  # without the columns the rows cannot be read
            raise ImportRefused(problems)
        drafts = job.drafts(sheet, problems)
        flagged = {p.row for p in problems}
        changed: list[AuditedAggregate] = []
        # Build every other row too (in memory only), so the domain's own rules report all
        # bad rows at once.
        for draft in drafts:
            if draft.row in flagged:
                continue
            try:
                aggregate = job.build(draft)
            except XunChaError as error:
                problems.append(job.problem_of(draft.row, error))
                continue
            if aggregate is not None:
                changed.append(aggregate)
        if problems:
            raise ImportRefused(sorted(problems, key=lambda p: (p.row, p.column)))
        return changed

    def _save(self, aggregates: list[AuditedAggregate], progress: Progress | None) -> int:
        position = self.store.max_position()
        total = len(aggregates)
        if progress:
            progress(0, total)
        for start in range(0, total, self.batch_size):
            batch = aggregates[start : start + self.batch_size]
            position = self.store.record(*batch)
            if progress:
                progress(start + len(batch), total)
        return position


def import_pipeline(runtime: Runtime, batch_size: int = DEFAULT_BATCH) -> ImportPipeline:
    """The import pipeline over a running runtime."""
    return ImportPipeline(
        runtime.store, runtime.tenants, runtime.reads, runtime.wait_for_projections, batch_size
    )
