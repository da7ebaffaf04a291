"""`xuncha audit verify` (`AuditTrail.verify`) beside a sequential read of the same rows in
the same order with one SHA-256 of each stored state: the least a verification must do.

    python -m benchmarks.audit [--profile jinan-like] [--years N] [--rounds 5] [--data-dir D]

runs this case alone on the profile's city (seed 1), simulated into an embedded PostgreSQL in
`D` (kept, so a second run reuses it) or into `--database-url`."""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from psycopg import sql

from benchmarks.city import City, bench_settings, database, simulated_city
from benchmarks.results import Case, Target
from services.audit import AuditTrail
from services.runtime import Runtime, running


def read_and_hash(runtime: Runtime, batch_size: int = 5000) -> tuple[int, float]:
    recorder: Any = runtime.store.recorder
    table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
    query = sql.SQL(
        "SELECT originator_id::text, originator_version, topic, state, notification_id "
        "FROM {} ORDER BY originator_id, originator_version"
    ).format(table)
    started, events = time.perf_counter(), 0
    with (
        runtime.reads.connection() as conn,
        conn.transaction(),
        conn.cursor(name="bench_sha256_scan") as cur,
    ):
        cur.itersize = batch_size
        cur.execute(query)
        while rows := cur.fetchmany(batch_size):
            for row in rows:
                hashlib.sha256(bytes(row[3])).hexdigest()
            events += len(rows)
    return events, time.perf_counter() - started


def audit_cases(city: City, runtime: Runtime, rounds: int) -> list[Case]:
    """Best of `rounds` of each, interleaved, so the machine's noise falls on both."""
    trail = AuditTrail(runtime.store, runtime.reads, runtime.settings)
    ours, theirs = 0.0, 0.0
    findings = 0
    for _ in range(rounds):
        report = trail.verify()
        findings = len(report.findings)
        ours = max(ours, report.events_per_second)
        events, seconds = read_and_hash(runtime)
        theirs = max(theirs, events / seconds)
    return [
        Case(
            "xuncha audit verify",
            ours,
            "events/s",
            "sequential read + SHA-256",
            theirs,
            Target("ratio", 0.5, "higher"),
            detail={"events": report.events, "findings": findings, "rounds": rounds},
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="jinan-like")
    parser.add_argument("--years", type=int, default=None, help="default: the profile's")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="xuncha-audit-bench-"))
    with database(args.database_url, folder) as url:
        city = simulated_city(bench_settings(url, folder), args.profile, args.years)
        with running(city.settings, feed=False) as runtime:
            (case,) = audit_cases(city, runtime, args.rounds)
    print(json.dumps(case.as_json(), indent=2))


if __name__ == "__main__":
    main()
