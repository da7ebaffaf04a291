"""Reads over HTTP GraphQL beside graphene's plain `schema.execute` with naive resolvers
(one SQL query per field as a first version would write it, owner connection, no row-level
security, no HTTP) on the same data in the same run: the `clueLedger` page of 50 over 12
filter/sort/role cases, and `clueLedger`, `linkedRounds`, `clue { history }` and
`clue(asOf)` at 1 and 16 clients."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import graphene
import httpx
from psycopg import sql
from psycopg_pool import ConnectionPool

from benchmarks.city import City
from benchmarks.ingest import graphql, in_threads
from benchmarks.results import Case, Target, percentile
from infrastructure.auth import Role
from services.runtime import Runtime

LEDGER = """query($tenantId: ID, $status: ClueStatus, $priority: PriorityClass, $category: String,
  $unitId: ID, $dueBefore: Date, $sort: ClueSort, $descending: Boolean) {
  clueLedger(tenantId: $tenantId, status: $status, priority: $priority, category: $category,
             unitId: $unitId, dueBefore: $dueBefore, sort: $sort, descending: $descending,
             first: 50) {
    totalCount
    edges { node { id summary category status priority dueDate amountInvolved } }
  }
}"""
LINKED = """query($cityId: ID!) { linkedRounds(cityId: $cityId, first: 20) {
  totalCount
  edges { node { parent { id title } children { id title phase }
                 counties { countyId progress { cluesRegistered cluesOpen } } } }
} }"""
HISTORY = """query($id: ID!) { clue(id: $id) { id status history { version type occurredAt } } }"""
AS_OF = """query($id: ID!, $asOf: DateTime) { clue(id: $id, asOf: $asOf) { id status version } }"""

NAIVE_LEDGER = """query($tenants: [ID], $tenantId: ID, $status: String, $priority: String,
  $category: String, $unitId: ID, $dueBefore: String, $sort: String, $descending: Boolean) {
  clueLedger(tenants: $tenants, tenantId: $tenantId, status: $status, priority: $priority,
             category: $category, unitId: $unitId, dueBefore: $dueBefore, sort: $sort,
             descending: $descending) {
    totalCount nodes { id summary category status priority dueDate amountInvolved }
  }
}"""
NAIVE_LINKED = """query($cityId: ID!) { linkedRounds(cityId: $cityId) {
  id title children { id title phase } } }"""
NAIVE_HISTORY = """query($id: ID!) { clueHistory(id: $id) { version type occurredAt } }"""
NAIVE_AS_OF = """query($id: ID!, $asOf: String!) { clueAsOf(id: $id, asOf: $asOf) {
  id status version } }"""


# -- the naive baseline ------------------------------------------------------------------------


class NaiveClue(graphene.ObjectType):
    id = graphene.ID()
    summary = graphene.String()
    category = graphene.String()
    status = graphene.String()
    priority = graphene.String()
    due_date = graphene.String()
    amount_involved = graphene.String()
    version = graphene.Int()


class NaiveLedger(graphene.ObjectType):
    total_count = graphene.Int()
    nodes = graphene.List(NaiveClue)


class NaiveRound(graphene.ObjectType):
    id = graphene.ID()
    title = graphene.String()
    phase = graphene.String()
    children = graphene.List(lambda: NaiveRound)

    @staticmethod
    def resolve_children(root: dict[str, Any], info: Any) -> list[dict[str, Any]]:
        with info.context["pool"].connection() as conn:
            rows = conn.execute(
                "SELECT round_id AS id, title, phase FROM rm_rounds WHERE parent_id = %s "
                "ORDER BY position",
                (root["id"],),
            )
            return [dict(zip(("id", "title", "phase"), r, strict=True)) for r in rows]


class NaiveEntry(graphene.ObjectType):
    version = graphene.Int()
    type = graphene.String()
    occurred_at = graphene.String()


SORTS = {"REGISTERED": "position", "DUE_DATE": "due_date", "AMOUNT_INVOLVED": "amount_involved"}
FILTERS = {
    "tenantId": "tenant_id = %s",
    "status": "status = %s",
    "priority": "priority = %s",
    "category": "category = %s",
    "unitId": "unit_id = %s",
    "dueBefore": "due_date < %s::date",
}


class NaiveQuery(graphene.ObjectType):
    clue_ledger = graphene.Field(
        NaiveLedger,
        tenants=graphene.List(graphene.ID),
        tenant_id=graphene.ID(),
        status=graphene.String(),
        priority=graphene.String(),
        category=graphene.String(),
        unit_id=graphene.ID(),
        due_before=graphene.String(),
        sort=graphene.String(),
        descending=graphene.Boolean(),
    )
    linked_rounds = graphene.List(NaiveRound, city_id=graphene.ID(required=True))
    clue_history = graphene.List(NaiveEntry, id=graphene.ID(required=True))
    clue_as_of = graphene.Field(
        NaiveClue, id=graphene.ID(required=True), as_of=graphene.String(required=True)
    )

    @staticmethod
    def resolve_clue_ledger(_root: Any, info: Any, **args: Any) -> dict[str, Any]:
        where, params = ["tenant_id = ANY(%s::uuid[])"], [args.get("tenants") or []]
        for name, clause in FILTERS.items():
            snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
            if args.get(snake) is not None:
                where.append(clause)
                params.append(args[snake])
        condition = sql.SQL(" AND ").join(sql.SQL(clause) for clause in where)
        page = sql.SQL(
            "SELECT clue_id, summary, category, status, priority, due_date::text, "
            "amount_involved::text FROM rm_clues WHERE {} ORDER BY {} {} NULLS LAST, clue_id "
            "LIMIT 50"
        ).format(
            condition,
            sql.Identifier(SORTS[args.get("sort") or "REGISTERED"]),
            sql.SQL("DESC" if args.get("descending") else "ASC"),
        )
        with info.context["pool"].connection() as conn:
            count = conn.execute(
                sql.SQL("SELECT count(*) FROM rm_clues WHERE {}").format(condition), params
            )
            total = (count.fetchone() or (0,))[0]
            rows = conn.execute(page, params).fetchall()
        fields = ("id", "summary", "category", "status", "priority", "due_date", "amount_involved")
        return {
            "total_count": total,
            "nodes": [dict(zip(fields, row, strict=True)) for row in rows],
        }

    @staticmethod
    def resolve_linked_rounds(_root: Any, info: Any, city_id: str) -> list[dict[str, Any]]:
        with info.context["pool"].connection() as conn:
            rows = conn.execute(
                "SELECT round_id, title, phase FROM rm_rounds WHERE city_id = %s AND round_id IN "
                "(SELECT parent_id FROM rm_rounds WHERE linkage = 'LINKED') "
                "ORDER BY position LIMIT 20",
                (city_id,),
            )
            return [{"id": r[0], "title": r[1], "phase": r[2]} for r in rows]

    @staticmethod
    def resolve_clue_history(_root: Any, info: Any, id: str) -> list[dict[str, Any]]:
        events = info.context["runtime"].store.events.get(UUID(id))
        return [
            {
                "version": e.originator_version,
                "type": type(e).__name__,
                "occurred_at": e.timestamp.isoformat(),
            }
            for e in events
        ]

    @staticmethod
    def resolve_clue_as_of(_root: Any, info: Any, id: str, as_of: str) -> dict[str, Any]:
        store = info.context["runtime"].store
        moment = datetime.fromisoformat(as_of)
        version = max(
            e.originator_version for e in store.events.get(UUID(id)) if e.timestamp <= moment
        )
        clue = store.repository.get(UUID(id), version=version)
        return {"id": id, "status": str(clue.status), "version": clue.version}


NAIVE_SCHEMA = graphene.Schema(query=NaiveQuery)


def naive(context: dict[str, Any], query: str, variables: dict[str, Any]) -> Any:
    result = NAIVE_SCHEMA.execute(query, variable_values=variables, context_value=context)
    if result.errors:
        raise RuntimeError(f"naive schema: {result.errors}")
    return result.data


# -- what is read ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    """One read, as XunCha answers it over HTTP and as the naive schema does."""

    role: Role
    tenant_id: UUID
    query: str
    variables: dict[str, Any]
    naive_query: str
    naive_variables: dict[str, Any]


def ledger_reads(city: City) -> list[Read]:
    """12 filter/sort/role cases: six for the city office (all its counties), six for the
    first county's team."""
    world = city.world
    county, other = world.counties[0], world.counties[-1]
    everyone = [str(world.city.id), *(str(c.id) for c in world.counties)]
    village = str(world.villages_of(county)[0].id)
    cases: list[tuple[Role, UUID, list[str], dict[str, Any]]] = [
        (Role.CITY_OFFICE, world.city.id, everyone, {}),
        (Role.CITY_OFFICE, world.city.id, everyone, {"status": "TRANSFERRED"}),
        (Role.CITY_OFFICE, world.city.id, everyone, {"priority": "KEY"}),
        (Role.CITY_OFFICE, world.city.id, everyone, {"sort": "DUE_DATE", "descending": True}),
        (Role.CITY_OFFICE, world.city.id, everyone, {"sort": "AMOUNT_INVOLVED"}),
        (Role.CITY_OFFICE, world.city.id, everyone, {"tenantId": str(other.id)}),
        (Role.COUNTY_TEAM, county.id, [str(county.id)], {}),
        (Role.COUNTY_TEAM, county.id, [str(county.id)], {"status": "CONCLUDED"}),
        (Role.COUNTY_TEAM, county.id, [str(county.id)], {"unitId": village}),
        (Role.COUNTY_TEAM, county.id, [str(county.id)], {"category": "三资管理"}),
        (
            Role.COUNTY_TEAM,
            county.id,
            [str(county.id)],
            {"dueBefore": "2025-06-30", "sort": "DUE_DATE"},
        ),
        (
            Role.COUNTY_TEAM,
            county.id,
            [str(county.id)],
            {"priority": "ATTENTION", "descending": True},
        ),
    ]
    return [
        Read(role, tenant, LEDGER, variables, NAIVE_LEDGER, {"tenants": tenants, **variables})
        for role, tenant, tenants, variables in cases
    ]


