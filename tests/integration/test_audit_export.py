"""`xuncha audit export`: a tenant's events as JSON Lines that a third party verifies with the
documented hashing rule alone. The verifier below is deliberately written from docs/AUDIT.md
with nothing but hashlib and json: it imports no XunCha code."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from typer.testing import CliRunner, Result

from domain.tenants.tenant import TenantLevel
from entrypoints.cli.main import app
from infrastructure.settings import Settings
from services.authorization import CONSOLE
from services.clock import today_in_china
from services.runtime import Runtime
from tests.support.notebook import notebook

GENESIS = "0" * 64


def independently_verified(lines: list[dict[str, Any]]) -> list[str]:
    """What a third party finds wrong with an export, following docs/AUDIT.md."""
    problems: list[str] = []
    heads: dict[str, tuple[int, str]] = {}
    for line in lines:
        record = line["record"]
        text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest != line["hash"]:
            problems.append(f"{line['stream_id']} v{line['version']}: hash")
        if (record["stream_id"], record["version"], record["type"]) != (
            line["stream_id"],
            line["version"],
            line["type"],
        ):
            problems.append(f"{line['stream_id']} v{line['version']}: envelope")
        previous = heads.get(line["stream_id"])
        if previous is None and line["version"] == 1 and record["prev_hash"] != GENESIS:
            problems.append(f"{line['stream_id']} v1: genesis")
        if previous is not None:
            if line["version"] != previous[0] + 1:
                problems.append(f"{line['stream_id']} v{line['version']}: gap")
            elif record["prev_hash"] != previous[1]:
                problems.append(f"{line['stream_id']} v{line['version']}: chain")
        heads[line["stream_id"]] = (line["version"], digest)
    return problems


def run_export(settings: Settings, output: Path, *args: str) -> Result:
    env = {"XUNCHA_DATABASE_URL": settings.database_url or "", "XUNCHA_AUDIT_KEY": "k" * 32}
    return CliRunner().invoke(app, ["audit", "export", *args, "--output", str(output)], env=env)


def export(settings: Settings, tmp_path: Path, *args: str) -> list[dict[str, Any]]:
    output = tmp_path / f"export-{uuid4().hex}.jsonl"
    result = run_export(settings, output, *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]


def office(runtime: Runtime, code: str, name: str) -> UUID:
    """A city office: its own registration is the first event of its export."""
    return runtime.tenants.register_tenant(
        code=code, name=name, level=TenantLevel.CITY, parent_id=None, acting=CONSOLE
    ).id


def test_an_export_verifies_with_the_documented_rule_alone(
    runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    ours, theirs = office(runtime, "3701", "济南市"), office(runtime, "3702", "青岛市")
    book = notebook(ours, 3, title="甲村账册")
    book.retitle("甲村账册（更正）", reason="名称笔误")
    runtime.store.record(book, notebook(ours, 1), notebook(theirs, 2))

    lines = export(settings, tmp_path, "--tenant", "3701")  # by code

    assert len(lines) == 1 + 5 + 2  # the other tenant's four events are not exported
    assert lines[0]["type"] == "domain.tenants.tenant:Tenant.Registered"
    assert {line["record"]["tenant_id"] for line in lines} == {str(ours)}
    assert independently_verified(lines) == []
    newest = [line for line in lines if line["stream_id"] == str(book.id)][-1]
    assert newest["record"]["reason"] == "名称笔误"
    assert newest["hash"] == book.head_hash  # the hash the live chain continues from
    # beside the hashed record: the date on the document and when the database recorded it
    for line in lines:
        stamped = datetime.fromisoformat(line["record"]["timestamp"])
        recorded = datetime.fromisoformat(line["recorded_at"])
        assert stamped <= recorded < stamped + timedelta(seconds=30)
        assert line["recorded_at"].endswith("+08:00")  # as offices read the time
        china = stamped.astimezone(timezone(timedelta(hours=8))).date()
        assert line["occurred_on"] == china.isoformat()  # none of these has a document date


def test_an_export_altered_after_the_fact_fails_independent_verification(
    runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    tenant = office(runtime, "3701", "济南市")
    runtime.store.record(notebook(tenant, 2))
    lines = export(settings, tmp_path, "--tenant", str(tenant))

    lines[2]["record"]["text"] = "note one"

    assert independently_verified(lines) == [
        f"{lines[2]['stream_id']} v2: hash",
        f"{lines[2]['stream_id']} v3: chain",
    ]


def test_an_export_since_a_date_leaves_out_older_events(
    runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    tenant = office(runtime, "3701", "济南市")
    runtime.store.record(notebook(tenant, 1))
    today = today_in_china()  # --since is a day as offices count it

    assert len(export(settings, tmp_path, "--tenant", str(tenant), "--since", str(today))) == 3
    tomorrow = today + timedelta(days=1)
    assert export(settings, tmp_path, "--tenant", str(tenant), "--since", str(tomorrow)) == []


def test_an_unknown_tenant_is_refused(settings: Settings, tmp_path: Path) -> None:
    result = run_export(settings, tmp_path / "none.jsonl", "--tenant", "9999")

    assert result.exit_code == 2
    assert "No tenant with id or code 9999" in result.output
