"""What row-level security costs a read: the clue ledger's first page and its total count, for
a county team and for its city, read the old way (the table owner with the query's own tenant
filter only) and as XunCha reads now (`ReadSession`: the reader role under the policies, with
the same filter), interleaved so the machine's noise falls on both alike.

    python -m benchmarks.row_security [--clues 500000] [--rounds 15]

The read models are filled with SQL: one city, 12 counties of 500 units each, and `--clues`
clues registered over ten years, spread over the counties."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from pydantic import SecretStr

from projections import clue_ledger_read, directory
from services.authorization import CITY_OFFICE, COUNTY_TEAM, Acting, Office, scope_of
from services.reads import ReadSession
from services.runtime import Runtime, running
from services.settings import Settings
from tests.support.servers import postgres_server

CITY = UUID(int=1)
COUNTIES = [UUID(int=100 + i) for i in range(12)]
UNITS_PER_COUNTY = 500

FILL = """
INSERT INTO rm_tenants (tenant_id, code, name, level, parent_id, position)
SELECT t, 'T' || row_number() OVER (), 'office', 'COUNTY', %(city)s::uuid, 0
FROM unnest(%(counties)s::uuid[]) AS t
UNION ALL SELECT %(city)s::uuid, 'CITY', 'city', 'CITY', NULL, 0;

INSERT INTO rm_clue_units (unit_id, tenant_id)
SELECT md5('u' || c || '-' || u)::uuid, (%(counties)s::uuid[])[c]
FROM generate_series(1, 12) AS c, generate_series(1, %(units)s) AS u;

INSERT INTO rm_clues (clue_id, tenant_id, unit_id, source, category, summary, persons_concerned,
                      status, registered_at, registered_by, version, position)
SELECT md5('c' || n)::uuid, (%(counties)s::uuid[])[1 + n %% 12],
       md5('u' || (1 + n %% 12) || '-' || (1 + n %% %(units)s))::uuid,
       'FIELD_VISIT', '三资管理', '村集体收入未入账', '[]'::jsonb, 'REGISTERED',
       now() - make_interval(days => (n %% 3650)), 'bench', 1, n
FROM generate_series(1, %(clues)s) AS n;
ANALYZE rm_tenants;
ANALYZE rm_clue_units;
ANALYZE rm_clues
"""


def fill(runtime: Runtime, clues: int) -> None:
    with runtime.reads.connection() as conn, conn.transaction():
        params = {"city": CITY, "counties": COUNTIES, "units": UNITS_PER_COUNTY, "clues": clues}
        for statement in FILL.split(";\n"):
            if statement.strip():
                conn.execute(statement, params)


def ledger_page(runtime: Runtime, acting: Acting, secured: bool) -> Callable[[], int]:
    """One read of the ledger's first page, as the owner (filter only) or as XunCha reads."""

    def read(conn: psycopg.Connection[Any], tenants: frozenset[UUID] | None) -> int:
        page = clue_ledger_read.page(
            conn,
            which=clue_ledger_read.LedgerFilter(visible_tenants=tenants),
            today=date(2026, 11, 22),
            first=50,
            after=None,
        )
        return page.total_count

    def as_owner() -> int:
        with runtime.reads.connection() as conn, conn.transaction():
            offices = [Office(t.tenant_id, t.parent_id) for t in directory.tenants(conn)]
            return read(conn, scope_of(acting, offices).tenants)

    def as_reader() -> int:
        session = ReadSession(runtime.reads, acting, 60_000)
        with session.reading() as conn:
            return read(conn, session.scope.tenants)

    return as_reader if secured else as_owner


def measure(name: str, owner: Callable[[], int], reader: Callable[[], int], rounds: int) -> None:
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
    with postgres_server() as admin_url, tempfile.TemporaryDirectory() as data:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS xuncha_bench WITH (FORCE)")
            conn.execute(sql.SQL("CREATE DATABASE xuncha_bench"))
        url = make_conninfo(admin_url, dbname="xuncha_bench")
        settings = Settings(database_url=url, data_dir=Path(data), audit_key=SecretStr("b" * 32))
        with running(settings, feed=False) as runtime:
            started = time.perf_counter()
            fill(runtime, args.clues)
            print(f"filled {args.clues} clues in {time.perf_counter() - started:.1f} s")
            for label, role, tenant in (
                ("county team, ledger page", COUNTY_TEAM, COUNTIES[0]),
                ("city office, ledger page", CITY_OFFICE, CITY),
            ):
                acting = Acting(role=role, tenant_id=tenant)
                measure(
                    label,
                    ledger_page(runtime, acting, secured=False),
                    ledger_page(runtime, acting, secured=True),
                    args.rounds,
                )


if __name__ == "__main__":
    main()
