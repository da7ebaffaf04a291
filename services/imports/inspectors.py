"""Bulk import of an office's inspectors (巡察干部) from a spreadsheet (docs/IMPORT.md).

One row per inspector, with further rows for more postings and relations: a row whose 工号
and 姓名 are empty (or repeat the inspector's) continues the inspector above, which is also
how a sheet with merged 工号/姓名 cells reads. Imported by the import pipeline
(services/imports/pipeline.py), as units are: every row is checked and every change built on
the aggregates in memory before anything is saved; a file with any bad row is refused whole.
An inspector's id follows from the home office and the staff number, so importing the same
file again changes nothing and a changed file records only the differences
(`Inspector.Renamed`, `PostingAdded`, `PostingEnded`, `PostingRemoved`, `RelationDeclared`,
`RelationWithdrawn`)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from domain.errors import XunChaError
from domain.inspectors.inspector import Inspector, Kinship, Posting, Relation, inspector_id_for
from domain.tenants.tenant import Tenant
from projections import directory
from services.imports.pipeline import (
    DEFAULT_BATCH,
    ImportPipeline,
    OfficeReport,
    Progress,
    Refuse,
    Template,
    import_pipeline,
)
from services.imports.sheet import RowProblem, Sheet, SheetRow
from services.tenants import Acting

if TYPE_CHECKING:
    from services.runtime import Runtime

# field -> accepted headers (the first is the template's Chinese header, used in reports).
HEADERS: dict[str, tuple[str, ...]] = {
    "staff_number": ("工号", "人员编号", "职工号", "staff_number", "staff_no"),
    "name": ("姓名", "name"),
    "posting_unit": ("任职单位代码", "任职单位", "posting_unit", "posting_unit_code"),
    "posting_from": ("任职起始日期", "任职起始", "任职开始", "posting_from"),
    "posting_to": ("任职截止日期", "任职截止", "任职结束", "posting_to"),
    "kinship": ("亲属关系", "关系类型", "kinship", "relation"),
    "relative": ("亲属姓名", "relative", "relative_name"),
    "relative_position": ("亲属职务", "relative_position"),
    "relative_unit": ("亲属所在单位代码", "亲属单位代码", "relative_unit", "relative_unit_code"),
}
REQUIRED = ("staff_number", "name")
LABELS = {name: headers[0] for name, headers in HEADERS.items()}
TEMPLATE = Template(HEADERS, REQUIRED)
POSTING_FIELDS = ("posting_unit", "posting_from", "posting_to")
RELATION_FIELDS = ("kinship", "relative", "relative_position", "relative_unit")
DEFAULT_RELATIVE_POSITION = "领导班子成员"  # the relative is by definition in the leadership

KINSHIP_NAMES: dict[str, Kinship] = {
    **dict.fromkeys(("夫妻", "配偶", "夫妻关系", "丈夫", "妻子"), Kinship.SPOUSE),
    **dict.fromkeys(
        ("直系血亲", "父母", "父亲", "母亲", "子女", "儿子", "女儿", "祖父母", "孙子女"),
        Kinship.LINEAL,
    ),
    **dict.fromkeys(
        ("旁系血亲", "三代以内旁系血亲", "兄弟姐妹", "兄弟", "姐妹", "叔伯", "舅舅", "姑姨"),
        Kinship.COLLATERAL,
    ),
    **dict.fromkeys(("近姻亲", "姻亲", "岳父母", "公婆", "儿媳", "女婿"), Kinship.IN_LAW),
    **{k.value.casefold(): k for k in Kinship},
}
_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_FIELD_COLUMNS = {"name": "name", "staffNumber": "staff_number", "postings": "posting_from"}
_EVENT_COUNTS = {
    "Renamed": "renamed",
    "PostingAdded": "postings_added",
    "PostingEnded": "postings_ended",
    "PostingRemoved": "postings_removed",
    "RelationDeclared": "relations_declared",
    "RelationWithdrawn": "relations_withdrawn",
}


@dataclass
class InspectorImportReport(OfficeReport):
    rows: int = 0
    inspectors: int = 0
    created: int = 0
    renamed: int = 0
    postings_added: int = 0
    postings_ended: int = 0
    postings_removed: int = 0
    relations_declared: int = 0
    relations_withdrawn: int = 0
    unchanged: int = 0
    position: int = 0
    seconds: float = 0.0


@dataclass
class _Record:
    """One inspector as the file states them; `row` is the row that names them first."""

    row: int
    staff_number: str
    name: str
    postings: list[Posting] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


def parse_date(text: str) -> date:
    """ISO dates, and 2021.3.1, 2021/03/01 or 2021年3月1日 as clerks type them."""
    match = _DATE.match(text.strip())
    if match is None:
        raise ValueError(text)
    year, month, day = (int(g) for g in match.groups())
    return date(year, month, day)


class InspectorImportService:
    def __init__(self, pipeline: ImportPipeline) -> None:
        self.pipeline = pipeline

    def import_inspectors(
        self,
        *,
        acting: Acting,
        tenant_id: UUID,
        filename: str,
        data: bytes,
        progress: Progress | None = None,
    ) -> InspectorImportReport:
        """Import the inspectors in `data` whose home office is `tenant_id`. Raises
        ImportRefused naming every bad row; then nothing is written."""

        def begin() -> _InspectorImport:
            home = self.pipeline.office(acting, tenant_id, "import its inspectors")
            return _InspectorImport(self.pipeline, home)

        return self.pipeline.run(begin, TEMPLATE, filename, data, progress)


@dataclass
class _InspectorImport:
    """One import of inspectors under way, for their home office."""

    pipeline: ImportPipeline
    home: Tenant
    # a file without posting (relation) columns leaves the inspectors' as they are
    has_postings: bool = False
    has_relations: bool = False
    titles: dict[str, str] = field(default_factory=dict)  # the file's own headers
    report: InspectorImportReport = field(init=False)

    def __post_init__(self) -> None:
        self.report = InspectorImportReport(self.home.id)

    # -- reading rows -------------------------------------------------------------------------

    def drafts(self, sheet: Sheet, problems: list[RowProblem]) -> list[_Record]:
        self.report.rows = len(sheet.rows)
        self.titles = sheet.titles
        self.has_postings, self.has_relations = (
            "posting_unit" in sheet.fields,
            "kinship" in sheet.fields,
        )
        records = self._parse(sheet.rows, self._unit_codes(), problems)
        self.report.inspectors = len(records)
        return records

    def _unit_codes(self) -> dict[str, list[UUID]]:
        """Unit code -> units, over the home office, its city and the city's other offices
        (cadres are posted across a city); a code two offices use is ambiguous."""
        home = self.home
        city = home.parent_id or home.id
        codes: dict[str, list[UUID]] = {}
        with self.pipeline.directory() as conn:
            scope = [
                t.tenant_id
                for t in directory.tenants(conn)
                if t.tenant_id in (home.id, city) or t.parent_id == city
            ]
            for tenant_id in scope:
                for unit in directory.units_of(conn, tenant_id):
                    codes.setdefault(unit.code, []).append(unit.unit_id)
        return codes

    def _parse(
        self, sheet_rows: list[SheetRow], units: dict[str, list[UUID]], problems: list[RowProblem]
    ) -> list[_Record]:
        records: dict[str, _Record] = {}
        current: _Record | None = None
        for sheet_row in sheet_rows:
            values, number = sheet_row.values, sheet_row.number

            def refuse(column: str, reason: str, number: int = number) -> None:
                problems.append(RowProblem(number, self._label(column), reason))

            staff_number, name = values.get("staff_number", ""), values.get("name", "")
            if staff_number:
                if len(staff_number) > 64:
                    refuse("staff_number", f"{len(staff_number)} characters; at most 64")
                    current = None
                    continue
                current = records.get(staff_number)
                if current is None:
                    if not name:
                        refuse("name", "empty")
                    current = records[staff_number] = _Record(number, staff_number, name)
                elif name and name != current.name:
                    refuse("name", f"{name} differs from {current.name} on row {current.row}")
            elif name:
                refuse("staff_number", "empty")
                current = None
                continue
            elif current is None:
                refuse("staff_number", "empty, and no inspector above this row to continue")
                continue
            self._posting(values, units, current, refuse)
            self._relation(values, units, current, refuse)
        return list(records.values())

    @staticmethod
    def _unit(code: str, units: dict[str, list[UUID]]) -> UUID | str:
        """The unit of `code`, or why there is none."""
        found = units.get(code, [])
        if len(found) == 1:
            return found[0]
        if not found:
            return f"no unit with code {code} in the office, its city or the city's offices"
        return f"{len(found)} units have code {code}; it is ambiguous"

    def _posting(
        self, values: dict[str, str], units: dict[str, list[UUID]], record: _Record, refuse: Refuse
    ) -> None:
        if not any(values.get(f) for f in POSTING_FIELDS):
            return
        unit = (
            self._unit(values.get("posting_unit", ""), units) if values.get("posting_unit") else ""
        )
        if not isinstance(unit, UUID):
            refuse("posting_unit", unit or "empty, but the row has posting dates")
        dates: list[date | None] = []
        for column, required in (("posting_from", True), ("posting_to", False)):
            text = values.get(column, "")
            try:
                dates.append(parse_date(text) if text else None)
            except ValueError:
                refuse(column, f"{text!r} is not a date (YYYY-MM-DD)")
                return
            if required and not text:
                refuse(column, "empty")
                return
        start, end = dates
        if not isinstance(unit, UUID) or start is None:
            return
        if end is not None and end < start:
            refuse("posting_to", f"{end} is before the posting starts on {start}")
            return
        if any((p.unit_id, p.start) == (unit, start) for p in record.postings):
            refuse("posting_from", f"the same posting is already listed for {record.name}")
            return
        record.postings.append(Posting(unit, start, end))

    def _relation(
        self, values: dict[str, str], units: dict[str, list[UUID]], record: _Record, refuse: Refuse
    ) -> None:
        if not any(values.get(f) for f in RELATION_FIELDS):
            return
        text = values.get("kinship", "")
        kinship = KINSHIP_NAMES.get(text.casefold())
        if kinship is None:
            refuse("kinship", f"{text!r} is not a relation (夫妻/直系血亲/旁系血亲/近姻亲)")
        person = values.get("relative", "")
        if not person:
            refuse("relative", "empty")
        code = values.get("relative_unit", "")
        unit = self._unit(code, units) if code else "empty"
        if not isinstance(unit, UUID):
            refuse("relative_unit", unit)
        if kinship is None or not person or not isinstance(unit, UUID):
            return
        position = values.get("relative_position") or DEFAULT_RELATIVE_POSITION
        relation = Relation(kinship, person, position, unit)
        if any(r.key == relation.key for r in record.relations):
            refuse("relative", f"the same relation is already listed for {record.name}")
            return
        record.relations.append(relation)

    # -- building the changes in memory -------------------------------------------------------

    def build(self, record: _Record) -> Inspector | None:
        store, report = self.pipeline.store, self.report
        inspector_id = inspector_id_for(self.home.id, record.staff_number)
        if not store.exists(inspector_id):
            report.created += 1
            return Inspector.register(
                home=self.home,
                name=record.name,
                postings=record.postings,
                relations=record.relations,
                staff_number=record.staff_number,
            )
        inspector = store.load(Inspector, inspector_id, what="inspector")
        added = inspector.bring_up_to_date(
            name=record.name,
            postings=record.postings if self.has_postings else list(inspector.postings),
            relations=record.relations if self.has_relations else list(inspector.relations),
            reason="imported",
        )
        if not added:
            report.unchanged += 1
            return None
        kinds = Counter(type(e).__name__ for e in inspector.pending_events)
        for kind, count in kinds.items():
            if kind in _EVENT_COUNTS:
                name = _EVENT_COUNTS[kind]
                setattr(report, name, getattr(report, name) + count)
        return inspector

    def problem_of(self, row: int, error: XunChaError) -> RowProblem:
        column = _FIELD_COLUMNS.get(str(error.details.get("field", "")), "staff_number")
        return RowProblem(row, self._label(column), error.message)

    def _label(self, column: str) -> str:
        return self.titles.get(column, LABELS[column])


def inspector_imports(
    runtime: Runtime, *, batch_size: int = DEFAULT_BATCH
) -> InspectorImportService:
    """The inspector import service over a running runtime."""
    return InspectorImportService(import_pipeline(runtime, batch_size))
