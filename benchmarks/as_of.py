"""Views as of a past recorded moment (`asOf`), read from the read models' history: the
`clueLedger` page of 50 over the 12 filter/sort/role cases, and the city office's
`statistics`, each asked as of the moment the log was half written, beside the same read now."""

from __future__ import annotations

from psycopg import sql

from benchmarks.city import City
from benchmarks.reads import LEDGER, Clients, Read, ledger_reads, timed
from benchmarks.results import Case, Target, percentile
from infrastructure.auth import Role
from infrastructure.recorded_at import table_of
from services.runtime import Runtime

LEDGER_AS_OF = LEDGER.replace("$descending: Boolean)", "$descending: Boolean, $asOf: DateTime)")
LEDGER_AS_OF = LEDGER_AS_OF.replace("first: 50)", "first: 50, asOf: $asOf)")
STATISTICS = """query($asOf: DateTime) { statistics(asOf: $asOf) {
  total { problemsFound tasksDue tasksVerified rectificationRate cluesTransferred cluesConcluded
          fundsRecovered }
  byCategory { category figures { problemsFound cluesTransferred } }
} }"""


def middle_moment(runtime: Runtime) -> str:
    """When the event halfway through the log was recorded."""
    schema, table = table_of(runtime.store)
    query = sql.SQL("SELECT recorded_at FROM {} WHERE notification_id >= %s ORDER BY 1 LIMIT 1")
    with runtime.reads.connection() as conn:
        row = conn.execute(
            query.format(sql.Identifier(schema, table)), (runtime.store.max_position() // 2,)
        ).fetchone()
    if row is None:
        raise RuntimeError("an empty log has no past to read")
    return str(row[0].isoformat())


def _as_of(read: Read, moment: str) -> Read:
    variables = {**read.variables, "asOf": moment}
    return Read(read.role, read.tenant_id, LEDGER_AS_OF, variables, "", {})


def _p95_case(
    name: str, reads: list[Read], now: list[Read], clients: Clients, rounds: int, bound: float
) -> Case:
    """p95 of `reads` against the same reads now (`now`), interleaved."""
    for read in [*reads, *now]:  # once each, unmeasured: connections, caches, plans
        clients.ask(read)
    past: list[float] = []
    present: list[float] = []
    for _ in range(rounds):
        for then, current in zip(reads, now, strict=True):
            past.append(timed(lambda r=then: clients.ask(r)))  # type: ignore[misc]
            present.append(timed(lambda r=current: clients.ask(r)))  # type: ignore[misc]
    return Case(
        name,
        percentile(past, 95),
        "ms",
        "the same read now, p95",
        percentile(present, 95),
        Target("value", bound, "lower"),
        detail={
            "variants": len(reads),
            "rounds": rounds,
            "p50_ms": percentile(past, 50),
            "baseline_p50_ms": percentile(present, 50),
        },
    )


def as_of_cases(city: City, runtime: Runtime, rounds: int, clients: Clients) -> list[Case]:
    moment = middle_moment(runtime)
    ledger = ledger_reads(city)
    office = city.world.city.id
    statistics: list[Read] = [Read(Role.CITY_OFFICE, office, STATISTICS, {"asOf": moment}, "", {})]
    statistics_now = [Read(Role.CITY_OFFICE, office, STATISTICS, {}, "", {})]
    cases = [
        _p95_case(
            "clueLedger(asOf) page of 50, p95 over 12 cases",
            [_as_of(read, moment) for read in ledger],
            ledger,
            clients,
            rounds,
            100,
        ),
        _p95_case(
            "statistics(asOf) of the city, p95",
            statistics,
            statistics_now,
            clients,
            rounds * 4,
            250,
        ),
    ]
    for case in cases:
        case.detail["as_of"] = moment
    return cases
