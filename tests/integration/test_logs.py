"""What reaches the log: a failed statement's DETAIL line (which quotes the row) never does,
and a request is logged by method, path and status, never with its query string."""

from __future__ import annotations

import logging
import sys

import psycopg
import pytest
from fastapi.testclient import TestClient

from entrypoints.http.app import create_app
from infrastructure.logs import REDACTED, RedactingFormatter, RedactingJsonFormatter
from services.runtime import Runtime

SECRET = "举报人张某某-13800000000"


def test_a_logged_database_error_keeps_its_kind_but_not_the_row(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (summary text CHECK (length(summary) < 5))")
        try:
            conn.execute("INSERT INTO t VALUES (%s)", (SECRET,))
        except psycopg.errors.CheckViolation:
            error_info = sys.exc_info()
        else:
            pytest.fail("PostgreSQL accepted the row")
    assert SECRET in str(error_info[1])  # psycopg does quote the row

    for formatter in (RedactingFormatter("%(message)s"), RedactingJsonFormatter()):
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, error_info)
        logged = formatter.format(record)

        assert "CheckViolation" in logged
        assert SECRET not in logged
        assert REDACTED in logged


def test_a_request_is_logged_without_its_query_string(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.INFO, logger="xuncha.access"),
        TestClient(create_app(runtime)) as http,
    ):
        http.get("/graphql", params={"query": "{ tenants { id } }", "variables": SECRET})

    server = [r for r in caplog.records if not r.name.startswith("httpx")]  # not the client's
    lines = [r.getMessage() for r in server if r.name == "xuncha.access"]
    assert lines == [lines[0]]
    assert lines[0].startswith("GET /graphql 401")
    assert not [r for r in server if SECRET in r.getMessage() or "tenants" in r.getMessage()]
