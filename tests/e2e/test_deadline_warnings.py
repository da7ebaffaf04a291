"""Deadline warnings (超期预警) raised once per (item, step, level) and delivered from the
outbox to the office's group robot — a real local HTTP server that fails and then recovers —
each exactly once in effect, with retries; the channel is set by the `setWarningChannel`
command, which refuses a bad address and records nothing then."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from entrypoints.cli.main import app
from entrypoints.http.app import create_app
from infrastructure.settings import Settings
from services import deadline_warnings
from services.runtime import Runtime
from services.warning_sender import Backoff, SendPass, WarningSender
from tests.e2e.clue_support import LIFECYCLE
from tests.e2e.conftest import GraphQLAs
from tests.support.deadlines import (
    SET_WARNING_CHANNEL,
    TODAY,
    DeadlineScenario,
    seed_deadlines,
)
from tests.support.graphql import GraphQL
from tests.support.robot import Robot, running_robot

SUPERVISE = LIFECYCLE["superviseClue"]
QUICK = Backoff(first_seconds=0.05, max_seconds=0.2)


@pytest.fixture
def scenario(gql: GraphQL, gql_as: GraphQLAs, runtime: Runtime) -> DeadlineScenario:
    return seed_deadlines(gql, gql_as, runtime)


@pytest.fixture
def robot() -> Iterator[Robot]:
    with running_robot(Robot(failures=2)) as started:
        yield started


def set_channel(gql: GraphQL, tenant: str, kind: str, url: str) -> dict[str, Any]:
    variables = {"input": {"tenantId": tenant, "kind": kind, "url": url}}
    return gql.execute(SET_WARNING_CHANNEL, variables)


def check(runtime: Runtime, today: date = TODAY) -> deadline_warnings.Check:
    position = runtime.store.max_position()
    runtime.wait_for_projections(position)
    return deadline_warnings.check(
        runtime.reads,
        runtime.calendar,
        today=today,
        within_working_days=3,
        statement_timeout_ms=runtime.settings.read_statement_timeout_ms,
    )


def sender(runtime: Runtime) -> WarningSender:
    return WarningSender(runtime.reads, runtime.configuration.warning_channel, backoff=QUICK)


def delivered_at_once(
    gql: GraphQL, runtime: Runtime, scenario: DeadlineScenario, robot: Robot, kind: str
) -> SendPass:
    """历下's warnings raised and sent to a robot that takes them at the first attempt."""
    set_channel(gql, scenario.ids["lixia"], kind, robot.url)
    robot.failures = 0
    check(runtime)
    return sender(runtime).send_due()


def test_every_warning_arrives_once_after_the_robot_recovers(
    gql: GraphQL, runtime: Runtime, scenario: DeadlineScenario, robot: Robot
) -> None:
    assert "errors" not in set_channel(gql, scenario.ids["lixia"], "WECOM", robot.url)
    raised = check(runtime)
    assert raised.due == 6  # 历下's five and 市中's T5
    assert len(raised.raised) == 6

    done = sender(runtime).send_until_done(within_seconds=10)

    assert set(robot.delivered) <= {str(w) for w in raised.raised}
    assert len(robot.delivered) == 5  # each of 历下's warnings, once
    assert len(robot.requests) == 5 + 2  # the two refused were tried again
    assert len(done.failed) == 2
    assert done.no_channel == {UUID(scenario.ids["shizhong"])}
    assert done.waiting == 1  # 市中 has no channel: its warning waits for one
    body = next(iter(robot.delivered.values()))
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["content"].startswith("### 超期预警")


def test_a_second_check_raises_nothing_and_sends_nothing_again(
    gql: GraphQL, runtime: Runtime, scenario: DeadlineScenario, robot: Robot
) -> None:
    set_channel(gql, scenario.ids["lixia"], "WECOM", robot.url)
    check(runtime)
    sender(runtime).send_until_done(within_seconds=10)
    requests = len(robot.requests)

    again = check(runtime)
    assert again.due == 6
    assert again.raised == []
    assert sender(runtime).send_due().sent == []
    assert len(robot.requests) == requests


