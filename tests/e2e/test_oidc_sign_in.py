"""Signing in through an OpenID Connect provider (authorization code with PKCE): the person the
provider vouches for is signed in as the XunCha account of that name, with the same session
cookies and an audited SignedIn event marked OIDC; a name with no account, or a callback that
answers another attempt, signs no one in."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from fastapi.testclient import TestClient

from domain.accounts.account import Account, account_id_for
from domain.context import acting_as
from domain.tenants.tenant import TenantLevel
from entrypoints.http.app import create_app
from entrypoints.http.web_session import SESSION_COOKIE
from infrastructure.settings import Settings
from services.authorization import CONSOLE
from services.runtime import Runtime, running
from tests.support.live import live_server
from tests.support.oidc_provider import CLIENT_ID, LoopbackProvider


@pytest.fixture
def provider() -> Iterator[LoopbackProvider]:
    made = LoopbackProvider()
    with live_server(made.app()) as url:
        made.issuer = url
        yield made


@pytest.fixture
def oidc_runtime(settings: Settings, provider: LoopbackProvider) -> Iterator[Runtime]:
    configured = settings.model_copy(
        update={"oidc_issuer": provider.issuer, "oidc_client_id": CLIENT_ID}
    )
    with running(configured) as runtime, acting_as("console"):
        city = runtime.tenants.register_tenant(
            code="3701", name="济南市", level=TenantLevel.CITY, parent_id=None, acting=CONSOLE
        ).id
        runtime.accounts.open_account(
            tenant_id=city,
            username="zhou",
            display_name="周",
            role="CITY_OFFICE",
            initial_password="initial-password-1",
            acting=CONSOLE,
        )
        yield runtime


def through_the_provider(http: TestClient, login_hint: str) -> httpx.Response:
    """Start at XunCha, let the provider sign `login_hint` in, come back to XunCha."""
    start = http.get("/session/oidc", follow_redirects=False)
    assert start.status_code == 302
    to_provider = start.headers["location"]
    assert parse_qs(urlparse(to_provider).query)["code_challenge_method"] == ["S256"]
    back = httpx.get(f"{to_provider}&login_hint={login_hint}", follow_redirects=False)
    assert back.status_code in (302, 307)
    callback = urlparse(back.headers["location"])
    return http.get(f"{callback.path}?{callback.query}", follow_redirects=False)


def test_the_provider_vouches_and_xuncha_signs_in_the_account_of_that_name(
    oidc_runtime: Runtime, provider: LoopbackProvider
) -> None:
    with TestClient(create_app(oidc_runtime)) as http:
        assert http.get("/session/options").json() == {"oidc": True}
        done = through_the_provider(http, "zhou")
        assert done.status_code == 303
        assert done.headers["location"] == "/app/"
        assert http.cookies.get(SESSION_COOKIE)
        who = http.get("/session").json()
    assert (who["username"], who["role"], who["displayName"]) == ("zhou", "CITY_OFFICE", "周")
    assert provider.exchanged == ["zhou"]
    account = oidc_runtime.store.load(Account, account_id_for("zhou"), what="account")
    signed_in = oidc_runtime.store.mapper.to_domain_event(
        oidc_runtime.store.events_of([account.id])[-1]
    )
    assert isinstance(signed_in, Account.SignedIn)
    assert signed_in.method == "OIDC"


def test_a_name_without_an_account_is_not_signed_in(
    oidc_runtime: Runtime, provider: LoopbackProvider
) -> None:
    with TestClient(create_app(oidc_runtime)) as http:
        refused = through_the_provider(http, "stranger")
        assert refused.status_code == 401
        assert not http.cookies.get(SESSION_COOKIE)
    assert provider.exchanged == ["stranger"]


def test_a_callback_for_another_attempt_is_refused(oidc_runtime: Runtime) -> None:
    with TestClient(create_app(oidc_runtime)) as http:
        http.get("/session/oidc", follow_redirects=False)
        forged = http.get(
            "/session/oidc/callback",
            params={"code": "x", "state": "another"},
            follow_redirects=False,
        )
    assert forged.status_code == 401
    assert not http.cookies.get(SESSION_COOKIE)
