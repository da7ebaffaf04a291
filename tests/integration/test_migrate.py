"""`xuncha migrate`: sets up every table once, changes nothing when run again, and rebuilds a
projection whose DDL changed (blue/green) with its data intact while reads go on answering."""

from __future__ import annotations

from typing import Any

import psycopg
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from entrypoints.cli.main import app
from entrypoints.http.app import create_app
from infrastructure.settings import Settings
from projections import tracking
from projections.directory import Directory
from projections.registry import all_projections
from services.runtime import Runtime, running
from tests.support.auth import TokenMint
from tests.support.graphql import GraphQL, register_city_with_village
from tests.support.read_models import read_model_columns, read_model_rows

TENANTS = "{ tenants { id code } }"
TABLES = (
    "SELECT c.relname, c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1"
)
DIGESTS = "SELECT projection, ddl_hash, installed_at FROM projection_schema ORDER BY 1"


class DirectoryWithNotes(Directory):
    """The directory as a later version might declare it: one more column on a table."""

    ddl = Directory.ddl + "\nALTER TABLE rm_tenants ADD COLUMN IF NOT EXISTS note text;\n"


def schema_state(url: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every table (with its OID, so a re-created one shows) and every recorded digest."""
    with psycopg.connect(url) as conn:
        return conn.execute(TABLES).fetchall(), conn.execute(DIGESTS).fetchall()


def fill(runtime: Runtime) -> dict[str, str]:
    with TestClient(create_app(runtime), headers=TokenMint.of(runtime.settings).headers()) as http:
        ids = register_city_with_village(GraphQL(http))
    runtime.wait_for_projections(runtime.store.max_position())
    return ids


def tenants_read(runtime: Runtime) -> list[dict[str, str]]:
    with TestClient(create_app(runtime), headers=TokenMint.of(runtime.settings).headers()) as http:
        tenants: list[dict[str, str]] = GraphQL(http).data(TENANTS)["tenants"]
    return sorted(tenants, key=lambda t: t["code"])


def test_migrate_sets_up_every_table_and_the_second_run_changes_nothing(
    settings: Settings,
) -> None:
    env = {"XUNCHA_DATABASE_URL": settings.database_url, "XUNCHA_DATA_DIR": str(settings.data_dir)}

    first = CliRunner().invoke(app, ["migrate"], env=env)
    assert first.exit_code == 0, first.output
    assert settings.database_url
    before = schema_state(settings.database_url)
    second = CliRunner().invoke(app, ["migrate"], env=env)

    assert second.exit_code == 0, second.output
    assert "rebuilt" not in second.output
    assert schema_state(settings.database_url) == before
    tables = {name for name, _ in before[0]}
    assert {
        "informant_keys",
        "relay_position",
        "submission_results",
        "projection_tracking",
        "xuncha_events",
    } <= tables
    assert {t for p in all_projections() for t in p.tables} <= tables
    recorded = {name: digest for name, digest, _ in before[1]}
    assert recorded == {p.name: tracking.ddl_hash(p) for p in all_projections()}


def test_a_changed_projection_schema_is_rebuilt_with_its_data_intact(settings: Settings) -> None:
    assert settings.database_url
    with running(settings, migrate=True) as runtime:
        ids = fill(runtime)
        read_before = tenants_read(runtime)
    columns = read_model_columns(settings.database_url)
    rows_before = read_model_rows(settings.database_url)
    changed = [DirectoryWithNotes() if p.name == "directory" else p for p in all_projections()]

    with running(settings, projections=changed, migrate=True) as runtime:
        assert runtime.migrated is not None
        assert [r.projection for r in runtime.migrated.rebuilt] == ["directory"]
        assert read_model_columns(settings.database_url)["rm_tenants"][-1] == "note"
        assert read_model_rows(settings.database_url, columns) == rows_before
        assert tenants_read(runtime) == read_before
        assert {t["id"] for t in read_before} >= {ids["city"], ids["county"]}
    with running(settings, projections=changed, migrate=True) as runtime:
        assert runtime.migrated is not None
        assert runtime.migrated.rebuilt == []


def test_a_process_that_does_not_migrate_leaves_a_changed_projection_as_it_is(
    settings: Settings,
) -> None:
    assert settings.database_url
    with running(settings, migrate=True) as runtime:
        fill(runtime)
    changed = [DirectoryWithNotes() if p.name == "directory" else p for p in all_projections()]

    with running(settings, projections=changed, feed=False):
        columns = read_model_columns(settings.database_url)["rm_tenants"]

    assert "note" not in columns
    with psycopg.connect(settings.database_url) as conn:
        assert tracking.installed_hash(conn, "directory") == tracking.ddl_hash(Directory())


def test_a_database_from_before_digests_were_kept_has_every_projection_rebuilt(
    settings: Settings,
) -> None:
    """Tables made by an earlier version, of unknown DDL: migrate rebuilds them all, once."""
    assert settings.database_url
    with running(settings, migrate=True) as runtime:
        fill(runtime)
        read_before = tenants_read(runtime)
    rows_before = read_model_rows(settings.database_url)
    with psycopg.connect(settings.database_url) as conn:
        conn.execute("DELETE FROM projection_schema")

    with running(settings, migrate=True) as runtime:
        assert runtime.migrated is not None
        rebuilt = {r.projection for r in runtime.migrated.rebuilt}
        assert tenants_read(runtime) == read_before

    assert rebuilt == {p.name for p in all_projections()}
    assert read_model_rows(settings.database_url) == rows_before
