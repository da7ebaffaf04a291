"""The message of a deadline warning (超期预警) in a group robot's format: WeCom's
(`{"msgtype": "markdown", "markdown": {"content": …}}`) or DingTalk's
(`{"msgtype": "markdown", "markdown": {"title": …, "text": …}}`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.configuration.values import ChannelKind

TITLE = "超期预警"
_KINDS = {"CLUE": "问题线索", "TASK": "整改任务"}
# Where an item stands, as offices say it (a step not listed shows as its code).
_STEPS = {
    "TRANSFERRED": "已移交",
    "ACCEPTED": "已受理",
    "SUPERVISION_NOTICE": "督办通知",
    "GUIDANCE": "阶段指导",
    "REMINDER": "提醒",
    "WARNING": "告诫",
    "ACCOUNTABILITY": "问责",
    "OPEN": "整改中",
    "DONE": "已报完成，待核验",
}
_MAX_TITLE = 200  # a robot message is short; the item is named, not reproduced


@dataclass(frozen=True)
class WarningNote:
    """What one warning says."""

    kind: str  # CLUE or TASK
    title: str
    due_on: date
    working_days_left: int
    step: str
    level: str  # DUE_SOON or OVERDUE


def _standing(left: int) -> str:
    if left < 0:
        return f"已超期 {-left} 个工作日"
    if left == 0:
        return "今日到期"
    return f"剩余 {left} 个工作日到期"


def markdown(note: WarningNote) -> str:
    title = note.title if len(note.title) <= _MAX_TITLE else note.title[:_MAX_TITLE] + "…"
    heading = f"{TITLE}（已超期）" if note.level == "OVERDUE" else f"{TITLE}（即将到期）"
    return "\n".join(
        [
            f"### {heading}",
            f"> 事项：{_KINDS.get(note.kind, note.kind)}",
            f"> 内容：{title}",
            f"> 期限：{note.due_on.isoformat()}（{_standing(note.working_days_left)}）",
            f"> 环节：{_STEPS.get(note.step, note.step)}",
        ]
    )


def message(kind: ChannelKind, note: WarningNote) -> dict[str, Any]:
    """The request body a robot of `kind` takes."""
    text = markdown(note)
    if kind is ChannelKind.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": TITLE, "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}
