"""GraphiQL at /graphql for browsers, with every script and style served by XunCha itself from
installed packages: shown working in a real headless Chromium that may reach nothing but the
server under test."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Route

from tests.support.auth import TokenMint
from tests.support.graphql import GraphQL, register_city_with_village
from tests.support.live import live_server

BROWSER_HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def test_a_browser_gets_graphiql_without_a_token_and_its_assets_locally(app: FastAPI) -> None:
    with TestClient(app) as http:
        page = http.get("/graphql", headers=BROWSER_HTML)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert sources, page.text
        assert all(s.startswith("/graphql/assets/") for s in sources), sources
        for source in sources:
            asset = http.get(source)
            assert asset.status_code == 200, source
            assert len(asset.content) > 1_000


def test_graphiql_asks_for_a_token_before_it_shows_any_data(app: FastAPI) -> None:
    with TestClient(app) as http:
        response = http.get("/graphql", params={"query": "{ tenants { id } }"})
    assert response.status_code == 401


def test_graphiql_runs_a_query_in_headless_chromium(
    app: FastAPI, gql: GraphQL, tokens: TokenMint, browser: Browser, tmp_path: Path
) -> None:
    register_city_with_village(gql)
    outside: list[str] = []
    console: list[str] = []

    with live_server(app) as base_url:

        def only_the_server(route: Route) -> None:
            if route.request.url.startswith(base_url):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context = browser.new_context()
        try:
            context.route("**/*", only_the_server)
            # What a person would paste into the headers editor, persisted by GraphiQL.
            header = f'{{"Authorization": "Bearer {tokens.token()}"}}'
            context.add_init_script(f"localStorage.setItem('graphiql:headers', {header!r});")
            page = context.new_page()
            page.on("console", lambda message: console.append(message.text))
            page.goto(f"{base_url}/graphql")
            page.wait_for_selector(".graphiql-container", timeout=30_000)
            page.click(".graphiql-execute-button")
            response = page.locator(".graphiql-response")
            response.get_by_text('"3701"').wait_for(timeout=30_000)
            page.screenshot(path=str(tmp_path / "graphiql.png"))
            shown = response.inner_text()
        finally:
            context.close()

    assert "济南市" in shown
    assert outside == []
    assert not [m for m in console if "Content Security Policy" in m], console
