"""The rectification lists (整改清单) of each unit's feedback: problems, tasks and
responsibilities with their status, and the results and archive lists (成效清单, 档案清单),
which are views over the same tasks. Reads are in `rectification_read`."""

from __future__ import annotations

from typing import Any, ClassVar

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Cursor

from domain.configuration.configuration import TenantConfiguration
from domain.rectification.feedback import Feedback
from domain.rectification.task import Task
from domain.rectification.values import TaskStatus
from domain.rounds.round import Round
from domain.tenants.tenant import Tenant
from projections import round_offices
from projections.base import Projection
from projections.row_security import any_visible, either, visible

_OF_VISIBLE_FEEDBACK = "feedback_id IN (SELECT feedback_id FROM rm_feedback)"


class Rectification(Projection):
    name = "rectification"
    tables = (
        "rm_feedback",
        "rm_rectification_items",
        "rm_rectification_tasks",
        "rm_rectification_offices",
        "rm_rectification_exemptions",
        "rm_rectification_rounds",
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
        "rm_rectification_tasks": _OF_VISIBLE_FEEDBACK,
        "rm_rectification_offices": visible("tenant_id"),
        "rm_rectification_exemptions": either(
            visible("tenant_id"), "tenant_id IN (SELECT tenant_id FROM rm_feedback)"
        ),
        "rm_rectification_rounds": any_visible("offices"),
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
        seq integer NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_rectification_items_feedback
        ON rm_rectification_items (feedback_id, seq);
    CREATE TABLE IF NOT EXISTS rm_rectification_tasks (
        task_id uuid PRIMARY KEY,
        feedback_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
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
            "given_on, report, report_due_on, recorded_at, recorded_by, position) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.tenant_id,
                event.round_id,
                event.unit_id,
                event.unit_owner_id,
                event.given_on,
                event.report,
                event.report_due_on,
                event.timestamp,
                event.actor,
                position,
            ),
        )
        cur.executemany(
            "INSERT INTO rm_rectification_items (item_id, feedback_id, tenant_id, round_id, "
            "unit_id, kind, key, refers_to, text, category, immediate, restrictions, "
            "responsible_leader, responsible_department, deadline, seq) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
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
                    seq,
                )
                for seq, item in enumerate(event.items)
            ],
        )

    @apply.register
    def _(self, event: Task.Assigned, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_rectification_tasks (task_id, feedback_id, tenant_id, due_on, status,"
            " evidence, done_on, version, position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.feedback_id,
                event.tenant_id,
                event.due_on,
                TaskStatus.DONE.value if event.immediate else TaskStatus.OPEN.value,
                event.evidence,
                event.assigned_on if event.immediate else None,
                event.originator_version,
                position,
            ),
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
