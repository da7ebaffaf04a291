"""Writes: batch ingest through `POST /api/v1/tenants/{id}/submissions` (best of 1–4
clients) beside eventsourcing's own saves (one event per save; 50 aggregates per save) and
beside what PostgreSQL takes of rows that size (COPY; batched INSERT); single-mutation
latency; and read-your-writes freshness (embedded feed)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from psycopg import sql

from benchmarks.city import City, wait_until_projected
from benchmarks.results import Case, Target, percentile
from infrastructure.auth import Role
from infrastructure.database import Database
from services.runtime import Runtime

BATCH = 50  # aggregates per batched save of the baseline
ITEMS = 200  # items per submission (a field day of a county team; the endpoint takes 500)


class Tally(Aggregate):
    """The baseline's trivial aggregate: one creation event with a text as big as a clue's."""

    def __init__(self, text: str) -> None:
        self.text = text


class Baseline(Application[uuid.UUID]):
    name = "benchbaseline"


@dataclass(frozen=True)
class Rate:
    events: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def _until(seconds: float, step: Callable[[], int]) -> Rate:
    """Run `step` (which returns the events it wrote) again and again for `seconds`."""
    started = time.perf_counter()
    deadline = started + seconds
    events, latencies = 0, []
    while (now := time.perf_counter()) < deadline:
        events += step()
        latencies.append((time.perf_counter() - now) * 1000)
    return Rate(events, time.perf_counter() - started, latencies)


# -- the baselines: eventsourcing's saves, and PostgreSQL's own limit ---------------------------


def mean_state_bytes(runtime: Runtime) -> int:
    recorder: Any = runtime.store.recorder
    table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
    with runtime.reads.connection() as conn:
        row = conn.execute(sql.SQL("SELECT avg(octet_length(state)) FROM {}").format(table))
        return int((row.fetchone() or (400,))[0] or 400)


def eventsourcing_env(url: str) -> dict[str, str]:
    """eventsourcing's settings for its PostgreSQL persistence on the database at `url`."""
    params = Database(url).connection_params()
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": params["dbname"],
        "POSTGRES_HOST": params["host"],
        "POSTGRES_PORT": params["port"],
        "POSTGRES_USER": params["user"],
        "POSTGRES_PASSWORD": params["password"],
        "CREATE_TABLE": "y",
    }


@contextmanager
def baseline_app(runtime: Runtime) -> Iterator[Baseline]:
    """A plain eventsourcing Application on the same PostgreSQL; its tables dropped after."""
    app = Baseline(env=eventsourcing_env(runtime.database.url))
    recorder: Any = app.recorder
    table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
    try:
        yield app
    finally:
        app.close()
        with psycopg.connect(runtime.database.url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))


def eventsourcing_saves(app: Baseline, text: str, per_save: int, seconds: float) -> Rate:
    def save() -> int:
        app.save(*(Tally(text) for _ in range(per_save)))
        return per_save

    return _until(seconds, save)


LIMIT_TABLE = """
CREATE TABLE IF NOT EXISTS bench_limit_rows (
    notification_id bigserial, originator_id uuid NOT NULL, originator_version integer NOT NULL,
    topic text NOT NULL, state bytea NOT NULL, PRIMARY KEY (originator_id, originator_version)
)"""


def postgres_limits(url: str, state_bytes: int, seconds: float) -> tuple[Rate, Rate]:
    """Rows shaped like stored events, as PostgreSQL takes them: COPY in blocks of 5,000,
    and INSERT of 50 rows per transaction, into a logged table like the event store's."""
    state = b"x" * state_bytes
    topic = "domain.clues.clue:Clue.Registered"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(LIMIT_TABLE)

        def copy() -> int:
            with (
                conn.transaction(),
                conn.cursor() as cur,
                cur.copy(
                    "COPY bench_limit_rows (originator_id, originator_version, topic, state) "
                    "FROM STDIN"
                ) as block,
            ):
                for _ in range(5000):
                    block.write_row((uuid.uuid4(), 1, topic, state))
            return 5000

        def insert() -> int:
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO bench_limit_rows (originator_id, originator_version, topic, "
                    "state) VALUES (%s, 1, %s, %s)",
                    [(uuid.uuid4(), topic, state) for _ in range(BATCH)],
                )
            return BATCH

        try:
            return _until(seconds, copy), _until(seconds, insert)
        finally:
            conn.execute("DROP TABLE IF EXISTS bench_limit_rows")


