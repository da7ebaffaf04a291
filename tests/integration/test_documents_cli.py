"""`xuncha documents issue|list|download|verify` from the console: the downloaded file hashes
to what issue printed, and verify exits 1 once a stored document's bytes were altered."""

from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from entrypoints.cli.main import app
from infrastructure.settings import Settings
from services.runtime import Runtime
from tests.integration.test_import_cli import cli_env
from tests.support.documents import build_world


def test_issue_list_download_and_verify_from_the_console(
    runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    world = build_world(runtime)
    env = cli_env(settings)
    runner = CliRunner()

    issued = runner.invoke(
        app,
        ["documents", "issue", "--kind", "FEEDBACK", "--subject", str(world.feedback)],
        env=env,
    )
    assert issued.exit_code == 0, issued.output
    number = f"历巡办〔{world.today.year}〕1号"
    assert issued.output.startswith(number)
    sha256 = issued.output.split("sha256 ")[1].split()[0]

    listed = runner.invoke(app, ["documents", "list", "--kind", "FEEDBACK"], env=env)
    assert listed.exit_code == 0, listed.output
    assert number in listed.output
    assert sha256 in listed.output

    out = tmp_path / "feedback.docx"
    downloaded = runner.invoke(app, ["documents", "download", number, "--out", str(out)], env=env)
    assert downloaded.exit_code == 0, downloaded.output
    assert hashlib.sha256(out.read_bytes()).hexdigest() == sha256

    verified = runner.invoke(app, ["documents", "verify"], env=env)
    assert verified.exit_code == 0, verified.output
    assert "1 documents checked, 1 verified" in verified.output

    with runtime.reads.connection() as conn:
        conn.execute("UPDATE issued_documents SET content = substring(content FROM 2)")
    altered = runner.invoke(app, ["documents", "verify"], env=env)
    assert altered.exit_code == 1
    assert f"ALTERED {number}" in altered.output


def test_a_refused_issue_exits_1_with_the_chinese_sentence(
    runtime: Runtime, settings: Settings
) -> None:
    world = build_world(runtime)
    head = runtime.store.max_position()

    refused = CliRunner().invoke(
        app,
        ["documents", "issue", "--kind", "CLUE_TRANSFER", "--subject", str(world.registered_clue)],
        env=cli_env(settings),
    )

    assert refused.exit_code == 1
    assert "该问题线索尚未移交" in refused.output
    assert runtime.store.max_position() == head
