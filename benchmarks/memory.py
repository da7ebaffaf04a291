"""Peak memory of processes this bench starts: the kernel's resident-set high-water mark of
the process since it started its program (`VmHWM` in /proc/<pid>/status, Linux), read just
before the process is stopped, or by the process itself when it ends on its own. (`wait4`'s
`ru_maxrss` is not used: Linux carries the forking parent's high-water mark over `exec`.)"""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HIGH_WATER = "import pathlib; print(pathlib.Path('/proc/self/status').read_text())"


def high_water_mib(status: str) -> float:
    """VmHWM of a /proc/<pid>/status text, in MiB."""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in the process status: peak memory is measured on Linux only")


def own_high_water_mib() -> float:
    return high_water_mib(Path("/proc/self/status").read_text())


@dataclass
class Child:
    process: subprocess.Popen[bytes]
    peak_rss_mib: float | None = None

    def stop(self, timeout: float = 30) -> float:
        """Read the running process's peak RSS, then stop it (SIGTERM) and reap it; 0 when
        it had ended already (a failure the bench's figures then show)."""
        if self.peak_rss_mib is None and self.process.poll() is None:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
            self.peak_rss_mib = high_water_mib(status)
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.peak_rss_mib is None:
            raise RuntimeError(
                f"the process ended (code {self.process.returncode}) before it was measured"
            )
        return self.peak_rss_mib


def start_child(command: list[str], *, env: dict[str, str] | None = None) -> Child:
    process = subprocess.Popen(  # noqa: S603 (this interpreter, the bench's own commands)
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return Child(process)


def output_of(command: list[str], *, env: dict[str, str] | None = None) -> str:
    """Run `command` to its end; its standard output (its standard error on failure)."""
    done = subprocess.run(  # noqa: S603 (this interpreter, the bench's own commands)
        command, env=env, capture_output=True, check=False
    )
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace")[-2000:]
        raise RuntimeError(f"{command[1:3]} failed with code {done.returncode}: {tail}")
    return done.stdout.decode()


def import_floor_mib(modules: list[str]) -> float:
    """Peak RSS of a Python process that only imports `modules`: the floor under any process
    that runs their code."""
    statement = "; ".join(f"import {m}" for m in modules)
    return high_water_mib(output_of([sys.executable, "-c", f"{statement}; {HIGH_WATER}"]))
