"""Pure parts of deadline warnings: working days left on the official calendar, the robots'
message formats, the retry schedule, and which webhook addresses a channel takes."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar.work_calendar import WorkCalendar, YearSchedule
from domain.configuration.values import ChannelKind, WarningChannel
from domain.errors import ValidationFailed
from services.deadline_messages import WarningNote, message
from services.deadlines import working_days_between
from services.warning_sender import Backoff

# 2026: National Day 10-01 … 10-07 off (a Thursday to a Wednesday), Sunday 10-11 worked.
NATIONAL_DAY = YearSchedule(
    2026,
    frozenset(date(2026, 10, d) for d in range(1, 8) if date(2026, 10, d).weekday() < 5),
    frozenset({date(2026, 10, 11)}),
)
CALENDAR = WorkCalendar([NATIONAL_DAY])


@pytest.mark.parametrize(
    ("today", "due_on", "left"),
    [
        (date(2026, 11, 20), date(2026, 11, 20), 0),  # due today
        (date(2026, 11, 20), date(2026, 11, 24), 2),  # Friday → Tuesday: the weekend is off
        (date(2026, 11, 20), date(2026, 11, 18), -2),  # Wednesday's item, on Friday
        (date(2026, 9, 30), date(2026, 10, 9), 2),  # only Thursday 10-08 and Friday 10-09
        (date(2026, 9, 30), date(2026, 10, 12), 4),  # … and the worked Sunday 10-11, Monday
    ],
)
def test_working_days_left_follow_the_official_calendar(
    today: date, due_on: date, left: int
) -> None:
    assert working_days_between(CALENDAR, today, due_on) == left


NOTE = WarningNote("TASK", "追缴流转收入并入账", date(2026, 11, 24), 2, "OPEN", "DUE_SOON")
TEXT = (
    "### 超期预警（即将到期）\n"
    "> 事项：整改任务\n"
    "> 内容：追缴流转收入并入账\n"
    "> 期限：2026-11-24（剩余 2 个工作日到期）\n"
    "> 环节：整改中"
)


def test_a_wecom_robot_gets_markdown_content() -> None:
    assert message(ChannelKind.WECOM, NOTE) == {
        "msgtype": "markdown",
        "markdown": {"content": TEXT},
    }


def test_a_dingtalk_robot_gets_a_title_and_markdown_text() -> None:
    assert message(ChannelKind.DINGTALK, NOTE) == {
        "msgtype": "markdown",
        "markdown": {"title": "超期预警", "text": TEXT},
    }


def test_retries_back_off_doubling_up_to_an_hour() -> None:
    backoff = Backoff()
    assert [backoff.after(n) for n in (1, 2, 3, 4)] == [30.0, 60.0, 120.0, 240.0]
    assert backoff.after(20) == 3600.0


def test_a_channel_keeps_its_key_out_of_its_repr() -> None:
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET"
    assert "SECRET" not in repr(WarningChannel(ChannelKind.WECOM, url))


@pytest.mark.parametrize("url", ["", "mailto:office@example.com", "https:///no-host", "//x.cn/h"])
def test_a_channel_takes_only_an_http_address_with_a_host(url: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        WarningChannel(ChannelKind.DINGTALK, url)
    assert refused.value.details["field"] == "url"
