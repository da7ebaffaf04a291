"""What row-level security costs a read: the clue ledger's first page and its total count, and
ten years of figures (statistics), for a county team and for its city, read the old way (the
table owner with the query's own tenant filter only) and as XunCha reads now (`ReadSession`:
the reader role under the policies, with the same filter), interleaved so the machine's noise
falls on both alike.

    python -m benchmarks.row_security [--clues 500000] [--rounds 15]

The read models are filled with SQL: one city, 12 counties of 500 units each, `--clues` clues
registered over ten years, spread over the counties, and as many problems, tasks and
transferred clues in the statistics over 720 rounds (six a year in each county)."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import psycopg

from benchmarks.servers import fresh_runtime
from projections import clue_ledger, clue_ledger_read, directory, history
from projections import statistics as projection_statistics
from services.authorization import CITY_OFFICE, COUNTY_TEAM, Acting, Office, scope_of
from services.reads import ReadSession
from services.runtime import Runtime

CITY = UUID(int=1)
COUNTIES = [UUID(int=100 + i) for i in range(12)]
UNITS_PER_COUNTY = 500

# The city's offices and the ledger's unit owners: 12 counties of %(units)s units each.
OFFICES_AND_UNITS = """
INSERT INTO rm_tenants (tenant_id, code, name, level, parent_id, position)
SELECT t, 'T' || row_number() OVER (), 'office', 'COUNTY', %(city)s::uuid, 0
FROM unnest(%(counties)s::uuid[]) AS t
UNION ALL SELECT %(city)s::uuid, 'CITY', 'city', 'CITY', NULL, 0;

INSERT INTO rm_clue_units (unit_id, tenant_id)
SELECT md5('u' || c || '-' || u)::uuid, (%(counties)s::uuid[])[c]
FROM generate_series(1, 12) AS c, generate_series(1, %(units)s) AS u;
"""

FILL = (
    OFFICES_AND_UNITS
    + """

INSERT INTO rm_clues (clue_id, tenant_id, unit_id, source, category, summary, persons_concerned,
                      status, registered_at, registered_by, version, position)
SELECT md5('c' || n)::uuid, (%(counties)s::uuid[])[1 + n %% 12],
       md5('u' || (1 + n %% 12) || '-' || (1 + n %% %(units)s))::uuid,
       'FIELD_VISIT', '三资管理', '村集体收入未入账', '[]'::jsonb, 'REGISTERED',
       now() - make_interval(days => (n %% 3650)), 'bench', 1, n
FROM generate_series(1, %(clues)s) AS n;
INSERT INTO rm_stat_tenants (tenant_id, parent_id)
SELECT t, %(city)s::uuid FROM unnest(%(counties)s::uuid[]) AS t
UNION ALL SELECT %(city)s::uuid, NULL;

-- six rounds a year in each county for ten years, run by the county and the city
INSERT INTO rm_stat_rounds (round_id, offices)
SELECT md5('r' || r)::uuid, ARRAY[(%(counties)s::uuid[])[1 + r %% 12], %(city)s::uuid]
FROM generate_series(0, 719) AS r;

INSERT INTO rm_stat_problems (item_id, tenant_id, unit_owner_id, round_id, category, found_on)
SELECT md5('p' || n)::uuid, (%(counties)s::uuid[])[1 + n %% 12],
       (%(counties)s::uuid[])[1 + n %% 12], md5('r' || (n %% 720))::uuid,
       'cat' || (n %% 8), current_date - (n %% 3650)
FROM generate_series(1, %(clues)s) AS n;

INSERT INTO rm_stat_tasks (task_id, tenant_id, unit_owner_id, round_id, category, due_on,
                           verified_on)
SELECT md5('t' || n)::uuid, (%(counties)s::uuid[])[1 + n %% 12],
       (%(counties)s::uuid[])[1 + n %% 12], md5('r' || (n %% 720))::uuid,
       'cat' || (n %% 8), current_date - (n %% 3650),
       CASE WHEN n %% 3 = 0 THEN NULL ELSE current_date - (n %% 3650) + 30 END
FROM generate_series(1, %(clues)s) AS n;

INSERT INTO rm_stat_clues (clue_id, tenant_id, round_id, category, transferred_on,
                           concluded_on, persons_disciplined, funds_recovered)
