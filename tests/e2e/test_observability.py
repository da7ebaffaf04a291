"""What an operator sees: JSON log lines naming the request and its tenant (never the token
or an informant), refusals as one INFO line, liveness apart from readiness (PostgreSQL away:
alive, not ready, saying why), metrics of requests, writes, pools, the process and a running
rebuild, and pages that load nothing from elsewhere."""

from __future__ import annotations

import io
import json
import logging
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from pydantic import SecretStr

from domain.tenants.tenant import TenantLevel
from infrastructure import logs
from infrastructure.feeds.rebuild import find_projection, rebuild
from infrastructure.feeds.relay import Relay, RelayOptions, relays
from services.authorization import CONSOLE
from services.runtime import Runtime
from tests.e2e.clue_support import register
from tests.e2e.test_clue_as_of import CLUE_AS_OF
from tests.support.auth import DEFAULT_TENANT, TokenMint
from tests.support.graphql import GraphQL, register_city_with_village

INFORMANT = "王举报人"
CONTACT = "13912345678"
UNKNOWN_CLUE = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def json_log(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """What XunCha's JSON handler writes, at INFO, while the test runs."""
    caplog.set_level(logging.INFO)
    written = io.StringIO()
    handler = logs.handler("json", written)
    logging.getLogger().addHandler(handler)
    try:
        yield written
    finally:
        logging.getLogger().removeHandler(handler)


def lines_of(written: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in written.getvalue().splitlines()]


def test_json_log_lines_name_the_request_and_tenant_never_the_token_or_informant(
    gql: GraphQL, tokens: TokenMint, json_log: io.StringIO
) -> None:
    ids = register_city_with_village(gql)
    token = tokens.token()
    answer = gql.http.post(
        "/graphql",
        json={"query": "{ tenants { code } }"},
        headers={"X-Request-ID": "trace-4711", "Authorization": f"Bearer {token}"},
    )
    register(gql, ids, informant={"name": INFORMANT, "contact": CONTACT})

    assert answer.headers["X-Request-ID"] == "trace-4711"
    lines = lines_of(json_log)
    traced = [line for line in lines if line.get("request_id") == "trace-4711"]
    assert traced, "the request's access line carries its id"
    assert {(line["tenant"], line["role"]) for line in traced} == {(str(DEFAULT_TENANT), "ADMIN")}
    assert all(line.get("tenant") for line in lines if line["logger"] == "xuncha.access")
    assert {"time", "level", "logger", "message"} <= set(traced[0])
    text = json_log.getvalue()
    assert token not in text
    assert token.split(".")[2] not in text  # not even the signature
    assert INFORMANT not in text
    assert json.dumps(INFORMANT).strip('"') not in text
    assert CONTACT not in text


def test_a_forged_request_id_is_replaced(gql: GraphQL) -> None:
    answer = gql.http.get("/healthz", headers={"X-Request-ID": "x" * 129})
    echoed = answer.headers["X-Request-ID"]
    assert echoed != "x" * 129
    assert re.fullmatch(r"[0-9a-f]{32}", echoed)


def test_a_not_found_refusal_is_one_info_line_without_traceback(
    gql: GraphQL, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    error = gql.error(CLUE_AS_OF, {"id": UNKNOWN_CLUE})

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert [r for r in caplog.records if r.exc_info] == []
    refusals = [r for r in caplog.records if "NOT_FOUND" in r.getMessage()]
    assert len(refusals) == 1
    assert refusals[0].levelno == logging.INFO
    assert refusals[0].getMessage() == "refused query:clue: NOT_FOUND"
    assert UNKNOWN_CLUE not in caplog.text


def test_an_unauthenticated_request_is_one_info_line(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with TestClient(app) as http:
        answer = http.post("/graphql", json={"query": "{ tenants { code } }"})
    assert answer.status_code == 401
    assert [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info] == []
    assert [r.getMessage() for r in caplog.records if r.name == "xuncha.refusals"] == [
        "refused graphql: UNAUTHENTICATED"
    ]


def test_a_server_error_is_logged_with_its_traceback_and_request_id(
    app: FastAPI, json_log: io.StringIO
) -> None:
    @app.get("/explode")
    def explode() -> None:
        raise RuntimeError("an internal failure")

    with TestClient(app, raise_server_exceptions=False) as http:
        answer = http.get("/explode", headers={"X-Request-ID": "boom-1"})

    assert answer.status_code == 500
    assert "Traceback" not in answer.text
    [failure] = [
        line
        for line in lines_of(json_log)
        if line["level"] == "ERROR" and line["logger"] == "xuncha.failures"
    ]
    assert failure["request_id"] == "boom-1"
    assert "Traceback" in failure["exc_info"]
    assert "RuntimeError: an internal failure" in failure["exc_info"]


def test_with_postgres_unreachable_the_api_is_alive_but_not_ready(
    runtime: Runtime, postgres_admin_url: str
) -> None:
    name = str(conninfo_to_dict(runtime.database.url)["dbname"])
    with TestClient(create_app_for(runtime)) as http:
        assert http.get("/readyz").status_code == 200
        with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
            unreachable(admin, name, True)
            try:
                alive = http.get("/healthz")
                ready = http.get("/readyz")
            finally:
                unreachable(admin, name, False)
    assert alive.status_code == 200
    assert alive.json() == {"status": "ok"}
    assert ready.status_code == 503
    assert ready.json() == {"status": "not ready", "failed": ["database"]}


def unreachable(admin: psycopg.Connection[Any], database: str, refuse: bool) -> None:
    """Refuse (or allow again) connections to `database` and end the ones it has."""
    admin.execute(
        sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}").format(
            sql.Identifier(database), sql.Literal(not refuse)
        )
    )
    if refuse:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (database,),
        )


