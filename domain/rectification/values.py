"""Value types of the rectification context, named as in DOMAIN.md."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from domain.configuration.values import DisclosureExemption

# National default: the rectification report is due 2 months after feedback. Tenants may
# configure another number of months (tenant configuration, with effective dates).
DEFAULT_REPORT_DUE_MONTHS = 2
# Rectification should normally be finished within 6 months and at most within 1 year.
MAX_RECTIFICATION_MONTHS = 12


class ItemKind(StrEnum):
    PROBLEM = "PROBLEM"  # 问题清单
    TASK = "TASK"  # 任务清单 (rectification measures)
    RESPONSIBILITY = "RESPONSIBILITY"  # 责任清单 (responsible leader and department, deadline)


class TaskStatus(StrEnum):
    OPEN = "OPEN"  # assigned at feedback, not yet reported done
    DONE = "DONE"  # reported done with evidence (or fixed at once during stationing, 立行立改)
    VERIFIED = "VERIFIED"  # verified and closed by the inspection office (对账销号)


# Why an item may not be published inside the Party or to the public (state secret, under
# investigation, sensitive): the same marks a tenant's configuration exempts from disclosure.
Disclosure = DisclosureExemption


class BallotChannel(StrEnum):
    PAPER = "PAPER"  # 纸质问卷
    ONLINE = "ONLINE"  # anonymous online ballot


@dataclass(frozen=True)
class ItemDraft:
    """One line of a feedback list as the office submits it. `key` is the office's own
    reference (e.g. "P1", "T1.2"); `refers_to` links a TASK to its PROBLEM and a
    RESPONSIBILITY to its TASK."""

    kind: ItemKind
    key: str
    text: str
    category: str | None = None
    refers_to: str | None = None
    immediate: bool = False
    disclosure: tuple[Disclosure, ...] = field(default_factory=tuple)
    responsible_leader: str | None = None
    responsible_department: str | None = None
    deadline: date | None = None
    evidence: str | None = None


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Dec + 2 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
