"""The GraphQL-over-HTTP spec, as the npm `graphql-http` server audit suite checks it, against a
live XunCha (real uvicorn on a loopback port): every MUST and every SHOULD audit passes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from tests.support.auth import TokenMint
from tests.support.live import live_server

GRAPHQL_HTTP = "graphql-http@1.23.1"
GRAPHQL_JS = "graphql@16.11.0"
AUDIT_SCRIPT = Path(__file__).with_name("graphql_http_audit.cjs")
CACHE = Path(os.environ.get("XUNCHA_TEST_CACHE", Path.home() / ".cache" / "xuncha-tests"))


def graphql_http_dir() -> Path:
    """The audit suite, installed once into a cache folder with npm."""
    folder = CACHE / GRAPHQL_HTTP.replace("@", "-")
    if (folder / "node_modules" / "graphql-http" / "package.json").exists():
        return folder
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail("node and npm are needed to run the graphql-http audits", pytrace=False)
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(folder),
            "--no-audit",
            "--no-fund",
            GRAPHQL_HTTP,
            GRAPHQL_JS,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"npm could not install {GRAPHQL_HTTP}:\n{done.stderr}", pytrace=False)
    return folder


@pytest.fixture
def audit_results(app: FastAPI, tokens: TokenMint) -> list[dict[str, Any]]:
    folder = graphql_http_dir()
    with live_server(app) as base_url:
        env = {
            **os.environ,
            "GRAPHQL_HTTP_DIR": str(folder),
            "XUNCHA_AUDIT_URL": f"{base_url}/graphql",
            "XUNCHA_AUDIT_TOKEN": tokens.token(),
        }
        done = subprocess.run(
            ["node", str(AUDIT_SCRIPT)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def test_every_must_and_should_audit_of_graphql_http_passes(
    audit_results: list[dict[str, Any]],
) -> None:
    required = [r for r in audit_results if r["name"].startswith(("MUST", "SHOULD"))]
    assert len(required) > 30  # the suite ran in full
    failed = [f"{r['id']} {r['name']}: {r['reason']}" for r in required if r["status"] != "ok"]
    assert failed == []
