"""Bulk import of an office's units from a spreadsheet (docs/IMPORT.md).

Validation first: every row is checked, and every change is built on the aggregates in
memory by the domain's own verbs, before anything is saved. A file with any bad row is
refused whole, naming each bad row, column and reason. A good file is compared with the
units as they stand: new units are registered and existing ones get only the differences
(`Unit.Renamed`, `Unit.Retyped`, `Unit.Moved`, `Unit.Reclassified`), so importing the same
file twice changes nothing. Saves go in batches (the event table is locked per save), so a
save that fails part-way (a concurrent change) leaves earlier batches stored; importing the
file again completes it."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from domain.errors import RuleViolation, ValidationFailed, XunChaError
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit, UnitType
from infrastructure.store import EventStore
from projections import directory
from services.clock import today_in_china
from services.configuration import ConfigurationService
from services.imports.sheet import LABELS, RowProblem, SheetRow, read_sheet
from services.tenants import Acting, TenantService, require_admin_over

if TYPE_CHECKING:
    from services.runtime import Runtime

Progress = Callable[[int, int], None]  # (units saved so far, units to save)
Wait = Callable[[int, list[str]], None]  # wait until the named projections reach a position

TYPE_NAMES: dict[str, UnitType] = {
    "村": UnitType.VILLAGE,
    "行政村": UnitType.VILLAGE,
    "社区": UnitType.COMMUNITY,
    "居委会": UnitType.COMMUNITY,
    "乡镇": UnitType.TOWNSHIP,
    "乡": UnitType.TOWNSHIP,
    "镇": UnitType.TOWNSHIP,
    "街道": UnitType.TOWNSHIP,
    "部门": UnitType.DEPARTMENT,
    "机关": UnitType.DEPARTMENT,
    "企业": UnitType.ENTERPRISE,
    "国企": UnitType.ENTERPRISE,
    "学校": UnitType.SCHOOL,
    "其他": UnitType.OTHER,
    **{t.value.casefold(): t for t in UnitType},
}
_CLASS_SEPARATORS = re.compile(r"[;,；，、|/\s]+")
_RULE_COLUMNS = {
    "UNIT_PARENT_TYPE": "township",
    "UNIT_PARENT_TENANT": "township",
    "UNIT_PARENT_SELF": "township",
    "UNIT_CLASSES_UNCHANGED": "classes",
}
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


@dataclass
class ImportReport:
    tenant_id: UUID
    rows: int = 0
    created: int = 0
    renamed: int = 0
    retyped: int = 0
    moved: int = 0
    reclassified: int = 0
    unchanged: int = 0
    position: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "tenant_id": str(self.tenant_id)}


@dataclass(frozen=True)
class _Row:
    number: int
    code: str
    name: str
    unit_type: UnitType
    township: str | None  # None: the file has no township column
    tags: list[str] | None  # None: the file has no classes column


@dataclass
class _Plan:
    """The import being built: aggregates changed in memory, in saving order."""

    owner: Tenant
    current: dict[str, directory.UnitRow]
    report: ImportReport
    changed: dict[UUID, Unit] = field(default_factory=dict)
    by_code: dict[str, Unit] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.code_of = {row.unit_id: code for code, row in self.current.items()}


class UnitImportService:
    def __init__(
        self,
        store: EventStore,
        tenants: TenantService,
        configuration: ConfigurationService,
        reads: ConnectionPool,
        wait: Wait,
        *,
        batch_size: int = DEFAULT_BATCH,
    ) -> None:
        self.store = store
        self.tenants = tenants
        self.configuration = configuration
        self.reads = reads
        self.wait = wait
        self.batch_size = batch_size

    def import_units(
        self,
        *,
        acting: Acting,
        tenant_id: UUID,
        filename: str,
        data: bytes,
        effective_from: date | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import the units in `data` for office `tenant_id`; classes in the file take effect
        on `effective_from` (today by default). Raises ImportRefused naming every bad row."""
        started = time.monotonic()
        owner = self.tenants.tenant(tenant_id)
        require_admin_over(acting, owner, "import its units")
        if owner.merged_into is not None:
            raise RuleViolation("TENANT_MERGED", f"{owner.code} has merged; it owns no units")
        effective = effective_from or today_in_china()
        sheet, problems = read_sheet(filename, data)
        if problems:  # without the columns the rows cannot be read
            raise ImportRefused(problems)
        rows = self._parse(sheet.rows, sheet.fields, tenant_id, effective, problems)
        plan = _Plan(owner, self._current_units(tenant_id), ImportReport(tenant_id))
        plan.problems.extend(problems)
        plan.report.rows = len(sheet.rows)
        self._check_townships(rows, plan)
        flagged = {p.row for p in plan.problems}
        # Build every other row too (in memory only), so the domain's own rules report all
        # bad rows at once.
        for row in sorted(rows, key=lambda r: r.unit_type is not UnitType.TOWNSHIP):
            if row.number in flagged:
                continue
            try:
                self._apply(row, plan, effective)
            except XunChaError as error:
                plan.problems.append(_problem_of(row.number, error))
        if plan.problems:
            raise ImportRefused(sorted(plan.problems, key=lambda p: (p.row, p.column)))
        plan.report.position = self._save(list(plan.changed.values()), progress)
        plan.report.seconds = round(time.monotonic() - started, 3)
        return plan.report

    # -- reading and checking rows ----------------------------------------------------------

    def _parse(
        self,
        sheet_rows: list[SheetRow],
        fields: frozenset[str],
        tenant_id: UUID,
        effective: date,
        problems: list[RowProblem],
    ) -> list[_Row]:
        classes = self.configuration.configuration(tenant_id).unit_classes_on(effective)
        class_codes = {c.code: c.code for c in classes} | {c.name: c.code for c in classes}
        seen: dict[str, int] = {}
        rows: list[_Row] = []
        for sheet_row in sheet_rows:
            values, number = sheet_row.values, sheet_row.number
            bad = len(problems)

            def refuse(column: str, reason: str, number: int = number) -> None:
                problems.append(RowProblem(number, LABELS[column], reason))

            code, name, kind = values.get("code", ""), values.get("name", ""), values.get("type")
            if not code:
                refuse("code", "empty")
            elif len(code) > 64:
                refuse("code", f"{len(code)} characters; at most 64")
            elif code in seen:
                refuse("code", f"{code} is also on row {seen[code]}")
            else:
                seen[code] = number
            if not name:
                refuse("name", "empty")
            unit_type = TYPE_NAMES.get((kind or "").casefold())
            if unit_type is None:
                refuse(
                    "type", f"{kind!r} is not a unit type (村/社区/乡镇/街道/部门/企业/学校/其他)"
                )
            tags: list[str] | None = None
            if "classes" in fields:
                tags = []
                for tag in filter(None, _CLASS_SEPARATORS.split(values.get("classes", ""))):
                    if tag not in class_codes:
                        known = "、".join(f"{c.code}({c.name})" for c in classes) or "none"
                        refuse("classes", f"unknown class {tag}; defined on {effective}: {known}")
                    elif class_codes[tag] not in tags:
                        tags.append(class_codes[tag])
            township = values.get("township") if "township" in fields else None
            if len(problems) == bad and unit_type is not None:
                rows.append(_Row(number, code, name, unit_type, township, tags))
        return rows

    def _current_units(self, tenant_id: UUID) -> dict[str, directory.UnitRow]:
        """The office's units as they stand, once the directory has caught up with the log."""
        self.wait(self.store.max_position(), ["directory"])
        with self.reads.connection() as conn:
            return {row.code: row for row in directory.units_of(conn, tenant_id)}

    def _check_townships(self, rows: list[_Row], plan: _Plan) -> None:
        in_file = {row.code: row.unit_type for row in rows}
        for row in rows:
            code = row.township
            if not code:
                continue
            kind = in_file.get(code)
            if kind is None and code in plan.current:
                kind = UnitType(plan.current[code].unit_type)
            reason = None
            if code == row.code:
                reason = "a unit cannot be its own township"
            elif kind is None:
                reason = f"no township with code {code} in the file or in {plan.owner.code}"
            elif kind is not UnitType.TOWNSHIP:
                reason = f"{code} is a {kind}, not a TOWNSHIP"
            if reason:
                plan.problems.append(RowProblem(row.number, LABELS["township"], reason))

    # -- building the changes in memory -----------------------------------------------------

    def _unit(self, code: str, plan: _Plan) -> Unit:
        """The unit of `code` as changed so far in this import (loaded once)."""
        if code not in plan.by_code:
            if code not in plan.current:  # its own row was refused; that row says why
                raise ValidationFailed(f"township {code} could not be imported", field="township")
            plan.by_code[code] = self.tenants.unit(plan.current[code].unit_id)
        return plan.by_code[code]

    def _apply(self, row: _Row, plan: _Plan, effective: date) -> None:
        parent = self._unit(row.township, plan) if row.township else None
        existing = plan.current.get(row.code)
        report = plan.report
        if existing is None:
            unit = Unit.register(
                owner=plan.owner,
                code=row.code,
                name=row.name,
                unit_type=row.unit_type,
                parent=parent,
                tags=row.tags or [],
            )
            plan.by_code[row.code] = plan.changed[unit.id] = unit
            report.created += 1
            return
        tags_differ = row.tags is not None and set(row.tags) != set(existing.class_tags)
        new_parent = (parent.id if parent else None) if row.township is not None else None
        moves = row.township is not None and new_parent != existing.parent_id
        differs = (
            row.name != existing.name,
            row.unit_type.value != existing.unit_type,
            moves,
            tags_differ,
        )
        if not any(differs):
            report.unchanged += 1
            return
        unit = self._unit(row.code, plan)
        reason = "imported"
        if differs[0]:
            unit.rename(row.name, reason=reason)
            report.renamed += 1
        target = parent if moves else self._current_parent(unit, plan)
        if differs[1]:
            unit.retype(row.unit_type, parent=target, reason=reason)
            report.retyped += 1
        if moves:
            unit.move(parent, reason=reason)
            report.moved += 1
        if tags_differ and row.tags is not None:
            unit.reclassify(row.tags, effective_from=effective, reason=reason)
            report.reclassified += 1
        plan.changed[unit.id] = unit

    def _current_parent(self, unit: Unit, plan: _Plan) -> Unit | None:
        if unit.parent_id is None:
            return None
        code = plan.code_of.get(unit.parent_id)
        return self._unit(code, plan) if code else self.tenants.unit(unit.parent_id)

    # -- saving -----------------------------------------------------------------------------

    def _save(self, units: list[Unit], progress: Progress | None) -> int:
        position = self.store.max_position()
        total = len(units)
        if progress:
            progress(0, total)
        for start in range(0, total, self.batch_size):
            batch = units[start : start + self.batch_size]
            position = self.store.record(*batch)
            if progress:
                progress(start + len(batch), total)
        return position


def _problem_of(row: int, error: XunChaError) -> RowProblem:
    field_name = str(error.details.get("field", ""))
    column = {"code": "code", "name": "name", "classTags": "classes", "township": "township"}.get(
        field_name
    )
    if column is None:
        column = _RULE_COLUMNS.get(str(error.details.get("rule", "")), "type")
    return RowProblem(row, LABELS[column], error.message)


def unit_imports(runtime: Runtime, *, batch_size: int = DEFAULT_BATCH) -> UnitImportService:
    """The import service over a running runtime."""
    return UnitImportService(
        runtime.store,
        runtime.tenants,
        runtime.configuration,
        runtime.reads,
        runtime.wait_for_projections,
        batch_size=batch_size,
    )
