"""Reading the rectification lists (projections/rectification.py): a round's or an office's
feedback with its problems, tasks and responsibilities, and the results and archive lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.rows import class_row

from domain.configuration.values import DisclosureExemption
from domain.rectification.values import TaskStatus


@dataclass(frozen=True)
class FeedbackRow:
    feedback_id: UUID
    tenant_id: UUID
    round_id: UUID
    unit_id: UUID
    unit_owner_id: UUID
    given_on: date
    report: str
    report_due_on: date
    level: str
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class ItemRow:
    """A PROBLEM or RESPONSIBILITY line. `status` is the least advanced status of the tasks
    it covers (a problem is rectified when all its tasks are verified)."""

    item_id: UUID
    feedback_id: UUID
    round_id: UUID
    unit_id: UUID
    kind: str
    key: str
    refers_to: UUID | None
    text: str
    category: str
    immediate: bool
    restrictions: list[str]
    responsible_leader: str | None
    responsible_department: str | None
    deadline: date | None
    owner_level: str | None
    owner_id: UUID | None
    status: str | None


@dataclass(frozen=True)
class TaskRow:
    task_id: UUID
    feedback_id: UUID
    round_id: UUID
    unit_id: UUID
    problem_id: UUID
    level: str
    addressee_id: UUID
    key: str
    category: str
    measure: str
    immediate: bool
    restrictions: list[str]
    responsible_leader: str | None
    responsible_department: str | None
    due_on: date
    status: str
    evidence: str | None
    done_on: date | None
    verified_on: date | None
    verified_by: str | None
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    revisits: int
    version: int
    overdue: bool


@dataclass(frozen=True)
class RectificationLists:
    feedbacks: list[FeedbackRow]
    problems: list[ItemRow]
    tasks: list[TaskRow]
    responsibilities: list[ItemRow]

    @property
    def results(self) -> list[TaskRow]:
        """成效清单: what has been rectified — tasks reported done or verified."""
        return [t for t in self.tasks if t.status != TaskStatus.OPEN.value]

    @property
    def archive(self) -> list[TaskRow]:
        """档案清单: what is closed (对账销号) and filed — verified tasks with evidence."""
        return [t for t in self.tasks if t.status == TaskStatus.VERIFIED.value]


# The feedback `f` asked for: of a round, or given by or about an office or any office below
# it (a city sees its counties').
_FEEDBACK_SCOPE = """
    (%(round_id)s::uuid IS NULL OR f.round_id = %(round_id)s)
    AND (%(tenant_id)s::uuid IS NULL OR f.tenant_id IN (SELECT tenant_id FROM offices)
         OR f.unit_owner_id IN (SELECT tenant_id FROM offices))
