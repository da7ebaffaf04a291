"""Clients of the API over a FastAPI TestClient. `gql` calls as an ADMIN (the default test
caller); `gql_as(role, tenant_id, …)` calls as anyone else; `tokens` mints bearer tokens."""

from collections.abc import Callable, Iterator
from uuid import UUID

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, sync_playwright

from entrypoints.http.app import create_app
from infrastructure.auth import Role
from services.runtime import Runtime
from tests.support.auth import TokenMint
from tests.support.browser import CHROMIUM_ARGS, chromium
from tests.support.graphql import GraphQL

GraphQLAs = Callable[..., GraphQL]


@pytest.fixture
def tokens(runtime: Runtime) -> TokenMint:
    return TokenMint.of(runtime.settings)


@pytest.fixture
def app(runtime: Runtime) -> FastAPI:
    return create_app(runtime)


@pytest.fixture
def gql(app: FastAPI, tokens: TokenMint) -> Iterator[GraphQL]:
    with TestClient(app, headers=tokens.headers()) as http:
        yield GraphQL(http)


@pytest.fixture
def gql_as(app: FastAPI, tokens: TokenMint) -> Iterator[GraphQLAs]:
    """`gql_as(Role.COUNTY_TEAM, county_id, subject="li", clearance=False)`."""
    clients: list[TestClient] = []

    def client(
        role: Role,
        tenant_id: UUID | str,
        *,
        subject: str = "someone",
        clearance: bool = False,
        data_clearance: bool = False,
    ) -> GraphQL:
        headers = tokens.headers(
            role,
            tenant_id,
            subject=subject,
            informant_clearance=clearance,
            data_clearance=data_clearance,
        )
        http = TestClient(app, headers=headers)
        clients.append(http)
        return GraphQL(http)

    yield client
    for http in clients:
        http.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright, for one test module. Playwright's
    synchronous API allows one driver at a time and holds the thread's event loop while it
    runs, so it stops when the module's tests are done."""
    executable = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
