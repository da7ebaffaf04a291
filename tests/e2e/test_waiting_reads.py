"""Reads that wait for their own writes are bounded per caller and overall, so a crowd of
them cannot hold the server: over a bound a read answers STALE at once, and a read that does
not wait is answered while the others still wait. The log feed stops here, so the read models
never reach the position asked for and every read with it waits its full time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from domain.tenants.tenant import TenantLevel
from entrypoints.http.app import create_app
from infrastructure.auth import Role
from infrastructure.settings import Settings
from services.authorization import CONSOLE
from services.runtime import Runtime, running
from tests.support.auth import DEFAULT_TENANT, TokenMint

TENANTS = "query($minPosition: BigInt) { tenants(minPosition: $minPosition) { code } }"


@pytest.fixture
def still(settings: Settings) -> Iterator[Runtime]:
    """A runtime whose read models stand still after the city: the county registered next is
    never projected, as its feed has stopped."""
    with running(settings) as runtime:
        city = runtime.tenants.register_tenant(
            acting=CONSOLE, code="3701", name="济南市", level=TenantLevel.CITY, parent_id=None
        )
        runtime.wait_for_projections(city.position)
        runtime.feed.stop()
        runtime.tenants.register_tenant(
            acting=CONSOLE,
            code="370102",
            name="历下区",
            level=TenantLevel.COUNTY,
            parent_id=city.id,
        )
        yield runtime


def ask(runtime: Runtime, subject: str, min_position: int | None) -> dict[str, Any]:
    headers = TokenMint.of(runtime.settings).headers(Role.ADMIN, subject=subject)
    with TestClient(create_app(runtime), headers=headers) as http:
        answer = http.post(
            "/graphql", json={"query": TENANTS, "variables": {"minPosition": min_position}}
        )
    body: dict[str, Any] = answer.json()
    return body


def waiting_in_background(runtime: Runtime, subject: str) -> threading.Thread:
    """A read of `subject` for the head of the log, waiting in a thread until admitted."""
    caller = f"{DEFAULT_TENANT}:{subject}"
    thread = threading.Thread(target=ask, args=(runtime, subject, runtime.store.max_position()))
    thread.start()
    until(lambda: runtime.waiting.of(caller) == 1)
    return thread


def until(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("the read never started waiting")


def stale_message(body: dict[str, Any]) -> str:
    error = body["errors"][0]
    assert error["extensions"]["code"] == "STALE"
    return str(error["message"])


@pytest.mark.settings(read_wait_seconds=3, max_waiting_reads=5, max_waiting_reads_per_caller=1)
def test_a_caller_waits_for_one_read_at_a_time(still: Runtime) -> None:
    first = waiting_in_background(still, "li")

    again = ask(still, "li", still.store.max_position())
    other = ask(still, "wang", None)

    assert "Too many of your reads" in stale_message(again)
    assert first.is_alive()  # the first read still waits
    assert other["data"]["tenants"] == [{"code": "3701"}]
    first.join()


@pytest.mark.settings(read_wait_seconds=3, max_waiting_reads=2, max_waiting_reads_per_caller=1)
def test_reads_wait_up_to_a_bound_overall_and_the_others_are_still_answered(
    still: Runtime,
) -> None:
    waiting = [waiting_in_background(still, subject) for subject in ("li", "wang")]

    third = ask(still, "zhao", still.store.max_position())
    plain = ask(still, "zhou", None)

    assert "Too many reads" in stale_message(third)
    assert all(thread.is_alive() for thread in waiting)
    assert plain["data"]["tenants"] == [{"code": "3701"}]
    for thread in waiting:
        thread.join()