def test_a_new_level_or_step_is_a_new_warning(
    gql: GraphQL, runtime: Runtime, scenario: DeadlineScenario
) -> None:
    check(runtime)
    next_monday = check(runtime, date(2026, 11, 23))
    # C_TODAY is now overdue; C_LATER (Thursday) now due within three working days
    assert sorted(scenario.name_of(_item_of(runtime, w)) for w in next_monday.raised) == [
        "C_LATER",
        "C_TODAY",
    ]

    fields = {"clueId": scenario.clues["C_SOON"], "step": "REMINDER", "occurredOn": "2026-11-23"}
    gql.data(SUPERVISE, {"input": fields})
    supervised = check(runtime, date(2026, 11, 23))
    assert [scenario.name_of(_item_of(runtime, w)) for w in supervised.raised] == ["C_SOON"]


def test_the_message_says_what_is_overdue_in_the_robots_format(
    gql: GraphQL, runtime: Runtime, scenario: DeadlineScenario, robot: Robot
) -> None:
    delivered_at_once(gql, runtime, scenario, robot, "DINGTALK")

    texts = [b["markdown"] for b in robot.delivered.values()]
    assert all(t["title"] == "超期预警" for t in texts)
    overdue = next(t["text"] for t in texts if "C_OVERDUE" in t["text"])
    assert overdue == (
        "### 超期预警（已超期）\n"
        "> 事项：问题线索\n"
        "> 内容：C_OVERDUE：村集体土地流转收入未入账\n"
        "> 期限：2026-11-18（已超期 2 个工作日）\n"
        "> 环节：已移交"
    )
    withheld = next(t["text"] for t in texts if "整改任务" in t["text"])  # T3: 立案调查中
    assert "退缴违规费用" not in withheld
    assert deadline_warnings.WITHHELD_TITLE in withheld


def test_a_resend_after_a_crash_carries_the_same_key(
    gql: GraphQL, runtime: Runtime, scenario: DeadlineScenario, robot: Robot
) -> None:
    first = delivered_at_once(gql, runtime, scenario, robot, "WECOM")
    with runtime.reads.connection() as conn:  # as if the sender died before marking one sent
        conn.execute(
            "UPDATE warning_outbox SET sent_at = NULL WHERE warning_id = %s", [first.sent[0]]
        )

    again = sender(runtime).send_due()

    assert again.sent == [first.sent[0]]
    keys = [key for key, _ in robot.requests]
    assert keys.count(str(first.sent[0])) == 2
    assert len(robot.delivered) == 5  # the receiver kept one of the two


def test_two_senders_at_once_never_send_the_same_warning(
    gql: GraphQL, runtime: Runtime, scenario: DeadlineScenario
) -> None:
    with running_robot(Robot(delay_seconds=0.2)) as slow:
        set_channel(gql, scenario.ids["lixia"], "WECOM", slow.url)
        check(runtime)
        passes: list[SendPass] = []

        def send() -> None:
            passes.append(sender(runtime).send_due())

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert len(passes) == 2  # neither failed
    sent = [set(p.sent) for p in passes]
    assert len(slow.requests) == 5
    assert len({key for key, _ in slow.requests}) == 5
    assert sent[0].isdisjoint(sent[1])
    assert len(sent[0] | sent[1]) == 5
    assert all(sent)  # both worked at once, each on rows the other had not claimed


