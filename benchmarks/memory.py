"""Peak memory of child processes, as the kernel counts it: `wait4` returns the child's
rusage, whose `ru_maxrss` is its resident-set high-water mark (KiB on Linux), however short
the peak was. Only processes this bench starts are measured."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass


@dataclass
class Child:
    process: subprocess.Popen[bytes]
    peak_rss_mib: float | None = None
    output: bytes = b""

    def stop(self, timeout: float = 30) -> float:
        """Stop the process (SIGTERM) unless it ended, reap it and return its peak RSS."""
        if self.peak_rss_mib is not None:
            return self.peak_rss_mib
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.reap()

    def reap(self) -> float:
        """Wait for the process to end; its peak RSS in MiB."""
        if self.process.stdout is not None:
            self.output = self.process.stdout.read()
        _, status, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        self.peak_rss_mib = usage.ru_maxrss / 1024
        return self.peak_rss_mib


def start_child(
    command: list[str], *, env: dict[str, str] | None = None, capture: bool = False
) -> Child:
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return Child(process)


def import_floor_mib(modules: list[str]) -> float:
    """Peak RSS of a Python process that only imports `modules`: the floor under any process
    that runs their code."""
    statement = "; ".join(f"import {m}" for m in modules)
    child = start_child([sys.executable, "-c", statement])
    return child.reap()
