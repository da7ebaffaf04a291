"""The web app in a real browser: Playwright drives Debian's headless Chromium against XunCha
served on loopback with the demo city loaded, and may reach nothing but that server. Each test
keeps a screenshot of every page it visits under test-artifacts/web/ (git-ignored)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, ViewportSize

from entrypoints.http.app import create_app
from entrypoints.http.webapp import ensure_packages
from services.demo import DEMO_PASSWORD, load_demo
from services.runtime import Runtime
from tests.support.live import live_server

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "web"
DESKTOP: ViewportSize = {"width": 1280, "height": 800}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keeps each phase's report on the test, so a failed test's page is kept as a screenshot."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def base_url(runtime: Runtime) -> Iterator[str]:
    assert ensure_packages(), "the web app's npm packages could not be installed (npm ci)"
    load_demo(runtime)
    runtime.wait_for_projections(runtime.store.max_position())
    with live_server(create_app(runtime)) as url:
        yield url


class WebPage:
    """A page of the app as one person sees it, with the screenshots it keeps."""

    def __init__(self, page: Page, base_url: str, who: str) -> None:
        self.page = page
        self.base_url = base_url
        self.who = who
        self.outside: list[str] = []
        self.errors: list[str] = []

    def open(self, route: str = "") -> Page:
        """The page loaded afresh at `route` (a new document, not only a new address)."""
        self.page.goto(f"{self.base_url}/app/?at={route}#/{route}")
        return self.page

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.open()
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码", exact=True).fill(password)
        self.page.get_by_role("button", name="登录").click()

    def note(self, line: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        with (ARTIFACTS / "measurements.txt").open("a", encoding="utf-8") as notes:
            notes.write(f"{self.who}: {line}\n")

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.who}-{name}.png"), full_page=True)


@pytest.fixture
def web(browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[WebPage]:
    context = browser.new_context(
        viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True
    )
    web_page = WebPage(context.new_page(), base_url, request.node.name.removeprefix("test_"))

    def only_the_server(route: Route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            web_page.outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    web_page.page.on("pageerror", lambda error: web_page.errors.append(str(error)))
    web_page.page.set_default_timeout(15_000)
    yield web_page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        web_page.shot("failed")
    context.close()
    assert web_page.outside == []
    assert web_page.errors == []
