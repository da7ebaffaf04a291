"""`xuncha serve --demo` on the embedded default (no secret configured) prints one bearer token
per demo role, signed with the secret it generated into the data folder; each one works."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.e2e.test_serve_restart import wait_until_healthy
from tests.support.servers import free_port

STARTUP_SECONDS = 120
TOKEN = re.compile(r"^(eyJ[\w-]+\.[\w-]+\.[\w-]+)\n$")  # alone on its line, to copy


def test_serve_demo_prints_a_working_token_per_role(tmp_path: Path) -> None:
    data_dir = tmp_path / "xuncha"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XUNCHA_")}
    env.update(XUNCHA_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    log = tmp_path / "serve.log"  # the server's log, kept apart from the tokens it prints
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "entrypoints.cli", "serve", "--demo", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    try:
        assert process.stdout is not None
        printed: list[str] = []
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            assert line, f"xuncha serve --demo stopped: {printed}\n{log.read_text()[-3000:]}"
            printed.append(line)
            if line.startswith("XunCha serving"):
                break
        labels = [line.removeprefix("# ").strip() for line in printed if line.startswith("# ")]
        tokens = [m.group(1) for line in printed if (m := TOKEN.match(line))]
        assert labels == [
            "CITY_OFFICE of DEMO-CITY",
            "COUNTY_TEAM of DEMO-A",
            "AUDITOR of DEMO-CITY",
            "ADMIN of DEMO-CITY",
        ]
        assert (data_dir / "jwt-secret").stat().st_mode & 0o777 == 0o600

        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            wait_until_healthy(http, process)
            for label, token in zip(labels, tokens, strict=True):
                answer = http.post(
                    "/graphql",
                    json={"query": "{ tenants { code } }"},
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert answer.status_code == 200
                codes = {t["code"] for t in answer.json()["data"]["tenants"]}
                # the city's roles see the city and its counties; a county team its county
                seen = {"DEMO-A"} if label.startswith("COUNTY_TEAM") else {"DEMO-CITY", "DEMO-A"}
                assert seen <= codes
                assert label.startswith("COUNTY_TEAM") == ("DEMO-CITY" not in codes)
            assert http.post("/graphql", json={"query": "{ tenants { code } }"}).status_code == 401
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
