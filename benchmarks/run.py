"""The whole bench, in the order that keeps the figures apart: reads on the simulated city as
it was built, then single mutations and freshness, then ingest (which adds clues), the API's
peak memory when it stops, the rebuild in a process of its own, and the audit verification."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.as_of import as_of_cases
from benchmarks.audit import audit_cases
from benchmarks.city import (
    City,
    api_process,
    bench_settings,
    database,
    simulated_city,
    wait_until_projected,
)
from benchmarks.ingest import ingest_cases
from benchmarks.kafka import kafka_freshness_case
from benchmarks.memory import import_floor_mib
from benchmarks.reads import Clients, ledger_page_case, load_cases
from benchmarks.rebuild import rebuild_cases
from benchmarks.results import Case
from benchmarks.servers import ServerUnavailable, free_port
from services.runtime import Runtime, running


@dataclass(frozen=True)
class Plan:
    profile: str
    years: int | None
    ingest_seconds: float  # per client count, and per baseline
    mutations: int
    ledger_rounds: int
    load_seconds: float  # per read kind and client count, and as long for its baseline
    audit_rounds: int
    kafka_rate: float  # events/s the background writer of the Kafka case is paced to
    kafka_mutations: int
    kafka: bool = True

    @staticmethod
    def quick() -> Plan:
        return Plan("small", None, 2, 30, 3, 1, 1, kafka_rate=100, kafka_mutations=10)

    @staticmethod
    def full(profile: str, years: int | None) -> Plan:
        return Plan(profile, years, 15, 300, 20, 8, 3, kafka_rate=1000, kafka_mutations=100)


Say = Callable[[str], None]


def run(
    plan: Plan, database_url: str | None, say: Say
) -> tuple[list[Case], dict[str, object], list[str]]:
    """The cases, what the run was about, and the cases it could not measure."""
    missing = [] if plan.kafka else ["freshness in Kafka mode (--no-kafka)"]
    with (
        tempfile.TemporaryDirectory(prefix="xuncha-bench-") as folder,
        database(database_url, Path(folder)) as url,
    ):
        settings = bench_settings(url, Path(folder))
        say(f"simulating the {plan.profile} city (or continuing it)…")
        city = simulated_city(settings, plan.profile, plan.years)
        about: dict[str, object] = {
            "profile": plan.profile,
            "years": plan.years or city.profile.years,
            "events_before_bench": city.events_simulated,
            "plan": plan.__dict__,
        }
        with running(settings, feed=False) as runtime:
            cases = _against_api(plan, city, runtime, say)
            say("rebuilding every projection…")
            cases += rebuild_cases(city, runtime)
            say("verifying the audit trail…")
            cases += audit_cases(city, runtime, plan.audit_rounds)
        if plan.kafka:
            say("Kafka mode: broker, relay, worker and API, with a paced writer…")
            try:
                cases.append(kafka_freshness_case(city, plan.kafka_mutations, plan.kafka_rate))
            except ServerUnavailable as error:
                say(f"no Kafka case: {error}")
                missing.append(f"freshness in Kafka mode: {error}")
    return cases, about, missing


def _against_api(plan: Plan, city: City, runtime: Runtime, say: Say) -> list[Case]:
    with api_process(city, free_port()) as api:
        say("waiting for the projections to catch up…")
        wait_until_projected(runtime, timeout=3600)
        clients = Clients(city, api.url)
        say("reading…")
        cases = [ledger_page_case(city, runtime, api.url, plan.ledger_rounds, clients)]
        cases += as_of_cases(city, runtime, plan.ledger_rounds, clients)
        cases += load_cases(city, runtime, api.url, plan.load_seconds, clients)
        say("writing…")
        cases += ingest_cases(city, runtime, api.url, plan.ingest_seconds, plan.mutations)
        peak = api.child.stop()
    floor = import_floor_mib(["entrypoints.http.app", "services.runtime"])
    cases.append(
        Case(
            "peak memory of the API",
            peak,
            "MiB",
            "same imports, idle process",
            floor,
            detail={
                "measured": "VmHWM of `xuncha serve` (with its log feed), read before it stops"
            },
        )
    )
    return cases
