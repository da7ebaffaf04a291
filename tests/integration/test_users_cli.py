"""`xuncha users add|import`: accounts opened at the console, each with an initial password the
person must change; an import opens the good rows and names each refused row's reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from domain.accounts.account import Account, account_id_for
from domain.context import acting_as
from domain.errors import RuleViolation
from domain.tenants.tenant import TenantLevel, tenant_id_for
from entrypoints.cli.users import app as users_cli
from infrastructure.settings import Settings
from services.authorization import CONSOLE
from services.runtime import Runtime


@pytest.fixture
def env(settings: Settings, runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("XUNCHA_DATABASE_URL", settings.database_url or "")
    monkeypatch.setenv("XUNCHA_DATA_DIR", str(settings.data_dir))
    with acting_as("console"):
        runtime.tenants.register_tenant(
            code="3701", name="济南市", level=TenantLevel.CITY, parent_id=None, acting=CONSOLE
        )
    return settings


def test_an_account_added_at_the_console_must_change_its_password_first(
    env: Settings, runtime: Runtime
) -> None:
    args = ["add", "--tenant", "3701", "--username", "Zhao", "--name", "赵", "--role", "auditor"]
    result = CliRunner().invoke(users_cli, args, input="initial-password-1\n" * 2)

    assert result.exit_code == 0, result.output
    account = runtime.store.load(Account, account_id_for("zhao"), what="account")
    assert (account.role, account.tenant_id) == ("AUDITOR", tenant_id_for("3701"))
    assert "initial-password-1" not in account.password_hash
    with pytest.raises(RuleViolation, match="initial password"):
        runtime.accounts.sign_in("zhao", "initial-password-1")


def test_an_import_opens_the_good_rows_and_names_the_refused_ones(
    env: Settings, runtime: Runtime, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["用户名", "姓名", "机构", "角色", "初始密码"])
    sheet.append(["qian", "钱", "3701", "CITY_OFFICE", "initial-password-1"])
    sheet.append(["sun", "孙", "3799", "ADMIN", "initial-password-1"])  # no such office
    sheet.append(["li", "李", "3701", "ADMIN", "short"])
    path = tmp_path / "users.xlsx"
    book.save(path)

    result = CliRunner().invoke(users_cli, ["import", str(path)])

    assert result.exit_code == 1
    assert "1 accounts opened, 2 rows refused" in result.output
    assert "row 3" in result.output
    assert "row 4 initialPassword: A password needs at least 10 characters" in result.output
    assert runtime.store.exists(account_id_for("qian"))
    assert not runtime.store.exists(account_id_for("sun"))
    assert not runtime.store.exists(account_id_for("li"))
