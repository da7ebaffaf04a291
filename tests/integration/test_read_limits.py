"""Reads for a request run in a read-only PostgreSQL transaction with a statement timeout: a
read that takes too long is stopped by the database and answered with LIMIT_EXCEEDED."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import psycopg
import pytest

from domain.errors import LimitExceeded
from graphql_schema.context import RequestContext, reading
from infrastructure.auth import Principal, Role
from projections.clue_ledger import ClueLedger
from services.runtime import Runtime
from tests.support.auth import DEFAULT_TENANT


def resolve_info(runtime: Runtime) -> Any:
    """What a resolver's `info` carries for `reading`: the request context."""
    principal = Principal("reader", DEFAULT_TENANT, Role.AUDITOR)
    return SimpleNamespace(context={"xuncha": RequestContext(runtime, principal)})


@pytest.mark.settings(read_statement_timeout_ms=100)
def test_a_read_over_the_statement_timeout_is_stopped_with_limit_exceeded(
    runtime: Runtime,
) -> None:
    with (
        pytest.raises(LimitExceeded, match="longer than 100 ms"),
        reading(resolve_info(runtime), views=[ClueLedger.name]) as conn,
    ):
        conn.execute("SELECT pg_sleep(5)")


def test_a_read_cannot_write(runtime: Runtime) -> None:
    with (
        pytest.raises(psycopg.errors.ReadOnlySqlTransaction),
        reading(resolve_info(runtime), views=[ClueLedger.name]) as conn,
    ):
        conn.execute("CREATE TABLE written_by_a_read (id int)")
