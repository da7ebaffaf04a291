"""The city a bench runs against: a PostgreSQL (the one given, or an embedded server in a
temporary folder), a city simulated into it, an API process (`xuncha serve`) over it, and
tokens for the offices of that city."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import httpx
from pydantic import SecretStr

from benchmarks.memory import Child, start_child
from infrastructure.auth import Principal, Role, issue_token, token_keys
from infrastructure.database import open_database
from infrastructure.settings import Settings
from services.runtime import Runtime, running
from services.simulation import PROFILES, simulate
from services.simulation.plan import World
from services.simulation.profiles import Profile
from services.simulation.world import build_world

SEED = 1


@dataclass(frozen=True)
class City:
    settings: Settings
    profile: Profile
    world: World
    events_simulated: int

    def token(self, role: Role, tenant_id: UUID) -> str:
        principal = Principal(f"bench-{role.value.lower()}", tenant_id, role, False)
        return issue_token(token_keys(self.settings), principal, ttl=timedelta(hours=4))

    def headers(self, role: Role, tenant_id: UUID) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, tenant_id)}"}

    def environment(self) -> dict[str, str]:
        """What a XunCha process needs to serve this city with the bench's keys."""
        settings = self.settings
        if not (settings.database_url and settings.jwt_secret and settings.audit_key):
            raise ValueError("a bench city has its database, token secret and audit key")
        return {
            **os.environ,
            "XUNCHA_DATABASE_URL": settings.database_url,
            "XUNCHA_DATA_DIR": str(settings.data_dir),
            "XUNCHA_JWT_SECRET": settings.jwt_secret.get_secret_value(),
            "XUNCHA_AUDIT_KEY": settings.audit_key.get_secret_value(),
            "XUNCHA_READ_WAIT_SECONDS": "30",
            **(
                {
                    "XUNCHA_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
                    "XUNCHA_KAFKA_TOPIC": settings.kafka_topic,
                }
                if settings.kafka_bootstrap
                else {}
            ),
        }


@contextmanager
def database(database_url: str | None, folder: Path) -> Iterator[str]:
    """`database_url`, or an embedded PostgreSQL in `folder`, stopped afterwards."""
    if database_url:
        yield database_url
        return
    owned = open_database(Settings(data_dir=folder))
    try:
        yield owned.url
    finally:
        owned.close()


def bench_settings(database_url: str, folder: Path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=folder,
        jwt_secret=SecretStr(secrets.token_urlsafe(48)),
        audit_key=SecretStr(secrets.token_hex(32)),
        read_wait_seconds=30,
    )


def simulated_city(settings: Settings, profile_name: str, years: int | None) -> City:
    """The profile's city in the database: simulated, or continued where it stands."""
    profile = PROFILES[profile_name]
    with running(settings, feed=False) as runtime:
        outcome = simulate(runtime, profile, SEED, years)
        events = runtime.store.max_position()
    return City(settings, profile, build_world(profile, SEED), events or outcome.events)


def wait_until_projected(runtime: Runtime, timeout: float) -> None:
    """Until every projection applied the whole log (the API's feed does the work)."""
    head = runtime.store.max_position()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        progress = runtime.projection_progress()
        if progress and all(p["position"] >= head for p in progress.values()):
            return
        time.sleep(0.5)
    raise RuntimeError(f"the projections did not reach position {head} within {timeout:g} s")


@dataclass
class Api:
    url: str
    child: Child


@contextmanager
def api_process(city: City, port: int) -> Iterator[Api]:
    """`xuncha serve` in a child process (its feed projects the log), until it answers."""
    command = [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)]
    child = start_child(command, env=city.environment())
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url, child.process, timeout=120)
        yield Api(url, child)
    finally:
        child.stop()


def _wait_for_health(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the API process exited with code {process.returncode}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the API did not answer within {timeout:g} s")