def create_app_for(runtime: Runtime) -> FastAPI:
    from entrypoints.http.app import create_app

    return create_app(runtime)


def test_readiness_shows_positions_only_to_who_holds_the_metrics_token(runtime: Runtime) -> None:
    token = "scrape-" + "x" * 24
    guarded = replace(
        runtime, settings=runtime.settings.model_copy(update={"metrics_token": SecretStr(token)})
    )
    with TestClient(create_app_for(guarded)) as http:
        anonymous = http.get("/readyz")
        scraper = http.get("/readyz", headers={"Authorization": f"Bearer {token}"})
    assert anonymous.json() == {"status": "ready"}
    assert scraper.json()["status"] == "ready"
    assert scraper.json()["position"] == runtime.store.max_position()
    assert set(scraper.json()["behind"]) == {p.name for p in runtime.projections}


@pytest.mark.settings(ready_max_lag=0)
def test_a_projection_behind_more_than_allowed_is_not_ready(runtime: Runtime) -> None:
    runtime.feed.stop()  # nothing applies what is written next
    runtime.tenants.register_tenant(
        code="3799", name="滞后市", level=TenantLevel.CITY, parent_id=None, acting=CONSOLE
    )
    with TestClient(create_app_for(runtime)) as http:
        ready = http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["failed"] == ["projections_lag"]


def test_metrics_show_requests_writes_pools_and_the_process(gql: GraphQL) -> None:
    register_city_with_village(gql)
    gql.error(CLUE_AS_OF, {"id": UNKNOWN_CLUE})
    gql.http.get("/healthz")
    lines = gql.http.get("/metrics").text.splitlines()

    def sample(prefix: str) -> float:
        [line] = [line for line in lines if line.startswith(prefix + " ")]
        return float(line.rsplit(" ", 1)[1])

    assert sample('xuncha_http_request_duration_seconds_count{operation="query:clue",status="200"}')
    assert sample(
        'xuncha_http_request_duration_seconds_count{operation="mutation:registerTenant",'
        'status="200"}'
    )
    assert sample('xuncha_http_request_duration_seconds_count{operation="/healthz",status="200"}')
    assert sample("xuncha_events_appended_total") >= 3  # city, county, village at least
    assert sample("xuncha_database_up") == 1
    for pool in ("reads", "store"):
        assert sample(f'xuncha_db_pool_connections{{pool="{pool}",state="size"}}') >= 1
        assert f'xuncha_db_pool_requests_waiting{{pool="{pool}"}} 0.0' in lines
    assert sample("process_resident_memory_bytes") > 0
    assert any(line.startswith("python_info{") for line in lines)


def test_metrics_show_how_far_a_running_rebuild_is(runtime: Runtime, gql: GraphQL) -> None:
    register_city_with_village(gql)
    head = runtime.store.max_position()
    seen: list[str] = []

    def scrape(done: int, total: int) -> None:
        seen.extend(
            line
            for line in gql.http.get("/metrics").text.splitlines()
            if line.startswith("xuncha_projection_rebuild_position{")
        )

    rebuild(runtime, find_projection(runtime, "directory"), progress=scrape, batch_size=1)

    assert 'xuncha_projection_rebuild_position{projection="directory"} 1.0' in seen
    assert f'xuncha_projection_rebuild_position{{projection="directory"}} {float(head)}' in seen
    after = gql.http.get("/metrics").text
    assert "xuncha_projection_rebuild_position{" not in after  # done: nothing is rebuilding


def test_a_standby_relay_says_it_is_alive_and_is_counted(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    topic = "xuncha.observed"
    options = RelayOptions(bootstrap="127.0.0.1:9", topic=topic, standby_report_seconds=0.2)
    standby = Relay(runtime.store, runtime.database.url, options)
    with psycopg.connect(runtime.database.url, autocommit=True) as active:
        active.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"xuncha.relay:{topic}",))
        thread = threading.Thread(target=standby.run)
        thread.start()
        try:
            said = wait_for(lambda: standby_lines(caplog) >= 2)
            with runtime.reads.connection() as conn:
                counted = relays(conn)
        finally:
            standby.stop()
            thread.join(timeout=30)
    assert said
    assert counted == {"active": 0, "standby": 1}
    assert not standby.leading.is_set()


def standby_lines(caplog: pytest.LogCaptureFixture) -> int:
    return sum(
        r.levelno == logging.INFO and r.getMessage().startswith("standby: waiting")
        for r in caplog.records
    )


def wait_for(condition: Any, attempts: int = 300) -> bool:
    for _ in range(attempts):
        if condition():
            return True
        threading.Event().wait(0.1)
    return False


def test_pages_the_server_serves_load_nothing_from_elsewhere(app: FastAPI) -> None:
    with TestClient(app) as http:
        pages = {
            "/docs": http.get("/docs"),
            "/graphql": http.get("/graphql", headers={"Accept": "text/html"}),
        }
        for path, page in pages.items():
            assert page.status_code == 200, path
            assert "text/html" in page.headers["content-type"]
            sources = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page.text)
            assert sources, path
            for source in sources:
                assert not re.match(r"(?i)(https?:)?//", source), (path, source)
                assert http.get(source).status_code == 200, (path, source)
            assert not re.search(r"""(?i)url\(\s*["']?(https?:)?//""", page.text), path
        assert http.get("/openapi.json").status_code == 200
        assert http.get("/redoc").status_code == 404
