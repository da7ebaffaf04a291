"""The rectification lists (整改清单) of each feedback — to a unit, or at another level of
four-level feedback (四级反馈) — problems, tasks and responsibilities with their status, and
the results and archive lists (成效清单, 档案清单), which are views over the same tasks; and the
common problems (面上共性问题) with their systemic tasks. Reads are in `rectification_read` and
`rectification_levels`."""

from __future__ import annotations

from typing import Any, ClassVar

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Cursor

from domain.configuration.configuration import TenantConfiguration
from domain.rectification.common_problem import CommonProblem
from domain.rectification.feedback import Feedback
from domain.rectification.task import Task
from domain.rectification.values import TaskStatus
from domain.rounds.round import Round
from domain.tenants.tenant import Tenant
from projections import round_offices
from projections.base import Projection
from projections.row_security import any_visible, either, visible

_OF_VISIBLE_FEEDBACK = "feedback_id IN (SELECT feedback_id FROM rm_feedback)"
_OF_VISIBLE_COMMON_PROBLEM = (
    "common_problem_id IN (SELECT common_problem_id FROM rm_common_problems)"
)


class Rectification(Projection):
    name = "rectification"
    tables = (
        "rm_feedback",
        "rm_rectification_items",
        "rm_rectification_tasks",
        "rm_rectification_offices",
        "rm_rectification_exemptions",
        "rm_rectification_rounds",
        "rm_common_problems",
        "rm_common_problem_members",
        "rm_common_problem_tasks",
    )
    row_rules: ClassVar[dict[str, str]] = {
        # Feedback shows to the office that gave it, to the owner of the unit and to the
        # offices taking part in its round; its lines and tasks show with it, and so do the
        # disclosure exemptions of the office that gave it.
        "rm_feedback": either(
            visible("tenant_id"),
            visible("unit_owner_id"),
            "round_id IN (SELECT round_id FROM rm_rectification_rounds)",
        ),
        "rm_rectification_items": _OF_VISIBLE_FEEDBACK,
        "rm_rectification_tasks": either(_OF_VISIBLE_FEEDBACK, _OF_VISIBLE_COMMON_PROBLEM),
        "rm_rectification_offices": visible("tenant_id"),
        "rm_rectification_exemptions": either(
            visible("tenant_id"), "tenant_id IN (SELECT tenant_id FROM rm_feedback)"
        ),
        "rm_rectification_rounds": any_visible("offices"),
        # A common problem shows to the office that grouped it and to its addressee's office.
        "rm_common_problems": either(visible("tenant_id"), visible("addressee_owner_id")),
        "rm_common_problem_members": _OF_VISIBLE_COMMON_PROBLEM,
        "rm_common_problem_tasks": _OF_VISIBLE_COMMON_PROBLEM,
    }
    ddl = """
    CREATE TABLE IF NOT EXISTS rm_rectification_rounds (
        round_id uuid PRIMARY KEY,
        offices uuid[] NOT NULL  -- projections/round_offices.py
    );
    CREATE TABLE IF NOT EXISTS rm_rectification_offices (
        tenant_id uuid PRIMARY KEY,
        parent_id uuid
    );
    CREATE TABLE IF NOT EXISTS rm_rectification_exemptions (
        tenant_id uuid NOT NULL,
        effective_from date NOT NULL,
        position bigint NOT NULL,
        exemptions text[] NOT NULL,
        PRIMARY KEY (tenant_id, position)
    );
    CREATE TABLE IF NOT EXISTS rm_feedback (
        feedback_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        round_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        unit_owner_id uuid NOT NULL,
        given_on date NOT NULL,
        report text NOT NULL,
        report_due_on date NOT NULL,
        level text NOT NULL,
        recorded_at timestamptz NOT NULL,
        recorded_by text NOT NULL,
        position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_feedback_round ON rm_feedback (round_id);
    CREATE INDEX IF NOT EXISTS rm_feedback_tenant ON rm_feedback (tenant_id);
    CREATE INDEX IF NOT EXISTS rm_feedback_owner ON rm_feedback (unit_owner_id);
    CREATE TABLE IF NOT EXISTS rm_rectification_items (
        item_id uuid PRIMARY KEY,
        feedback_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        round_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        kind text NOT NULL,
        key text NOT NULL,
        refers_to uuid,
        text text NOT NULL,
        category text NOT NULL,
        immediate boolean NOT NULL,
        restrictions text[] NOT NULL,
        responsible_leader text,
        responsible_department text,
        deadline date,
        owner_level text,
        owner_id uuid,
        seq integer NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_rectification_items_feedback
        ON rm_rectification_items (feedback_id, seq);
    CREATE TABLE IF NOT EXISTS rm_rectification_tasks (
        task_id uuid PRIMARY KEY,
        feedback_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        level text NOT NULL,
        addressee_id uuid NOT NULL,
        common_problem_id uuid,  -- a task of a common problem (面上共性问题)
        due_on date NOT NULL,
        status text NOT NULL,
        evidence text,
        done_on date,
        verified_on date,
        verified_by text,
        satisfied bigint NOT NULL DEFAULT 0,
        basically_satisfied bigint NOT NULL DEFAULT 0,
        dissatisfied bigint NOT NULL DEFAULT 0,
        revisits integer NOT NULL DEFAULT 0,
        version integer NOT NULL,
        position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_rectification_tasks_feedback
        ON rm_rectification_tasks (feedback_id);
    CREATE TABLE IF NOT EXISTS rm_common_problems (
        common_problem_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        key text NOT NULL,
        category text NOT NULL,
        text text NOT NULL,
        level text NOT NULL,
        addressee_id uuid NOT NULL,
        addressee_owner_id uuid NOT NULL,
        round_id uuid,
        term text,
        given_on date NOT NULL,
        position bigint NOT NULL
    );
    CREATE TABLE IF NOT EXISTS rm_common_problem_members (
        common_problem_id uuid NOT NULL,
        problem_id uuid NOT NULL,
        feedback_id uuid NOT NULL,
        round_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        seq integer NOT NULL,
        PRIMARY KEY (common_problem_id, problem_id)
    );
    CREATE TABLE IF NOT EXISTS rm_common_problem_tasks (
        task_id uuid PRIMARY KEY,
        common_problem_id uuid NOT NULL,
        key text NOT NULL,
        measure text NOT NULL,
        seq integer NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_common_problem_tasks_problem
        ON rm_common_problem_tasks (common_problem_id, seq);
    """

    @singledispatchmethod
    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        """Events this view does not need are passed over."""

    @apply.register
    def _(self, event: Tenant.Registered, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_rectification_offices (tenant_id, parent_id) VALUES (%s, %s)",
            (event.originator_id, event.parent_id),
        )

    @apply.register
    def _(
        self, event: TenantConfiguration.PracticeAmended, cur: Cursor[Any], position: int
    ) -> None:
        cur.execute(
            "INSERT INTO rm_rectification_exemptions (tenant_id, effective_from, position, "
            "exemptions) VALUES (%s, %s, %s, %s)",
            (
                event.tenant_id,
                event.effective_from,
                position,
                list(event.practice["disclosure_exemptions"]),
            ),
        )

    @apply.register
    def _(self, event: Round.Planned, cur: Cursor[Any], position: int) -> None:
        round_offices.record(cur, "rm_rectification_rounds", event)

    @apply.register
    def _(self, event: Feedback.Recorded, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_feedback (feedback_id, tenant_id, round_id, unit_id, unit_owner_id, "
            "given_on, report, report_due_on, level, recorded_at, recorded_by, position) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.tenant_id,
                event.round_id,
                event.unit_id,
                event.unit_owner_id,
                event.given_on,
                event.report,
                event.report_due_on,
                event.level,
                event.timestamp,
                event.actor,
                position,
            ),
        )
        cur.executemany(
            "INSERT INTO rm_rectification_items (item_id, feedback_id, tenant_id, round_id, "
            "unit_id, kind, key, refers_to, text, category, immediate, restrictions, "
            "responsible_leader, responsible_department, deadline, owner_level, owner_id, seq) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    item["item_id"],
                    event.originator_id,
                    event.tenant_id,
                    event.round_id,
                    event.unit_id,
                    item["kind"],
                    item["key"],
                    item["refers_to"],
                    item["text"],
                    item["category"],
                    item["immediate"],
                    list(item["restrictions"]),
                    item["responsible_leader"],
                    item["responsible_department"],
                    item["deadline"],
                    item.get("owner_level"),  # v1 items name no owner
                    item.get("owner_id"),
                    seq,
                )
                for seq, item in enumerate(event.items)
            ],
        )

    @apply.register
    def _(self, event: Task.Assigned, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_rectification_tasks (task_id, feedback_id, tenant_id, level, "
            "addressee_id, common_problem_id, due_on, status, evidence, done_on, version, "
            "position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.feedback_id,
                event.tenant_id,
                event.level,
                event.addressee_id or event.unit_id,
                event.common_problem_id,
                event.due_on,
                TaskStatus.DONE.value if event.immediate else TaskStatus.OPEN.value,
                event.evidence,
                event.assigned_on if event.immediate else None,
                event.originator_version,
                position,
            ),
        )

    @apply.register
    def _(self, event: CommonProblem.Grouped, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_common_problems (common_problem_id, tenant_id, key, category, text, "
            "level, addressee_id, addressee_owner_id, round_id, term, given_on, position) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.tenant_id,
                event.key,
                event.category,
                event.text,
                event.level,
                event.addressee_id,
                event.addressee_owner_id,
                event.round_id,
                event.term,
                event.given_on,
                position,
            ),
        )
        cur.executemany(
            "INSERT INTO rm_common_problem_members (common_problem_id, problem_id, feedback_id, "
            "round_id, unit_id, seq) VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (
                    event.originator_id,
                    p["problem_id"],
                    p["feedback_id"],
                    p["round_id"],
                    p["unit_id"],
                    seq,
                )
                for seq, p in enumerate(event.problems)
            ],
        )
        cur.executemany(
            "INSERT INTO rm_common_problem_tasks (task_id, common_problem_id, key, measure, seq) "
            "VALUES (%s, %s, %s, %s, %s)",
            [
                (t["task_id"], event.originator_id, t["key"], t["measure"], seq)
                for seq, t in enumerate(event.tasks)
            ],
        )

    @apply.register
    def _(self, event: Task.ReportedDone, cur: Cursor[Any], position: int) -> None:
        self._update(
            cur,
            event,
            position,
            "status = 'DONE', evidence = %s, done_on = %s",
            (event.evidence, event.done_on),
        )

    @apply.register
    def _(self, event: Task.Verified, cur: Cursor[Any], position: int) -> None:
        self._update(
            cur,
            event,
            position,
            "status = 'VERIFIED', verified_on = %s, verified_by = %s",
            (event.verified_on, event.actor),
        )

    @apply.register
    def _(self, event: Task.BallotsRecorded, cur: Cursor[Any], position: int) -> None:
        self._update(
            cur,
            event,
            position,
            "satisfied = satisfied + %s, basically_satisfied = basically_satisfied + %s, "
            "dissatisfied = dissatisfied + %s, revisits = revisits + 1",
            (event.satisfied, event.basically_satisfied, event.dissatisfied),
        )

    @staticmethod
    def _update(
        cur: Cursor[Any], event: Task.Event, position: int, changes: str, params: tuple[Any, ...]
    ) -> None:
        cur.execute(
            f"UPDATE rm_rectification_tasks SET {changes}, version = %s, position = %s "  # noqa: S608
            "WHERE task_id = %s",
            (*params, event.originator_version, position, event.originator_id),
        )
