"""Reading the projections on behalf of a caller: the query side of authorization.

A `ReadSession` belongs to one request. Each `reading()` is one read-only transaction, bounded
in time, in which the caller's read scope (services/authorization.py) is known and PostgreSQL
itself shows only the rows of the scope's tenants (projections/row_security.py). Queries pass
the scope to the projections as their filter as well, so isolation holds twice: a query that
forgets the filter still sees nothing outside the scope."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from psycopg import Connection, errors, sql
from psycopg_pool import ConnectionPool

from domain.errors import LimitExceeded
from projections import directory, row_security
from services.authorization import Acting, Office, Scope, scope_of


class ReadSession:
    def __init__(self, pool: ConnectionPool, acting: Acting, statement_timeout_ms: int) -> None:
        self.pool = pool
        self.acting = acting
        self.statement_timeout_ms = statement_timeout_ms
        self._scope: Scope | None = None

    @property
    def scope(self) -> Scope:
        """The caller's read scope, as the first reading of this session found the directory."""
        if self._scope is not None:
            return self._scope
        with self.pool.connection() as conn, conn.transaction():
            return self._found_scope(conn)

    @contextmanager
    def reading(self) -> Iterator[Connection[Any]]:
        """A connection that reads as the caller: read-only, time-bounded, row-secured."""
        timeout_ms = self.statement_timeout_ms
        with self.pool.connection() as conn:
            try:
                with conn.transaction():
                    conn.execute("SET TRANSACTION READ ONLY")
                    conn.execute(
                        sql.SQL("SET LOCAL statement_timeout = {}").format(sql.Literal(timeout_ms))
                    )
                    row_security.show_only(conn, self._found_scope(conn).tenants)
                    yield conn
            except errors.QueryCanceled:
                raise LimitExceeded(
                    f"The read took longer than {timeout_ms} ms and was stopped; ask for less "
                    "(a smaller page or fewer fields)",
                    limit="statement_timeout",
                ) from None

    def _found_scope(self, conn: Connection[Any]) -> Scope:
        """The scope, found once from the whole directory (read as the owner, before a
        transaction turns to the caller's rows only)."""
        if self._scope is None:
            offices = (
                []
                if self.acting.deployment_wide
                else [Office(t.tenant_id, t.parent_id) for t in directory.tenants(conn)]
            )
            self._scope = scope_of(self.acting, offices)
        return self._scope
