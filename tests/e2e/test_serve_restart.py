"""`xuncha serve` on its embedded default keeps its data between runs: a clue registered in one
run is there in the next, projected exactly once, and the embedded PostgreSQL stops with it."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psutil

from infrastructure.settings import Settings
from tests.support.auth import TokenMint
from tests.support.graphql import CLUE_LEDGER, REGISTER_CLUE, GraphQL, register_city_with_village
from tests.support.servers import free_port

STARTUP_SECONDS = 90


# The deployment's signing secret, shared by the server and the test that mints its token.
SECRET = secrets.token_urlsafe(48)


@contextmanager
def serving(data_dir: Path) -> Iterator[GraphQL]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XUNCHA_")}
    env["XUNCHA_DATA_DIR"] = str(data_dir)
    env["XUNCHA_JWT_SECRET"] = SECRET
    process = subprocess.Popen(
        [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    headers = TokenMint.of(Settings(jwt_secret=SECRET, data_dir=data_dir)).headers()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, headers=headers) as http:
            wait_until_healthy(http, process)
            yield GraphQL(http)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
        print(output.decode(errors="replace"))


def wait_until_healthy(http: httpx.Client, process: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "xuncha serve exited during start-up"
        try:
            if http.get("/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"xuncha serve was not healthy within {STARTUP_SECONDS} s")


def postgres_running_in(data_dir: Path) -> bool:
    for proc in psutil.process_iter(["name", "cmdline"]):
        if proc.info["name"] == "postgres" and str(data_dir) in " ".join(
            proc.info["cmdline"] or []
        ):
            return True
    return False


def test_a_second_serve_on_the_same_data_folder_finds_the_clue_projected_once(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "xuncha"
    with serving(data_dir) as gql:
        ids = register_city_with_village(gql)
        written = gql.data(
            REGISTER_CLUE,
            {
                "input": {
                    "tenantId": ids["county"],
                    "unitId": ids["village"],
                    "source": "HOTLINE",
                    "category": "作风问题",
                    "summary": "村干部长期不在岗",
                }
            },
        )["registerClue"]
        first = gql.data(CLUE_LEDGER, {"minPosition": written["position"]})["clueLedger"]
        assert first["totalCount"] == 1
    assert not postgres_running_in(data_dir), "the embedded PostgreSQL outlived xuncha serve"

    with serving(data_dir) as gql:
        again = gql.data(CLUE_LEDGER, {"minPosition": written["position"]})["clueLedger"]
        assert [e["node"]["id"] for e in again["edges"]] == [written["id"]]
        health = gql.http.get("/readyz").json()
        head = health["position"]
        assert head == written["position"]
        for name, progress in health["projections"].items():
            assert progress == {"position": head, "applied": head}, name
    assert not postgres_running_in(data_dir)
