"""Bulk import of an office's units from a spreadsheet (docs/IMPORT.md), by the import
pipeline (services/imports/pipeline.py): validated whole first, refused whole with every bad
row named, saved in batches. A good file is compared with the units as they stand: new units
are registered and existing ones get only the differences (`Unit.Renamed`, `Unit.Retyped`,
`Unit.Moved`, `Unit.Reclassified`), so importing the same file twice changes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from domain.errors import RuleViolation, ValidationFailed, XunChaError
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit, UnitType
from projections import directory
from services.clock import today_in_china
from services.configuration import ConfigurationService
from services.imports.pipeline import (
    DEFAULT_BATCH,
    ImportPipeline,
    OfficeReport,
    Progress,
    Refuse,
    Template,
    import_pipeline,
)
from services.imports.sheet import HEADERS, LABELS, REQUIRED, RowProblem, Sheet
from services.tenants import Acting

if TYPE_CHECKING:
    from services.runtime import Runtime

TEMPLATE = Template(HEADERS, REQUIRED)
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
_FIELD_COLUMNS = {"code": "code", "name": "name", "classTags": "classes", "township": "township"}
_RULE_COLUMNS = {
    "UNIT_PARENT_TYPE": "township",
    "UNIT_PARENT_TENANT": "township",
    "UNIT_PARENT_SELF": "township",
    "UNIT_CLASSES_UNCHANGED": "classes",
}


@dataclass
class ImportReport(OfficeReport):
    rows: int = 0
    created: int = 0
    renamed: int = 0
    retyped: int = 0
    moved: int = 0
    reclassified: int = 0
    unchanged: int = 0
    position: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class _Row:
    row: int
    code: str
    name: str
    unit_type: UnitType
    township: str | None  # None: the file has no township column; its code or its name
    tags: list[str] | None  # None: the file has no classes column


class UnitImportService:
    def __init__(self, pipeline: ImportPipeline, configuration: ConfigurationService) -> None:
        self.pipeline = pipeline
        self.configuration = configuration

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

        def begin() -> _UnitImport:
            owner = self.pipeline.office(acting, tenant_id, "import its units")
            if owner.merged_into is not None:
                raise RuleViolation("TENANT_MERGED", f"{owner.code} has merged; it owns no units")
            effective = effective_from or today_in_china()
            return _UnitImport(self.pipeline, self.configuration, owner, effective)

        return self.pipeline.run(begin, TEMPLATE, filename, data, progress)


@dataclass
class _UnitImport:
    """One import of units under way: the office's units as they stand, and those the import
    has loaded (and changed) in memory."""

    pipeline: ImportPipeline
    configuration: ConfigurationService
    owner: Tenant
    effective: date
    report: ImportReport = field(init=False)
    titles: dict[str, str] = field(default_factory=dict)  # the file's own headers
    untyped: list[_Row] = field(default_factory=list)  # rows of no known type, by township
    current: dict[str, directory.UnitRow] = field(default_factory=dict)
    code_of: dict[UUID, str] = field(default_factory=dict)  # unit id -> code, of `current`
    by_code: dict[str, Unit] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.report = ImportReport(self.owner.id)

    # -- reading and checking rows ----------------------------------------------------------

    def drafts(self, sheet: Sheet, problems: list[RowProblem]) -> list[_Row]:
        """The good rows, townships first (villages name them as parents); every problem of
        every row (a row with a bad type is still checked for its township)."""
        self.titles = sheet.titles
        with self.pipeline.directory() as conn:
            self.current = {row.code: row for row in directory.units_of(conn, self.owner.id)}
        self.code_of = {row.unit_id: code for code, row in self.current.items()}
        parsed = self._parse(sheet, problems)
        self.report.rows = len(sheet.rows)
        townships = _Townships(self.owner.code, self.current, parsed)
        problems.extend(townships.problems([*parsed, *self.untyped], self._label("township")))
        bad = {p.row for p in problems}
        rows = [townships.by_code(row) for row in parsed if row.row not in bad]
        return sorted(rows, key=lambda r: r.unit_type is not UnitType.TOWNSHIP)

    def _parse(self, sheet: Sheet, problems: list[RowProblem]) -> list[_Row]:
        tags_of = self._class_reader()
        seen: dict[str, int] = {}
        rows: list[_Row] = []
        for sheet_row in sheet.rows:
            values, number = sheet_row.values, sheet_row.number

            def refuse(column: str, reason: str, number: int = number) -> None:
                problems.append(RowProblem(number, self._label(column), reason))

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
            has_classes = "classes" in sheet.fields
            tags = tags_of(values.get("classes", ""), refuse) if has_classes else None
            township = values.get("township") if "township" in sheet.fields else None
            if unit_type is not None:
                rows.append(_Row(number, code, name, unit_type, township, tags))
            elif township:  # its township is checked all the same
                self.untyped.append(_Row(number, code, name, UnitType.OTHER, township, None))
        return rows

    def _class_reader(self) -> Callable[[str, Refuse], list[str]]:
        """Reads a classes cell into the codes of the classes defined on the day the file
        takes effect, by code or name; an unknown class is refused."""
        classes = self.configuration.configuration(self.owner.id).unit_classes_on(self.effective)
        class_codes = {c.code: c.code for c in classes} | {c.name: c.code for c in classes}
        known = "、".join(f"{c.code}({c.name})" for c in classes) or "none"

        def tags_of(text: str, refuse: Refuse) -> list[str]:
            tags: list[str] = []
            for tag in filter(None, _CLASS_SEPARATORS.split(text)):
                if tag not in class_codes:
                    refuse("classes", f"unknown class {tag}; defined on {self.effective}: {known}")
                elif class_codes[tag] not in tags:
                    tags.append(class_codes[tag])
            return tags

        return tags_of

    # -- building the changes in memory -----------------------------------------------------

    def _unit(self, code: str) -> Unit:
        """The unit of `code` as changed so far in this import (loaded once)."""
        if code not in self.by_code:
            if code not in self.current:  # its own row was refused; that row says why
                raise ValidationFailed(f"township {code} could not be imported", field="township")
            self.by_code[code] = self.pipeline.tenants.unit(self.current[code].unit_id)
        return self.by_code[code]

    def build(self, row: _Row) -> Unit | None:
        parent = self._unit(row.township) if row.township else None
        existing = self.current.get(row.code)
        if existing is None:
            unit = Unit.register(
                owner=self.owner,
                code=row.code,
                name=row.name,
                unit_type=row.unit_type,
                parent=parent,
                tags=row.tags or [],
            )
            self.by_code[row.code] = unit
            self.report.created += 1
            return unit
        return self._bring_up_to_date(row, existing, parent)

    def _bring_up_to_date(
        self, row: _Row, existing: directory.UnitRow, parent: Unit | None
    ) -> Unit | None:
        report = self.report
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
            return None
        unit = self._unit(row.code)
        reason = "imported"
        if differs[0]:
            unit.rename(row.name, reason=reason)
            report.renamed += 1
        target = parent if moves else self._current_parent(unit)
        if differs[1]:
            unit.retype(row.unit_type, parent=target, reason=reason)
            report.retyped += 1
        if moves:
            unit.move(parent, reason=reason)
            report.moved += 1
        if tags_differ and row.tags is not None:
            unit.reclassify(row.tags, effective_from=self.effective, reason=reason)
            report.reclassified += 1
        return unit

    def _current_parent(self, unit: Unit) -> Unit | None:
        if unit.parent_id is None:
            return None
        code = self.code_of.get(unit.parent_id)
        return self._unit(code) if code else self.pipeline.tenants.unit(unit.parent_id)

    def problem_of(self, row: int, error: XunChaError) -> RowProblem:
        field_name = str(error.details.get("field", ""))
        column = _FIELD_COLUMNS.get(field_name)
        if column is None:
            column = _RULE_COLUMNS.get(str(error.details.get("rule", "")), "type")
        return RowProblem(row, self._label(column), error.message)

    def _label(self, column: str) -> str:
        return self.titles.get(column, LABELS[column])


class _Townships:
    """The townships a file's rows may name, by code or by name: those of the file and those
    the office has."""

    def __init__(
        self, office: str, current: dict[str, directory.UnitRow], rows: list[_Row]
    ) -> None:
        self.office = office
        self.kinds = {code: UnitType(unit.unit_type) for code, unit in current.items()}
        self.kinds |= {row.code: row.unit_type for row in rows}
        named: dict[str, set[str]] = {}
        for code, unit in current.items():
            if unit.unit_type == UnitType.TOWNSHIP:
                named.setdefault(unit.name, set()).add(code)
        for row in rows:
            if row.unit_type is UnitType.TOWNSHIP:
                named.setdefault(row.name, set()).add(row.code)
        self.named = named

    def code_of(self, given: str) -> str | None:
        """The code `given` names: a unit's code, or the one township of that name."""
        if given in self.kinds:
            return given
        codes = self.named.get(given, set())
        return next(iter(codes)) if len(codes) == 1 else None

    def problems(self, rows: list[_Row], column: str) -> list[RowProblem]:
        found = []
        for row in rows:
            reason = self._problem(row) if row.township else None
            if reason:
                found.append(RowProblem(row.row, column, reason))
        return found

    def _problem(self, row: _Row) -> str | None:
        given = row.township or ""
        code = self.code_of(given)
        if code is None and len(self.named.get(given, ())) > 1:
            codes = "、".join(sorted(self.named[given]))
            return f"{given}: more than one township has this name ({codes}); give its code"
        if code is None:
            return f"no township with code or name {given} in the file or in {self.office}"
        if code == row.code:
            return "a unit cannot be its own township"
        if self.kinds[code] is not UnitType.TOWNSHIP:
            return f"{given} is a {self.kinds[code]}, not a TOWNSHIP"
        return None

    def by_code(self, row: _Row) -> _Row:
        """`row` with its township given by code."""
        if not row.township:
            return row
        return replace(row, township=self.code_of(row.township))


def unit_imports(runtime: Runtime, *, batch_size: int = DEFAULT_BATCH) -> UnitImportService:
    """The import service over a running runtime."""
    return UnitImportService(import_pipeline(runtime, batch_size), runtime.configuration)
