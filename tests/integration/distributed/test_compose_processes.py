"""deploy/compose.yaml run as local processes: each XunCha service's exact command and
environment (the addresses of the test PostgreSQL and broker, test secrets and a free port
substituted for compose's), as many of each as compose starts. A clue registered over HTTP with
a minted token is read back from the clue ledger with `minPosition`: relay → Kafka → workers →
read model, end to end."""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import httpx

from infrastructure.settings import Settings
from tests.integration.distributed.processes import Processes
from tests.integration.test_deploy import SECRETS, XUNCHA_SERVICES, interpolated
from tests.support.auth import TokenMint
from tests.support.graphql import CLUE_LEDGER, REGISTER_CLUE, GraphQL, register_city_with_village
from tests.support.servers import free_port, wait_for_port

PROJECTED_WITHIN_SECONDS = 90  # the workers' group join and the first rebalance included


def service_environment(
    service: str, settings: Settings, secrets: dict[str, str]
) -> dict[str, str]:
    """The service's compose environment with this test's database, broker and topic."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("XUNCHA_")}
    declared = {
        name: interpolated(str(value), secrets)
        for name, value in XUNCHA_SERVICES[service]["environment"].items()
    }
    assert declared["XUNCHA_DATABASE_URL"].startswith("postgresql://xuncha:")
    substituted = {
        "XUNCHA_DATABASE_URL": settings.database_url or "",
        "XUNCHA_KAFKA_BOOTSTRAP": settings.kafka_bootstrap or "",
        "XUNCHA_KAFKA_TOPIC": settings.kafka_topic,
    }
    assert substituted.keys() <= declared.keys()
    return {**inherited, **declared, **substituted}


def service_command(service: str, port: int) -> list[str]:
    command = [str(part) for part in XUNCHA_SERVICES[service]["command"]]
    if "--port" in command:
        command[command.index("--port") + 1] = str(port)
        command[command.index("--host") + 1] = "127.0.0.1"
    return command


def replicas(service: str) -> int:
    return int(XUNCHA_SERVICES[service].get("deploy", {}).get("replicas", 1))


def read_back(gql: GraphQL, county: str, position: int) -> dict[str, Any]:
    """The county's clue ledger once it includes `position`; STALE (the workers have not
    applied it yet) is asked again until the deadline."""
    deadline = time.monotonic() + PROJECTED_WITHIN_SECONDS
    while True:
        body = gql.execute(CLUE_LEDGER, {"tenantId": county, "minPosition": position})
        if "errors" not in body:
            ledger: dict[str, Any] = body["data"]["clueLedger"]
            return ledger
        assert body["errors"][0]["extensions"]["code"] == "STALE", body
        assert time.monotonic() < deadline, body
        time.sleep(0.5)


def test_the_compose_services_as_processes_carry_a_write_to_the_read_models(
    kafka_settings: Settings, processes: Processes
) -> None:
    secrets = {name: uuid.uuid4().hex + uuid.uuid4().hex for name in SECRETS}
    port = free_port()
    started = {
        service: [
            processes.start(
                *service_command(service, port),
                env=service_environment(service, kafka_settings, secrets),
            )
            for _ in range(replicas(service))
        ]
        for service in sorted(XUNCHA_SERVICES)
    }
    assert {service: len(each) for service, each in started.items()} == {
        "api": 1,
        "relay": 2,
        "worker": 2,
    }
    wait_for_port(port, started["api"][0], what="xuncha serve", timeout=60)
    mint = TokenMint.of(Settings(jwt_secret=secrets["XUNCHA_JWT_SECRET"]))

    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}", headers=mint.headers(), timeout=30
    ) as http:
        gql = GraphQL(http)
        ids = register_city_with_village(gql)
        clue = {
            "tenantId": ids["county"],
            "unitId": ids["village"],
            "source": "HOTLINE",
            "category": "作风问题",
            "summary": "村干部长期不在岗",
        }
        written = gql.data(REGISTER_CLUE, {"input": clue})["registerClue"]
        ledger = read_back(gql, ids["county"], written["position"])

    assert [edge["node"]["id"] for edge in ledger["edges"]] == [written["id"]]
    assert ledger["edges"][0]["node"]["summary"] == "村干部长期不在岗"
    assert ledger["edges"][0]["node"]["unit"]["id"] == ids["village"]
    died = [s for s, each in started.items() for p in each if p.poll() is not None]
    assert died == []
