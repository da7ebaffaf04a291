"""How fast the clue ledger reads: a 50-row page (the first, then the one after its cursor)
and its total count, for 12 cases of filter, sort and role, read as a request does (a new
`ReadSession`: the caller's scope, then one read under row-level security), over a city's
decade of clues.

    python -m benchmarks.clue_ledger [--clues 330000] [--rounds 20]

The read models are filled with SQL: one city, 12 counties of 500 units each, `--clues` clues
over ten years — a tenth registered by the city about a county's unit, half transferred (some
to another county), a third concluded — then analysed. Prints the p95 and median per case."""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from psycopg import sql

from benchmarks.row_security import CITY, COUNTIES, OFFICES_AND_UNITS, UNITS_PER_COUNTY
from benchmarks.servers import fresh_runtime
from projections import clue_ledger, clue_ledger_read, history
from projections.clue_ledger_read import LedgerFilter
from services.authorization import CITY_OFFICE, COUNTY_TEAM, Acting
from services.reads import ReadSession
from services.runtime import Runtime

TODAY = date(2026, 11, 22)
CATEGORIES = [
    "三资管理",
    "工程项目",
    "作风问题",
    "惠民资金",
    "选人用人",
    "换届纪律",
    "其他",
    "扶贫",
]

FILL = (
    OFFICES_AND_UNITS
    + """

INSERT INTO rm_clues (clue_id, tenant_id, unit_id, source, category, summary, persons_concerned,
                      amount_involved, status, registered_at, registered_by, version, position,
                      receiving_tenant_id, transferred_on, due_date, funds_recovered)
SELECT md5('c' || n)::uuid,
       CASE WHEN n %% 10 = 0 THEN %(city)s::uuid ELSE (%(counties)s::uuid[])[1 + n %% 12] END,
       md5('u' || (1 + n %% 12) || '-' || (1 + (n / 12) %% %(units)s))::uuid,
       'FIELD_VISIT', (%(categories)s::text[])[1 + (n / 12) %% 8], '未入账 ' || n, '[]'::jsonb,
       CASE WHEN n %% 7 = 0 THEN NULL ELSE (n %% 9973) * 100 END,
       (ARRAY['REGISTERED', 'TRIAGED', 'TRANSFERRED', 'TRANSFERRED', 'ACCEPTED', 'ACCEPTED',
              'CONCLUDED', 'CONCLUDED', 'CONCLUDED', 'REGISTERED'])[1 + (n / 7) %% 10],
       %(today)s::date - (n %% 3650), 'bench', 1, n,
       CASE WHEN (n / 7) %% 10 BETWEEN 2 AND 8
            THEN (%(counties)s::uuid[])[1 + (n + (n / 13) %% 2) %% 12] END,
       CASE WHEN (n / 7) %% 10 BETWEEN 2 AND 8 THEN %(today)s::date - (n %% 3650) + 10 END,
       CASE WHEN (n / 7) %% 10 BETWEEN 2 AND 8 THEN %(today)s::date - (n %% 3650) + 70 END,
       CASE WHEN (n / 7) %% 10 BETWEEN 6 AND 8 THEN (n %% 997) * 50 END
FROM generate_series(1, %(clues)s) AS n
"""
)


def fill(runtime: Runtime, clues: int) -> None:
    params = {
        "city": CITY,
        "counties": COUNTIES,
        "units": UNITS_PER_COUNTY,
        "clues": clues,
        "categories": CATEGORIES,
        "today": TODAY,
    }
    with runtime.reads.connection() as conn:
        with conn.transaction():
            with conn.cursor() as cur:
                history.mark(cur, 1)  # filled as if by the first event
            for statement in FILL.split(";\n"):
                conn.execute(statement, params)
            with conn.cursor() as cur:
                clue_ledger.recount(cur)
        conn.autocommit = True
        for table in ("rm_tenants", "rm_clue_units", "rm_clues", "rm_clue_counts"):
            conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))


@dataclass(frozen=True)
class Case:
    name: str
    role: str
    tenant: UUID
    which: LedgerFilter = field(default_factory=LedgerFilter)
    sort: str = "REGISTERED"
    descending: bool = False


UNIT = UUID(
    hex=hashlib.md5(b"u1-7", usedforsecurity=False).hexdigest()
)  # a unit of the first county
COUNTY = (COUNTY_TEAM, COUNTIES[0])
CITY_OF = (CITY_OFFICE, CITY)
CASES = [
    Case("none, registered, county", *COUNTY),
    Case("none, registered desc, city", *CITY_OF, descending=True),
    Case("status, due date, county", *COUNTY, LedgerFilter(status="TRANSFERRED"), "DUE_DATE"),
    Case(
        "status, funds desc, city",
        *CITY_OF,
        LedgerFilter(status="CONCLUDED"),
        "FUNDS_RECOVERED",
        True,
    ),
    Case(
        "category, amount desc, county",
        *COUNTY,
        LedgerFilter(category="工程项目"),
        "AMOUNT_INVOLVED",
        True,
    ),
    Case("category, registered, city", *CITY_OF, LedgerFilter(category="扶贫")),
    Case("unit, registered, county", *COUNTY, LedgerFilter(unit_id=UNIT)),
    Case("unit, due date, city", *CITY_OF, LedgerFilter(unit_id=UNIT), "DUE_DATE"),
    Case("overdue, due date, county", *COUNTY, LedgerFilter(overdue=True), "DUE_DATE"),
    Case("overdue, amount, city", *CITY_OF, LedgerFilter(overdue=True), "AMOUNT_INVOLVED"),
    Case("none, category, county", *COUNTY, sort="CATEGORY"),
    Case("none, status desc, city", *CITY_OF, sort="STATUS", descending=True),
]


def reader(runtime: Runtime, case: Case) -> Callable[[str | None], Any]:
    """One request's read of the page after `after`, as the GraphQL resolver does it."""

    def read(after: str | None) -> Any:
        session = ReadSession(runtime.reads, Acting(role=case.role, tenant_id=case.tenant), 60_000)
        with session.reading() as conn:
            which = LedgerFilter(
                **{**case.which.__dict__, "visible_tenants": session.scope.tenants}
            )
            return clue_ledger_read.page(
                conn,
                which=which,
                today=TODAY,
                first=50,
                after=after,
                sort=case.sort,
                descending=case.descending,
            )

    return read


def measure(runtime: Runtime, case: Case, rounds: int) -> tuple[float, float, int]:
    read = reader(runtime, case)
    times: list[float] = []
    total = 0
    for _ in range(rounds):
        after = None
        for _page in range(2):  # the first page, then the one after its last cursor
            started = time.perf_counter()
            page = read(after)
            times.append((time.perf_counter() - started) * 1000)
            total = page.total_count
            after = page.items[-1][0] if page.items else None
    p95 = statistics.quantiles(times, n=20)[-1]
    return p95, statistics.median(times), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clues", type=int, default=330_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with fresh_runtime() as runtime:
        started = time.perf_counter()
        fill(runtime, args.clues)
        print(f"filled {args.clues} clues in {time.perf_counter() - started:.1f} s")
        worst = 0.0
        for case in CASES:
            p95, median, total = measure(runtime, case, args.rounds)
            worst = max(worst, p95)
            print(f"{case.name:<32} p95 {p95:7.1f} ms  median {median:7.1f} ms  totalCount {total}")
        print(f"worst p95 {worst:.1f} ms")


if __name__ == "__main__":
    main()