def clue_reads(city: City, runtime: Runtime, count: int) -> tuple[list[Read], list[Read]]:
    """`clue { history }` and `clue(asOf)` of the clues with the longest histories; asOf is
    the recording time of each clue's middle event."""
    with runtime.reads.connection() as conn:
        rows = conn.execute(
            "SELECT clue_id, tenant_id FROM rm_clues ORDER BY version DESC, clue_id LIMIT %s",
            (count,),
        ).fetchall()
    history, as_of = [], []
    for clue_id, tenant_id in rows:
        events: list[Any] = list(runtime.store.events.get(clue_id))
        moment = events[len(events) // 2].timestamp.isoformat()
        variables = {"id": str(clue_id)}
        history.append(
            Read(Role.COUNTY_TEAM, tenant_id, HISTORY, variables, NAIVE_HISTORY, variables)
        )
        timed = {**variables, "asOf": moment}
        as_of.append(Read(Role.COUNTY_TEAM, tenant_id, AS_OF, timed, NAIVE_AS_OF, timed))
    return history, as_of


def linked_reads(city: City) -> list[Read]:
    variables = {"cityId": str(city.world.city.id)}
    return [Read(Role.CITY_OFFICE, city.world.city.id, LINKED, variables, NAIVE_LINKED, variables)]


# -- measuring ---------------------------------------------------------------------------------


@contextmanager
def naive_context(runtime: Runtime, clients: int) -> Iterator[dict[str, Any]]:
    pool = ConnectionPool(
        runtime.database.url,
        min_size=1,
        max_size=clients,
        kwargs={"autocommit": True},
        open=True,
        name="bench-naive",
    )
    try:
        yield {"pool": pool, "runtime": runtime}
    finally:
        pool.close()


class Clients:
    """HTTP clients with each office's token, one set per thread."""

    def __init__(self, city: City, api_url: str) -> None:
        self.city, self.api_url = city, api_url
        self.local = threading.local()

    def ask(self, read: Read) -> Any:
        clients: dict[tuple[Role, UUID], httpx.Client] = self.local.__dict__.setdefault(
            "clients", {}
        )
        key = (read.role, read.tenant_id)
        if key not in clients:
            headers = self.city.headers(read.role, read.tenant_id)
            clients[key] = httpx.Client(base_url=self.api_url, headers=headers, timeout=60)
        try:
            return graphql(clients[key], read.query, read.variables)
        except (httpx.ReadError, httpx.RemoteProtocolError):
            # The server closed an idle keep-alive connection as this request went out on it
            # (a race every HTTP client meets): asked again on a new connection.
            clients.pop(key).close()
            return self.ask(read)


def timed(call: Callable[[], Any]) -> float:
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def under_load(reads: list[Read], ask: Callable[[Read], Any], clients: int, seconds: float) -> Load:
    """`clients` threads asking the reads in turn for `seconds`."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []

    def client(index: int) -> None:
        n = index
        while time.perf_counter() < deadline:
            read = reads[n % len(reads)]
            latencies.append(timed(lambda read=read: ask(read)))  # type: ignore[misc]
            n += 1

    started = time.perf_counter()
    in_threads(client, clients)
    return Load(len(latencies), time.perf_counter() - started, latencies)


def ledger_page_case(
    city: City, runtime: Runtime, api_url: str, rounds: int, clients: Clients
) -> Case:
    """p95 of the 12 ledger cases, XunCha and the naive schema interleaved."""
    reads = ledger_reads(city)
    ours: list[float] = []
    theirs: list[float] = []
    with naive_context(runtime, 1) as context:
        for read in reads:  # once each, unmeasured: connections, caches, plans
            clients.ask(read)
            naive(context, read.naive_query, read.naive_variables)
        for _ in range(rounds):
            for read in reads:
                ours.append(timed(lambda r=read: clients.ask(r)))  # type: ignore[misc]
                theirs.append(
                    timed(lambda r=read: naive(context, r.naive_query, r.naive_variables))  # type: ignore[misc]
                )
    return Case(
        "clueLedger page of 50, p95 over 12 cases",
        percentile(ours, 95),
        "ms",
        "graphene naive resolvers p95 (in-process)",
        percentile(theirs, 95),
        Target("value", 25, "lower"),
        detail={
            "cases": 12,
            "rounds": rounds,
            "p50_ms": percentile(ours, 50),
            "baseline_p50_ms": percentile(theirs, 50),
            "clues_in_ledger": _clue_count(runtime),
        },
    )


def _clue_count(runtime: Runtime) -> int:
    with runtime.reads.connection() as conn:
        return int((conn.execute("SELECT count(*) FROM rm_clues").fetchone() or (0,))[0])


def load_cases(
    city: City, runtime: Runtime, api_url: str, seconds: float, clients: Clients
) -> list[Case]:
    history, as_of = clue_reads(city, runtime, 20)
    kinds = {
        "clueLedger": ledger_reads(city),
        "linkedRounds": linked_reads(city),
        "clue { history }": history,
        "clue(asOf)": as_of,
    }
    cases = []
    for name, reads in kinds.items():
        for count in (1, 16):
            ours = under_load(reads, clients.ask, count, seconds)
            with naive_context(runtime, count) as context:
                theirs = under_load(
                    reads,
                    lambda r, c=context: naive(c, r.naive_query, r.naive_variables),  # type: ignore[misc]
                    count,
                    seconds,
                )
            cases.append(
                Case(
                    f"{name} at {count} client{'s' * (count > 1)}",
                    ours.per_second,
                    "reads/s",
                    "graphene naive resolvers (in-process)",
                    theirs.per_second,
                    detail={
                        "p50_ms": percentile(ours.latencies_ms, 50),
                        "p95_ms": percentile(ours.latencies_ms, 95),
                        "baseline_p95_ms": percentile(theirs.latencies_ms, 95),
                        "variants": len(reads),
                    },
                )
            )
    return cases
