"""Reports that reproduce (docs/TIME_MACHINE.md): `issue_report` computes a view at a log
position, as the caller reads it, and pins it as a `Report` event with the SHA-256 of its
canonical content; `report` computes it again at that position, says whether it still gives
the issued digest, and shows how the same view differs now ("since reported"), so a later
correction is a visible difference, never a silent change of what was issued.

Every argument that would otherwise default to the day of asking (the ledger's `today`, the
statistics' `to`) is pinned with the report, so recomputing never depends on when it runs."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg_pool import ConnectionPool

from domain.audit.report import Report, ReportKind, canonical_text, digest_of
from domain.dates import china_day
from domain.errors import NotFound
from infrastructure.store import EventStore
from projections import clue_ledger_read, statistics
from projections.clue_ledger import ClueLedger
from projections.statistics import StatisticsView
from services.authorization import Acting, require_office
from services.reads import ReadSession
from services.results import Written
from services.tenants import TenantService, known_office
from services.time_machine import position_at

Wait = Callable[[int, Sequence[str]], None]  # until the named views reached a position
MAX_LEDGER_ROWS = 500

VIEWS = {ReportKind.CLUE_LEDGER: ClueLedger.name, ReportKind.STATISTICS: StatisticsView.name}


@dataclass(frozen=True)
class Change:
    """One value of the view that differs now from what was issued (`path` as `a.b.0.c`)."""

    path: str
    reported: str | None
    now: str | None


@dataclass(frozen=True)
class ReportCheck:
    report_id: UUID
    tenant_id: UUID
    kind: ReportKind
    arguments: str
    position: int
    digest: str
    recomputed_digest: str
    current_position: int
    current_digest: str
    since_reported: list[Change]

    @property
    def matches(self) -> bool:
        return self.recomputed_digest == self.digest


class ReportService:
    def __init__(
        self,
        store: EventStore,
        tenants: TenantService,
        reads: ConnectionPool,
        timeout_ms: int,
        wait: Wait,
    ) -> None:
        self.store, self.tenants, self.reads = store, tenants, reads
        self.timeout_ms, self.wait = timeout_ms, wait

    def issue_report(
        self,
        *,
        acting: Acting,
        tenant_id: UUID,
        kind: ReportKind,
        period_from: date | None = None,
        period_to: date | None = None,
        today: date | None = None,
        as_of: datetime | None = None,
    ) -> Written:
        """Pin the view `kind` of office `tenant_id` (and the offices below it), as recorded at
        `as_of` (default: now)."""
        office = known_office(self.tenants, acting, tenant_id)
        require_office(acting, {office.id, office.parent_id}, "issue its reports")
        position = self.store.max_position() if as_of is None else position_at(self.store, as_of)
        day = china_day(as_of or datetime.now().astimezone())
        arguments: dict[str, Any] = {"tenantId": str(tenant_id)}
        if kind is ReportKind.STATISTICS:
            arguments |= {"from": period_from, "to": period_to or day}
        else:
            arguments |= {"today": today or day}
        pinned = canonical_text(arguments)
        content = self._content(acting, kind, pinned, position)
        report = Report.issue(
            tenant_id=tenant_id,
            kind=kind,
            arguments=pinned,
            position=position,
            digest=digest_of(content),
        )
        return Written(report.id, self.store.record(report))

    def report(self, acting: Acting, report_id: UUID) -> ReportCheck:
        """The report, recomputed at its position and compared with the same view now."""
        report = self.store.load(Report, report_id, what="report")
        try:
            known_office(self.tenants, acting, report.tenant_id)
            then = self._content(acting, report.kind, report.arguments, report.position)
        except NotFound:  # another office's report is answered as one that does not exist
            raise NotFound.no("report", report_id) from None
        head = self.store.max_position()
        now = self._content(acting, report.kind, report.arguments, head)
        return ReportCheck(
            report_id=report.id,
            tenant_id=report.tenant_id,
            kind=report.kind,
            arguments=report.arguments,
            position=report.position,
            digest=report.digest,
            recomputed_digest=digest_of(then),
            current_position=head,
            current_digest=digest_of(now),
            since_reported=differences(then, now),
        )

    def _content(self, acting: Acting, kind: ReportKind, arguments: str, position: int) -> Any:
        self.wait(position, [VIEWS[kind]])
        session = ReadSession(self.reads, acting, self.timeout_ms)
        given = _parsed(arguments)
        with session.reading(as_of=position) as conn:
            scope = session.scope
            office = UUID(given["tenantId"])
            scope.require_read(office, "tenant")
            if kind is ReportKind.STATISTICS:
                return _statistics(conn, office, given)
            return _ledger(conn, office, scope.tenants, given)


def _parsed(arguments: str) -> dict[str, Any]:
    given: dict[str, Any] = json.loads(arguments)
    return given


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _statistics(conn: Connection[Any], office: UUID, given: dict[str, Any]) -> Any:
    found = statistics.statistics(
        conn, start=_day(given.get("from")), end=date.fromisoformat(given["to"]), tenant_id=office
    )
    return {
        "total": asdict(found.total),
        "byCategory": {name: asdict(f) for name, f in found.by_category.items()},
        "byLevel": [
            {"level": level, "systemic": systemic, **asdict(f)}
            for (level, systemic), f in sorted(found.by_level.items())
        ],
    }


def _ledger(
    conn: Connection[Any], office: UUID, tenants: frozenset[UUID] | None, given: dict[str, Any]
) -> Any:
    page = clue_ledger_read.page(
        conn,
        which=clue_ledger_read.LedgerFilter(tenant_id=office, visible_tenants=tenants),
        today=date.fromisoformat(given["today"]),
        first=MAX_LEDGER_ROWS,
        after=None,
    )
    rows = [
        {k: v for k, v in asdict(row).items() if k != "informant_sealed"} for _, row in page.items
    ]
    return {"totalCount": page.total_count, "clues": rows}


def differences(reported: Any, now: Any, path: str = "") -> list[Change]:
    """Every value that differs between two contents, by its path."""
    if isinstance(reported, dict) and isinstance(now, dict):
        keys = sorted(set(reported) | set(now), key=str)
        return [c for k in keys for c in differences(reported.get(k), now.get(k), _join(path, k))]
    if isinstance(reported, list) and isinstance(now, list):
        longest = max(len(reported), len(now))
        pairs = [(_at(reported, i), _at(now, i)) for i in range(longest)]
        return [c for i, (a, b) in enumerate(pairs) for c in differences(a, b, _join(path, i))]
    if canonical_text(reported) == canonical_text(now):
        return []
    return [Change(path, _text(reported), _text(now))]


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _at(items: list[Any], index: int) -> Any:
    return items[index] if index < len(items) else None


def _text(value: Any) -> str | None:
    return None if value is None else canonical_text(value)
