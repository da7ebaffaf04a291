"""Reading four-level feedback (四级反馈) and common problems (面上共性问题) from the
rectification view (projections/rectification.py): the common problems of a round or an office
with their grouped problems and systemic tasks, and the rectification rate per level owning
the tasks, systemic items apart from the units' own.

整改完成率 per level = verified ÷ due, as in `projections.statistics`: a task is due by `today`
when its due date or the day it was verified has come; it is verified when verified by `today`.
The rate is None when nothing is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.rows import class_row, dict_row

from domain.rectification.values import FeedbackLevel
from projections.rectification_read import _FEEDBACK_SCOPE, _OFFICES
from projections.statistics import rate


@dataclass(frozen=True)
class LevelFigures:
    level: str
    systemic: bool
    tasks: int
    tasks_due: int
    tasks_verified: int
    overdue: int

    @property
    def rectification_rate(self) -> float | None:
        return rate(self.tasks_verified, self.tasks_due)


@dataclass(frozen=True)
class GroupedProblemRow:
    common_problem_id: UUID
    problem_id: UUID
    feedback_id: UUID
    round_id: UUID
    unit_id: UUID


@dataclass(frozen=True)
class SystemicTaskRow:
    task_id: UUID
    common_problem_id: UUID
    key: str
    measure: str
    due_on: date
    status: str
    evidence: str | None
    done_on: date | None
    verified_on: date | None
    version: int
    overdue: bool


@dataclass(frozen=True)
class CommonProblemRow:
    common_problem_id: UUID
    tenant_id: UUID
    key: str
    category: str
    text: str
    level: str
    addressee_id: UUID
    round_id: UUID | None
    term: str | None
    given_on: date
    problems: list[GroupedProblemRow]
    tasks: list[SystemicTaskRow]


# The common problems `c` asked for: of a round (grouped from it, or from a term that includes
# its problems), or grouped by or addressed to an office or any office below it.
_COMMON_SCOPE = """
    (%(round_id)s::uuid IS NULL OR c.round_id = %(round_id)s OR EXISTS (
        SELECT 1 FROM rm_common_problem_members m
        WHERE m.common_problem_id = c.common_problem_id AND m.round_id = %(round_id)s))
    AND (%(tenant_id)s::uuid IS NULL OR c.tenant_id IN (SELECT tenant_id FROM offices)
         OR c.addressee_owner_id IN (SELECT tenant_id FROM offices))
"""
_BY_LEVEL = f"""{_OFFICES}
, scoped AS (
    SELECT t.level, false AS systemic, t.due_on, t.verified_on, t.status
    FROM rm_rectification_tasks t JOIN rm_feedback f ON f.feedback_id = t.feedback_id
    WHERE {_FEEDBACK_SCOPE}
    UNION ALL
    SELECT t.level, true, t.due_on, t.verified_on, t.status
    FROM rm_rectification_tasks t
    JOIN rm_common_problems c ON c.common_problem_id = t.common_problem_id
    WHERE {_COMMON_SCOPE}
)
SELECT level, systemic, count(*) AS tasks,
       count(*) FILTER (WHERE least(due_on, verified_on) <= %(today)s) AS tasks_due,
       count(*) FILTER (WHERE verified_on <= %(today)s) AS tasks_verified,
       count(*) FILTER (WHERE status <> 'VERIFIED' AND due_on < %(today)s) AS overdue
FROM scoped GROUP BY level, systemic
ORDER BY array_position(%(levels)s::text[], level), systemic
"""  # noqa: S608
_COMMON_PROBLEMS = f"""{_OFFICES}
SELECT c.common_problem_id, c.tenant_id, c.key, c.category, c.text, c.level, c.addressee_id,
       c.round_id, c.term, c.given_on
FROM rm_common_problems c WHERE {_COMMON_SCOPE} ORDER BY c.position
"""  # noqa: S608
_MEMBERS = """
SELECT common_problem_id, problem_id, feedback_id, round_id, unit_id
FROM rm_common_problem_members WHERE common_problem_id = ANY(%(ids)s) ORDER BY seq
"""
_TASKS = """
SELECT t.task_id, s.common_problem_id, s.key, s.measure, t.due_on, t.status, t.evidence,
       t.done_on, t.verified_on, t.version,
       (t.status <> 'VERIFIED' AND t.due_on < %(today)s) AS overdue
FROM rm_common_problem_tasks s JOIN rm_rectification_tasks t ON t.task_id = s.task_id
WHERE s.common_problem_id = ANY(%(ids)s) ORDER BY s.seq
"""


def _params(round_id: UUID | None, tenant_id: UUID | None, today: date) -> dict[str, Any]:
    return {
        "round_id": round_id,
        "tenant_id": tenant_id,
        "today": today,
        "levels": [level.value for level in FeedbackLevel],
    }


def by_level(
    conn: Connection[Any], *, round_id: UUID | None, tenant_id: UUID | None, today: date
) -> list[LevelFigures]:
    """The tasks of a round's or an office's feedback and common problems, per level owning
    them and systemic or not, with their rectification rate on `today`."""
    with conn.cursor(row_factory=class_row(LevelFigures)) as cur:
        return cur.execute(_BY_LEVEL, _params(round_id, tenant_id, today)).fetchall()


def common_problems(
    conn: Connection[Any], *, round_id: UUID | None, tenant_id: UUID | None, today: date
) -> list[CommonProblemRow]:
    """The common problems of a round, or grouped by or addressed to an office (or one below
    it), each with its grouped problems and its tasks (overdue when not verified by their
    due date)."""
    params = _params(round_id, tenant_id, today)
    with conn.cursor(row_factory=dict_row) as cur:
        found = cur.execute(_COMMON_PROBLEMS, params).fetchall()
    params["ids"] = [row["common_problem_id"] for row in found]
    with conn.cursor(row_factory=class_row(GroupedProblemRow)) as cur:
        members = cur.execute(_MEMBERS, params).fetchall()
    with conn.cursor(row_factory=class_row(SystemicTaskRow)) as cur:
        tasks = cur.execute(_TASKS, params).fetchall()
    return [
        CommonProblemRow(
            **row,
            problems=[m for m in members if m.common_problem_id == row["common_problem_id"]],
            tasks=[t for t in tasks if t.common_problem_id == row["common_problem_id"]],
        )
        for row in found
    ]