def test_the_webhook_address_is_never_logged(
    gql: GraphQL,
    runtime: Runtime,
    scenario: DeadlineScenario,
    robot: Robot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    set_channel(gql, scenario.ids["lixia"], "WECOM", robot.url)
    check(runtime)
    sender(runtime).send_until_done(within_seconds=10)
    assert "SECRET-KEY" not in caplog.text
    assert "not delivered (HTTP 500)" in caplog.text


@pytest.mark.parametrize(
    "url", ["ftp://example.com/hook", "qyapi.weixin.qq.com/cgi-bin/webhook", "https://", " "]
)
def test_a_bad_webhook_address_is_refused_and_records_nothing(
    gql: GraphQL, runtime: Runtime, scenario: DeadlineScenario, url: str
) -> None:
    before = runtime.store.max_position()
    body = set_channel(gql, scenario.ids["lixia"], "WECOM", url)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "url"
    assert runtime.store.max_position() == before
    assert runtime.configuration.warning_channel(UUID(scenario.ids["lixia"])) is None


def _item_of(runtime: Runtime, warning_id: UUID) -> str:
    with runtime.reads.connection() as conn:
        found = conn.execute(
            "SELECT item_id FROM deadline_warnings WHERE warning_id = %s", [warning_id]
        ).fetchone()
    assert found is not None
    return str(found[0])


def test_the_commands_raise_once_and_deliver(
    gql: GraphQL, settings: Settings, scenario: DeadlineScenario, robot: Robot
) -> None:
    set_channel(gql, scenario.ids["lixia"], "WECOM", robot.url)
    robot.failures = 0
    env = {
        "XUNCHA_DATABASE_URL": settings.database_url or "",
        "XUNCHA_DATA_DIR": str(settings.data_dir),
    }
    warn = ["deadlines", "warn", "--today", TODAY.isoformat()]

    first = CliRunner().invoke(app, warn, env=env)
    second = CliRunner().invoke(app, warn, env=env)
    sent = CliRunner().invoke(app, ["deadlines", "send"], env=env)

    assert first.exit_code == 0, first.output
    assert "6 items due within 3 working days or overdue; 6 new warnings raised" in first.output
    assert "0 new warnings raised" in second.output
    assert sent.exit_code == 0, sent.output
    assert "5 warnings delivered, 0 failed attempts" in sent.output
    assert "1 waiting for their office's channel" in sent.output
    assert len(robot.delivered) == 5


@pytest.mark.settings(deadline_check_seconds=0.2)
def test_serve_checks_and_sends_in_the_background(
    gql: GraphQL, runtime: Runtime, scenario: DeadlineScenario, robot: Robot
) -> None:
    set_channel(gql, scenario.ids["lixia"], "WECOM", robot.url)
    runtime.wait_for_projections(runtime.store.max_position())
    with TestClient(create_app(runtime, watch_deadlines=True)):  # serving, as `serve` does
        waited = 0.0
        while len(robot.delivered) < 1 and waited < 20:
            time.sleep(0.1)
            waited += 0.1
    # Judged on today in China: whatever is due then reaches the robot, after its failures
    assert len(robot.requests) >= 3
    assert robot.delivered


def test_two_checks_at_once_raise_each_warning_once(
    runtime: Runtime, scenario: DeadlineScenario
) -> None:
    runtime.wait_for_projections(runtime.store.max_position())
    checks: list[deadline_warnings.Check] = []
    threads = [threading.Thread(target=lambda: checks.append(check(runtime))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(checks) == 2  # neither failed
    raised = [set(c.raised) for c in checks]
    assert raised[0].isdisjoint(raised[1])
    assert len(raised[0] | raised[1]) == 6


def test_warnings_wait_for_a_channel_and_go_out_once_one_is_set(
    gql: GraphQL, runtime: Runtime, scenario: DeadlineScenario, robot: Robot
) -> None:
    robot.failures = 0
    check(runtime)
    waiting = sender(runtime).send_due()
    assert waiting.waiting == 6
    assert robot.requests == []

    set_channel(gql, scenario.ids["lixia"], "WECOM", robot.url)
    assert len(sender(runtime).send_due().sent) == 5
    assert len(robot.delivered) == 5
