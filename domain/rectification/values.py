"""Value types of the rectification context, named as in DOMAIN.md."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID

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


class FeedbackLevel(StrEnum):
    """四级反馈: the level a feedback, or the fix of one of its problems, is addressed to."""

    UNIT = "UNIT"  # 村党组织: the inspected unit's own Party organisation
    TOWNSHIP_COMMITTEE = "TOWNSHIP_COMMITTEE"  # 乡镇党委: the township above inspected villages
    COUNTY_COMMITTEE = "COUNTY_COMMITTEE"  # 县委: the county owning the inspected units
    DEPARTMENT = "DEPARTMENT"  # 职能部门: a line department (a unit of type DEPARTMENT)

    @property
    def named(self) -> str:
        """The level in a refusal's words (not `description`: GraphQL would show that)."""
        return _LEVEL_NAMES[self]


_LEVEL_NAMES = {
    FeedbackLevel.UNIT: "村党组织 — the inspected unit's Party organisation",
    FeedbackLevel.TOWNSHIP_COMMITTEE: "乡镇党委 — the township committee",
    FeedbackLevel.COUNTY_COMMITTEE: "县委 — the county committee",
    FeedbackLevel.DEPARTMENT: "职能部门 — a line department",
}

# The levels a common problem (面上共性问题) is fed back to as one systemic item.
SYSTEMIC_LEVELS = frozenset({FeedbackLevel.DEPARTMENT, FeedbackLevel.COUNTY_COMMITTEE})


@dataclass(frozen=True)
class Addressee:
    """Who a feedback, or the fix of a problem, is addressed to, checked against the round
    (`domain.rectification.levels`): a unit — the inspected unit, a township, a department —
    or, for the county committee, the county office itself. `owner_id` is the office owning
    it, which reports its tasks done."""

    id: UUID
    level: FeedbackLevel
    owner_id: UUID
    name: str


class BallotChannel(StrEnum):
    PAPER = "PAPER"  # 纸质问卷
    ONLINE = "ONLINE"  # anonymous online ballot


@dataclass(frozen=True)
class ItemDraft:
    """One line of a feedback list as the office submits it. `key` is the office's own
    reference (e.g. "P1", "T1.2"); `refers_to` links a TASK to its PROBLEM and a
    RESPONSIBILITY to its TASK. A PROBLEM may name the level and addressee that owns its fix
    (`owner_level`, `owner_id`: e.g. the township committee); its tasks are then theirs."""

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
    owner_level: FeedbackLevel | None = None
    owner_id: UUID | None = None


@dataclass(frozen=True)
class SystemicTaskDraft:
    """One rectification task of a common problem: the office's key, the measure, its
    deadline."""

    key: str
    measure: str
    deadline: date


@dataclass(frozen=True)
class GroupedProblem:
    """A PROBLEM line of a unit's feedback, as a common problem groups it."""

    problem_id: UUID
    feedback_id: UUID
    round_id: UUID
    unit_id: UUID
    given_on: date


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Dec + 2 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ProblemRef:
    """A PROBLEM line named by its feedback and its id (the `id` of a `rectification`
    problem)."""

    feedback_id: UUID
    problem_id: UUID
