"""Shared fixtures: real PostgreSQL and a real Kafka-protocol broker (see tests/support)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from infrastructure.settings import Settings
from services.runtime import Runtime, running
from tests.support.servers import ServerUnavailable, kafka_broker, postgres_server

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    try:
        with postgres_server() as url:
            yield url
    except ServerUnavailable as error:
        pytest.fail(f"PostgreSQL is required: {error}", pytrace=False)


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    try:
        with kafka_broker() as bootstrap:
            yield bootstrap
    except ServerUnavailable as error:
        pytest.fail(f"A Kafka-protocol broker is required: {error}", pytrace=False)


@pytest.fixture
def database_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh, empty database for one test, dropped afterwards."""
    name = f"xuncha_test_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params = conninfo_to_dict(postgres_admin_url)
    params["dbname"] = name
    yield make_conninfo("", **params)
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture
def settings(
    request: pytest.FixtureRequest, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """A test's settings; `@pytest.mark.settings(name=value, …)` changes some for that test.
    Settings are immutable: a test that needs other values asks for them here."""
    marker = request.node.get_closest_marker("settings")
    values: dict[str, object] = {"kafka_bootstrap": None, "read_wait_seconds": 10}
    values.update(marker.kwargs if marker else {})
    return Settings(
        database_url=database_url,
        data_dir=tmp_path_factory.mktemp("xuncha-data"),
        **values,  # type: ignore[arg-type]
    )


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    with running(settings) as rt:
        yield rt