SELECT md5('c' || n)::uuid, (%(counties)s::uuid[])[1 + n %% 12], md5('r' || (n %% 720))::uuid,
       'cat' || (n %% 8), current_date - (n %% 3650), current_date - (n %% 3650) + 60,
       n %% 3, (n %% 1000) * 100
FROM generate_series(1, %(clues)s) AS n;

ANALYZE rm_tenants;
ANALYZE rm_clue_units;
ANALYZE rm_clues;
ANALYZE rm_stat_tenants;
ANALYZE rm_stat_rounds;
ANALYZE rm_stat_problems;
ANALYZE rm_stat_tasks;
ANALYZE rm_stat_clues
"""
)


def fill(runtime: Runtime, clues: int) -> None:
    with runtime.reads.connection() as conn, conn.transaction():
        with conn.cursor() as cur:
            history.mark(cur, 1)  # filled as if by the first event
        params = {"city": CITY, "counties": COUNTIES, "units": UNITS_PER_COUNTY, "clues": clues}
        for statement in FILL.split(";\n"):
            if statement.strip():
                conn.execute(statement, params)
        with conn.cursor() as cur:
            clue_ledger.recount(cur)  # who may see each clue, and the ledger's counts
            cur.execute("ANALYZE rm_clues, rm_clue_counts")


Read = Callable[[psycopg.Connection[Any], Acting, frozenset[UUID] | None], object]


def ledger_page(
    conn: psycopg.Connection[Any], acting: Acting, tenants: frozenset[UUID] | None
) -> object:
    """The ledger's first page with its total count, filtered to `tenants`."""
    page = clue_ledger_read.page(
        conn,
        which=clue_ledger_read.LedgerFilter(visible_tenants=tenants),
        today=date(2026, 11, 22),
        first=50,
        after=None,
    )
    return page.total_count, [row.clue_id for _, row in page.items]


def ten_years_of_figures(
    conn: psycopg.Connection[Any], acting: Acting, tenants: frozenset[UUID] | None
) -> object:
    """The caller's office's figures over ten years (a city's include its counties')."""
    return projection_statistics.statistics(
        conn, start=date(2016, 11, 22), end=date(2026, 11, 22), tenant_id=acting.tenant_id
    ).total


def two_ways(runtime: Runtime, acting: Acting, read: Read) -> tuple[Callable[[], object], ...]:
    """`read` as the owner with the query's own filter only, and as XunCha reads now."""

    def as_owner() -> object:
        with runtime.reads.connection() as conn, conn.transaction():
            offices = [Office(t.tenant_id, t.parent_id) for t in directory.tenants(conn)]
            return read(conn, acting, scope_of(acting, offices).tenants)

    def as_reader() -> object:
        session = ReadSession(runtime.reads, acting, 60_000)
        with session.reading() as conn:
            return read(conn, acting, session.scope.tenants)

    return as_owner, as_reader


def measure(
    name: str, owner: Callable[[], object], reader: Callable[[], object], rounds: int
) -> None:
    if owner() != reader():
        raise SystemExit(f"{name}: the two reads disagree")
    times: dict[str, list[float]] = {"owner": [], "reader": []}
    for _ in range(rounds):
        for label, read in (("owner", owner), ("reader", reader)):
            started = time.perf_counter()
            read()
            times[label].append((time.perf_counter() - started) * 1000)
    o, r = statistics.median(times["owner"]), statistics.median(times["reader"])
    print(f"{name:<28} owner {o:8.1f} ms   reader (RLS) {r:8.1f} ms   ×{r / o:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clues", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with fresh_runtime() as runtime:
        started = time.perf_counter()
        fill(runtime, args.clues)
        print(f"filled {args.clues} clues in {time.perf_counter() - started:.1f} s")
        for label, role, tenant, read in (
            ("county team, ledger page", COUNTY_TEAM, COUNTIES[0], ledger_page),
            ("city office, ledger page", CITY_OFFICE, CITY, ledger_page),
            ("county team, 10 y figures", COUNTY_TEAM, COUNTIES[0], ten_years_of_figures),
            ("city office, 10 y figures", CITY_OFFICE, CITY, ten_years_of_figures),
        ):
            owner, reader = two_ways(runtime, Acting(role=role, tenant_id=tenant), read)
            measure(label, owner, reader, args.rounds)


if __name__ == "__main__":
    main()
