"""`xuncha token issue`: a token for a registered office, in the roles as the API names them;
none for an office this deployment does not know."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from domain.context import acting_as
from domain.tenants.tenant import TenantLevel, tenant_id_for
from entrypoints.cli.token import app as token_cli
from infrastructure.auth import Principal, Role, authenticator_for
from infrastructure.settings import Settings
from services.authorization import DEPLOYMENT_TENANT, Acting
from services.runtime import Runtime


@pytest.fixture
def env(settings: Settings, runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("XUNCHA_DATABASE_URL", settings.database_url or "")
    monkeypatch.setenv("XUNCHA_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("XUNCHA_JWT_SECRET", raising=False)
    with acting_as("deployment-admin"):
        runtime.tenants.register_tenant(
            code="3701",
            name="济南市",
            level=TenantLevel.CITY,
            parent_id=None,
            acting=Acting(role="ADMIN", tenant_id=DEPLOYMENT_TENANT),
        )
    return settings


def test_a_token_is_minted_for_a_registered_office_by_its_code(env: Settings) -> None:
    result = CliRunner().invoke(
        token_cli, ["issue", "--tenant", "3701", "--role", "county_team", "--sub", "li"]
    )

    assert result.exit_code == 0, result.output
    principal = authenticator_for(env).principal_of(result.output.strip())
    assert principal == Principal("li", tenant_id_for("3701"), Role.COUNTY_TEAM)


def test_no_token_is_minted_for_an_office_that_does_not_exist(env: Settings) -> None:
    result = CliRunner().invoke(token_cli, ["issue", "--tenant", "3799", "--role", "ADMIN"])

    assert result.exit_code == 2
    assert "No office '3799' is registered here" in result.output
    assert "eyJ" not in result.output  # no token printed


def test_the_roles_are_offered_as_the_api_names_them(env: Settings) -> None:
    wide = {"COLUMNS": "200", "TERMINAL_WIDTH": "200"}
    result = CliRunner().invoke(token_cli, ["issue", "--help"], env=wide)

    assert "CITY_OFFICE|COUNTY_TEAM|AUDITOR|ADMIN" in result.output