"""
_OFFICES = """
WITH RECURSIVE offices(tenant_id) AS (
    SELECT %(tenant_id)s::uuid WHERE %(tenant_id)s::uuid IS NOT NULL
    UNION
    SELECT o.tenant_id FROM rm_rectification_offices o JOIN offices s ON o.parent_id = s.tenant_id
)
"""
# A line may be disclosed unless it carries a mark that the office which gave the feedback
# exempts from disclosure, by its configuration in force on `today` (by default all marks).
_DISCLOSABLE = """(NOT %(disclosable_only)s OR NOT i.restrictions && coalesce(
    (SELECT e.exemptions FROM rm_rectification_exemptions e
     WHERE e.tenant_id = f.tenant_id AND e.effective_from <= %(today)s
     ORDER BY e.effective_from DESC, e.position DESC LIMIT 1),
    %(all_marks)s::text[]))"""
# The least advanced status among a set of tasks: OPEN < DONE < VERIFIED.
_LEAST_STATUS = (
    "(ARRAY['OPEN', 'DONE', 'VERIFIED'])[min(array_position(ARRAY['OPEN', 'DONE', 'VERIFIED'], "
    "t.status))]"
)


def lists(
    conn: Connection[Any],
    *,
    round_id: UUID | None,
    tenant_id: UUID | None,
    today: date,
    disclosable_only: bool = False,
) -> RectificationLists:
    """The lists of every feedback of a round, or of a tenant (given by it or about its
    units, or by or about an office below it). With `disclosable_only`, lines withheld from
    disclosure (marked state secret, under investigation or sensitive, as far as the office's
    configuration on `today` exempts such marks) are left out. A task is overdue
    when not verified by its due date."""
    params = {
        "round_id": round_id,
        "tenant_id": tenant_id,
        "today": today,
        "disclosable_only": disclosable_only,
        "all_marks": [mark.value for mark in DisclosureExemption],
    }
    with conn.cursor(row_factory=class_row(FeedbackRow)) as cur:
        feedbacks = cur.execute(
            f"{_OFFICES} SELECT feedback_id, tenant_id, round_id, unit_id, unit_owner_id, "  # noqa: S608
            "given_on, report, "
            f"report_due_on, level, recorded_at, recorded_by FROM rm_feedback f "
            f"WHERE {_FEEDBACK_SCOPE} ORDER BY f.position",
            params,
        ).fetchall()
    with conn.cursor(row_factory=class_row(ItemRow)) as cur:
        items = cur.execute(
            f"{_OFFICES} SELECT i.item_id, i.feedback_id, i.round_id, i.unit_id, i.kind, i.key, "  # noqa: S608
            "i.refers_to, i.text, i.category, i.immediate, i.restrictions, "
            "i.responsible_leader, i.responsible_department, i.deadline, i.owner_level, "
            f"i.owner_id, (SELECT {_LEAST_STATUS} FROM rm_rectification_tasks t "
            "  WHERE (i.kind = 'RESPONSIBILITY' AND t.task_id = i.refers_to) "
            "     OR (i.kind = 'PROBLEM' AND t.task_id IN ("
            "         SELECT c.item_id FROM rm_rectification_items c "
            "         WHERE c.refers_to = i.item_id AND c.kind = 'TASK'))) AS status "
            "FROM rm_rectification_items i JOIN rm_feedback f ON f.feedback_id = i.feedback_id "
            f"WHERE {_FEEDBACK_SCOPE} AND i.kind <> 'TASK' "
            f"AND {_DISCLOSABLE} ORDER BY f.position, i.seq",
            params,
        ).fetchall()
    with conn.cursor(row_factory=class_row(TaskRow)) as cur:
        tasks = cur.execute(
            f"{_OFFICES} SELECT t.task_id, t.feedback_id, i.round_id, i.unit_id, "  # noqa: S608
            "i.refers_to AS problem_id, t.level, t.addressee_id,"
            " i.key, i.category, i.text AS measure, i.immediate, i.restrictions, "
            "r.responsible_leader, r.responsible_department, t.due_on, t.status, t.evidence, "
            "t.done_on, t.verified_on, t.verified_by, t.satisfied, t.basically_satisfied, "
            "t.dissatisfied, t.revisits, t.version, "
            "(t.status <> 'VERIFIED' AND t.due_on < %(today)s) AS overdue "
            "FROM rm_rectification_tasks t "
            "JOIN rm_rectification_items i ON i.item_id = t.task_id "
            "JOIN rm_feedback f ON f.feedback_id = t.feedback_id "
            "LEFT JOIN rm_rectification_items r "
            "  ON r.refers_to = t.task_id AND r.kind = 'RESPONSIBILITY' "
            f"WHERE {_FEEDBACK_SCOPE} AND {_DISCLOSABLE} "
            "ORDER BY f.position, i.seq",
            params,
        ).fetchall()
    return RectificationLists(
        feedbacks=feedbacks,
        problems=[i for i in items if i.kind == "PROBLEM"],
        tasks=tasks,
        responsibilities=[i for i in items if i.kind == "RESPONSIBILITY"],
    )