# -- XunCha ------------------------------------------------------------------------------------


def _registration(city: City, county: int, n: int) -> dict[str, Any]:
    office = city.world.counties[county % len(city.world.counties)]
    villages = city.world.villages_of(office)
    return {
        "unitId": str(villages[n % len(villages)].id),
        "source": "PETITION",
        "category": "三资管理",
        "summary": f"压测线索 {n}：村集体土地流转收入未入账",
        "amountInvolved": "120000",
    }


def in_threads(work: Callable[[int], None], count: int) -> None:
    """`work(0)` … `work(count - 1)` at once, each in its thread; the first failure raised."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        for done in [pool.submit(work, index) for index in range(count)]:
            done.result()


def head(api_url: str) -> int:
    # /readyz shows the log head to whoever may read /metrics: anyone, on the bench's server.
    return int(httpx.get(f"{api_url}/readyz", timeout=30).json()["position"])


def submissions(city: City, api_url: str, clients: int, seconds: float) -> Rate:
    """`clients` threads, each posting submissions of `ITEMS` registrations to its county."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []

    def client(index: int) -> None:
        office = city.world.counties[index % len(city.world.counties)]
        headers = city.headers(Role.COUNTY_TEAM, office.id)
        path = f"/api/v1/tenants/{office.id}/submissions"
        with httpx.Client(base_url=api_url, headers=headers, timeout=120) as http:
            while time.perf_counter() < deadline:
                items = [
                    {
                        "clientId": uuid.uuid4().hex,
                        "command": "registerClue",
                        "input": _registration(city, index, n),
                    }
                    for n in range(ITEMS)
                ]
                began = time.perf_counter()
                answer = http.post(path, json={"items": items})
                answer.raise_for_status()
                if answer.json()["rejected"]:
                    raise RuntimeError(f"ingest items were rejected: {answer.text[:500]}")
                latencies.append((time.perf_counter() - began) * 1000)

    before, started = head(api_url), time.perf_counter()
    in_threads(client, clients)
    elapsed = time.perf_counter() - started
    return Rate(head(api_url) - before, elapsed, latencies)


REGISTER = (
    """mutation($input: RegisterClueInput!) { registerClue(input: $input) { id position } }"""
)
FRESH_READ = """query($tenantId: ID, $minPosition: BigInt) {
  clueLedger(tenantId: $tenantId, first: 1, minPosition: $minPosition) { edges { node { id } } }
}"""


class GraphQLFailure(RuntimeError):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"GraphQL errors: {errors}")
        self.codes = {e.get("extensions", {}).get("code") for e in errors}


