"""The words of deadline warnings (超期预警): what is due, and how urgent the warning is."""

from __future__ import annotations

from enum import StrEnum


class WarningLevel(StrEnum):
    DUE_SOON = "DUE_SOON"  # 临期: due within the horizon
    OVERDUE = "OVERDUE"  # 超期: past its due date


class DeadlineKind(StrEnum):
    CLUE = "CLUE"  # a transferred clue, due to be concluded (限期办结)
    TASK = "TASK"  # a rectification task (整改任务)