def graphql(http: httpx.Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    answer = http.post("/graphql", json={"query": query, "variables": variables})
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    if body.get("errors"):
        raise GraphQLFailure(body["errors"])
    return body["data"]


@dataclass(frozen=True)
class Freshness:
    mutation_ms: list[float]
    fresh_read_ms: list[float]  # from the mutation's answer until the read with its position
    plain_read_ms: list[float]  # the same read without minPosition, right after
    stale: list[int]  # mutations whose read answered STALE (time counted until that answer)


def freshness(city: City, api_url: str, mutations: int, *, stale_ok: bool = False) -> Freshness:
    """`stale_ok`: a read that gives up waiting (STALE) is timed until it answered."""
    office = city.world.counties[0]
    headers = city.headers(Role.COUNTY_TEAM, office.id)
    result = Freshness([], [], [], [])
    with httpx.Client(base_url=api_url, headers=headers, timeout=60) as http:
        for n in range(mutations):
            fields = {"tenantId": str(office.id), **_registration(city, 0, n)}
            began = time.perf_counter()
            written = graphql(http, REGISTER, {"input": fields})["registerClue"]
            answered = time.perf_counter()
            variables = {"tenantId": str(office.id), "minPosition": int(written["position"])}
            try:
                graphql(http, FRESH_READ, variables)
            except GraphQLFailure as failure:
                if not (stale_ok and failure.codes == {"STALE"}):
                    raise
                result.stale.append(n)
            fresh = time.perf_counter()
            graphql(http, FRESH_READ, {"tenantId": str(office.id)})
            result.mutation_ms.append((answered - began) * 1000)
            result.fresh_read_ms.append((fresh - answered) * 1000)
            result.plain_read_ms.append((time.perf_counter() - fresh) * 1000)
    return result


# -- the cases ---------------------------------------------------------------------------------


def ingest_cases(
    city: City, runtime: Runtime, api_url: str, seconds: float, mutations: int
) -> list[Case]:
    state_bytes = mean_state_bytes(runtime)
    text = "x" * max(10, state_bytes - 200)  # the rest of a state is the envelope
    by_clients = {n: submissions(city, api_url, n, seconds) for n in (1, 2, 3, 4)}
    best = max(by_clients, key=lambda n: by_clients[n].per_second)
    with baseline_app(runtime) as app:
        single = eventsourcing_saves(app, text, 1, seconds)
        batched = eventsourcing_saves(app, text, BATCH, seconds)
    copy, insert = postgres_limits(runtime.database.url, state_bytes, seconds)
    # Freshness is how soon one write is readable, not how long a backlog of the ingest takes.
    wait_until_projected(runtime, timeout=1800)
    fresh = freshness(city, api_url, mutations)
    ingest = by_clients[best].per_second
    detail = {
        "events_per_second_by_clients": {n: r.per_second for n, r in by_clients.items()},
        "best_clients": best,
        "items_per_submission": ITEMS,
        "mean_state_bytes": state_bytes,
        "postgres_batched_insert_rows_per_second": insert.per_second,
        "seconds_per_run": seconds,
    }
    return [
        Case(
            "ingest vs eventsourcing one event per save",
            ingest,
            "events/s",
            "eventsourcing save(), 1 event",
            single.per_second,
            Target("ratio", 20, "higher"),
            limit_name="PostgreSQL COPY",
            limit_value=copy.per_second,
            detail=detail,
        ),
        Case(
            "ingest vs eventsourcing 50 aggregates per save",
            ingest,
            "events/s",
            f"eventsourcing save(), {BATCH} aggregates",
            batched.per_second,
            Target("ratio", 1.5, "higher"),
            limit_name="PostgreSQL COPY",
            limit_value=copy.per_second,
            detail=detail,
        ),
        Case(
            "single mutation latency p50",
            percentile(fresh.mutation_ms, 50),
            "ms",
            "eventsourcing save() p50 (in-process)",
            percentile(single.latencies_ms, 50),
            detail={"mutations": mutations, "over": "HTTP GraphQL registerClue"},
        ),
        Case(
            "single mutation latency p99",
            percentile(fresh.mutation_ms, 99),
            "ms",
            "eventsourcing save() p99 (in-process)",
            percentile(single.latencies_ms, 99),
            detail={"mutations": mutations},
        ),
        Case(
            "read-your-writes freshness p99 (embedded)",
            percentile(fresh.fresh_read_ms, 99),
            "ms",
            "same read without minPosition p99",
            percentile(fresh.plain_read_ms, 99),
            Target("value", 100, "lower"),
            detail={"p50_ms": percentile(fresh.fresh_read_ms, 50), "mutations": mutations},
        ),
    ]
