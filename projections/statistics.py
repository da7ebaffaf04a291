"""The figures offices report (DOMAIN.md "Figures offices report"), per round, tenant,
category and period:

- 整改完成率 rectification rate = verified tasks ÷ tasks due;
- 移交问题线索办结率 transfer completion = concluded transferred clues ÷ transferred clues;
- 群众满意率 satisfaction = (满意 + 基本满意) ÷ ballots;

with problems found, clues transferred and concluded, funds recovered and persons held
accountable. Each rate is None when its denominator is 0: "nothing to measure" is not 0 %.

Which facts fall in a period [start, end] (start open-ended when not given; end defaults to
today in the caller):

- a problem counts when its feedback was given in the period;
- a task is *due* in the period when its effective due date — the earlier of its due date
  (its responsibility line's deadline, else the rectification report's due date) and the day
  it was verified — falls in the period; it is *verified* when it is due in the period and
  was verified on or before `end`. So "the tasks due at a date D" are those whose due date
  has come by D plus those already closed early by D, a task closed ahead of its deadline
  counts as done rather than being left out, and the rate never exceeds 1;
- a clue counts as *transferred* when it was first transferred (移交) in the period, and as
  *concluded* when it is such a clue and was concluded (办结) on or before `end`; funds
  recovered and persons held accountable are summed over those concluded clues;
- ballots count when the revisit (回访) took place in the period.

Tasks of common problems (面上共性问题, systemic items fed back to a department or a county
committee) are counted apart: the totals and categories hold the units' own problems, tasks
and ballots; `by_level` gives tasks due and verified per level owning them (四级反馈), systemic
items apart.

Scope by tenant takes the tenant and every office below it (a city sees its counties). A
problem or task is in a tenant's scope when the office that gave the feedback or the owner of
the inspected unit is; a clue when the office that registered it is."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Connection, Cursor

from domain.clues.clue import Clue
from domain.clues.values import CorrectableField
from domain.rectification.feedback import Feedback
from domain.rectification.task import Task
from domain.rectification.values import ItemKind
from domain.rounds.round import Round
from domain.tenants.tenant import Tenant
from projections import round_offices
from projections.base import Projection
from projections.row_security import any_visible, either, visible


def rate(numerator: int, denominator: int) -> float | None:
    """numerator ÷ denominator, or None when there is nothing to divide by."""
    return numerator / denominator if denominator else None


@dataclass
class Figures:
    problems_found: int = 0
    tasks_due: int = 0
    tasks_verified: int = 0
    clues_transferred: int = 0
    clues_concluded: int = 0
    funds_recovered: Decimal = Decimal("0")
    persons_held_accountable: int = 0
    ballots_satisfied: int = 0
    ballots_basically_satisfied: int = 0
    ballots_dissatisfied: int = 0

    @property
    def ballots(self) -> int:
        return self.ballots_satisfied + self.ballots_basically_satisfied + self.ballots_dissatisfied

    @property
    def rectification_rate(self) -> float | None:
        return rate(self.tasks_verified, self.tasks_due)

    @property
    def transfer_completion_rate(self) -> float | None:
        return rate(self.clues_concluded, self.clues_transferred)

    @property
    def satisfaction_rate(self) -> float | None:
        return rate(self.ballots_satisfied + self.ballots_basically_satisfied, self.ballots)

    def add(self, other: Figures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Statistics:
    total: Figures
    by_category: dict[str, Figures] = field(default_factory=dict)
    by_level: dict[tuple[str, bool], Figures] = field(default_factory=dict)
    """(level, systemic) -> tasks due and verified; systemic: of common problems."""


_OF_ITS_ROUND = "round_id IN (SELECT round_id FROM rm_stat_rounds)"


class StatisticsView(Projection):
    name = "statistics"
    tables = (
        "rm_stat_tenants",
        "rm_stat_problems",
        "rm_stat_tasks",
        "rm_stat_ballots",
        "rm_stat_clues",
        "rm_stat_rounds",
    )
    # Figures show to the office they belong to, the owner of the unit, and the offices
    # taking part in their round.
    row_rules: ClassVar[dict[str, str]] = {
        "rm_stat_tenants": visible("tenant_id"),
        "rm_stat_problems": either(visible("tenant_id"), visible("unit_owner_id"), _OF_ITS_ROUND),
        "rm_stat_tasks": either(visible("tenant_id"), visible("unit_owner_id"), _OF_ITS_ROUND),
        "rm_stat_ballots": "task_id IN (SELECT task_id FROM rm_stat_tasks)",
        "rm_stat_clues": either(visible("tenant_id"), _OF_ITS_ROUND),
        "rm_stat_rounds": any_visible("offices"),
    }
    ddl = """
    CREATE TABLE IF NOT EXISTS rm_stat_rounds (
        round_id uuid PRIMARY KEY,
        offices uuid[] NOT NULL  -- projections/round_offices.py
    );
    CREATE TABLE IF NOT EXISTS rm_stat_tenants (
        tenant_id uuid PRIMARY KEY,
        parent_id uuid
    );
    CREATE TABLE IF NOT EXISTS rm_stat_problems (
        item_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        unit_owner_id uuid NOT NULL,
        round_id uuid NOT NULL,
        category text NOT NULL,
        found_on date NOT NULL
    );
    CREATE TABLE IF NOT EXISTS rm_stat_tasks (
        task_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        unit_owner_id uuid NOT NULL,
        round_id uuid,  -- none for a common problem grouped over a term
        category text NOT NULL,
        level text NOT NULL DEFAULT 'UNIT',  -- 四级反馈: the level owning the task
        systemic boolean NOT NULL DEFAULT false,  -- a common problem's task
        due_on date NOT NULL,
        verified_on date
    );
    CREATE TABLE IF NOT EXISTS rm_stat_ballots (
        task_id uuid NOT NULL,
        version integer NOT NULL,
        held_on date NOT NULL,
        satisfied integer NOT NULL,
        basically_satisfied integer NOT NULL,
        dissatisfied integer NOT NULL,
        PRIMARY KEY (task_id, version)
    );
    CREATE TABLE IF NOT EXISTS rm_stat_clues (
        clue_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        round_id uuid,
        category text NOT NULL,
        transferred_on date,
        concluded_on date,
        persons_disciplined integer NOT NULL DEFAULT 0,
        funds_recovered numeric(18, 2) NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS rm_stat_problems_round ON rm_stat_problems (round_id);
    CREATE INDEX IF NOT EXISTS rm_stat_tasks_round ON rm_stat_tasks (round_id);
    CREATE INDEX IF NOT EXISTS rm_stat_clues_round ON rm_stat_clues (round_id);
    """

    @singledispatchmethod
    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        """Events this view does not need are passed over."""

    @apply.register
    def _(self, event: Tenant.Registered, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_stat_tenants (tenant_id, parent_id) VALUES (%s, %s)",
            (event.originator_id, event.parent_id),
        )

    @apply.register
    def _(self, event: Round.Planned, cur: Cursor[Any], position: int) -> None:
        round_offices.record(cur, "rm_stat_rounds", event)

    @apply.register
    def _(self, event: Feedback.Recorded, cur: Cursor[Any], position: int) -> None:
        cur.executemany(
            "INSERT INTO rm_stat_problems (item_id, tenant_id, unit_owner_id, round_id, "
            "category, found_on) VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (
                    item["item_id"],
                    event.tenant_id,
                    event.unit_owner_id,
                    event.round_id,
                    item["category"],
                    event.given_on,
                )
                for item in event.items
                if item["kind"] == ItemKind.PROBLEM.value
            ],
        )

    @apply.register
    def _(self, event: Task.Assigned, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_stat_tasks (task_id, tenant_id, unit_owner_id, round_id, category, "
            "level, systemic, due_on) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.tenant_id,
                event.unit_owner_id,
                event.round_id,
                event.category,
                event.level,
                event.common_problem_id is not None,
                event.due_on,
            ),
        )

    @apply.register
    def _(self, event: Task.Verified, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_stat_tasks SET verified_on = %s WHERE task_id = %s",
            (event.verified_on, event.originator_id),
        )

    @apply.register
    def _(self, event: Task.BallotsRecorded, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_stat_ballots (task_id, version, held_on, satisfied, "
            "basically_satisfied, dissatisfied) VALUES (%s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.originator_version,
                event.held_on,
                event.satisfied,
                event.basically_satisfied,
                event.dissatisfied,
            ),
        )

    @apply.register
    def _(self, event: Clue.Registered, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_stat_clues (clue_id, tenant_id, round_id, category) "
            "VALUES (%s, %s, %s, %s)",
            (event.originator_id, event.tenant_id, event.round_id, event.category),
        )

    @apply.register
    def _(self, event: Clue.Transferred, cur: Cursor[Any], position: int) -> None:
        # A clue may go on to a further handling body; it was transferred when first handed on.
        cur.execute(
            "UPDATE rm_stat_clues SET transferred_on = coalesce(transferred_on, %s) "
            "WHERE clue_id = %s",
            (event.transferred_on, event.originator_id),
        )

    @apply.register
    def _(self, event: Clue.Concluded, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_stat_clues SET concluded_on = %s, persons_disciplined = %s, "
            "funds_recovered = %s WHERE clue_id = %s",
            (
                event.concluded_on,
                event.persons_disciplined,
                event.funds_recovered,
                event.originator_id,
            ),
        )

    @apply.register
    def _(self, event: Clue.Corrected, cur: Cursor[Any], position: int) -> None:
        column = _CORRECTED_COLUMNS.get(CorrectableField(event.field))
        if column is not None:
            cur.execute(
                f"UPDATE rm_stat_clues SET {column} = %s WHERE clue_id = %s",  # noqa: S608
                (event.new_value.strip(), event.originator_id),
            )


# Corrections that change a figure; the canonical text form casts to the column's type.
_CORRECTED_COLUMNS = {
    CorrectableField.CATEGORY: "category",
    CorrectableField.PERSONS_DISCIPLINED: "persons_disciplined",
    CorrectableField.FUNDS_RECOVERED: "funds_recovered",
}

_SCOPE = """
WITH RECURSIVE scope(tenant_id) AS (
    SELECT %(tenant_id)s::uuid WHERE %(tenant_id)s::uuid IS NOT NULL
    UNION
    SELECT t.tenant_id FROM rm_stat_tenants t JOIN scope s ON t.parent_id = s.tenant_id
)
"""
_IN_SCOPE = (
    "(%(tenant_id)s::uuid IS NULL OR x.tenant_id IN (SELECT tenant_id FROM scope) "
    "OR x.unit_owner_id IN (SELECT tenant_id FROM scope))"
)
_CLUE_IN_SCOPE = "(%(tenant_id)s::uuid IS NULL OR x.tenant_id IN (SELECT tenant_id FROM scope))"
_FILTERS = (
    "(%(round_id)s::uuid IS NULL OR x.round_id = %(round_id)s) "
    "AND (%(category)s::text IS NULL OR x.category = %(category)s)"
)
_IN_PERIOD = "(%(start)s::date IS NULL OR {day} >= %(start)s) AND {day} <= %(end)s"

_PROBLEMS = f"""{_SCOPE}
SELECT x.category, count(*) FROM rm_stat_problems x
WHERE {_IN_SCOPE} AND {_FILTERS} AND {_IN_PERIOD.format(day="x.found_on")}
GROUP BY x.category
"""  # noqa: S608
_TASKS = f"""{_SCOPE}
SELECT x.category, x.level, x.systemic, count(*),
       count(*) FILTER (WHERE x.verified_on <= %(end)s)
FROM rm_stat_tasks x
WHERE {_IN_SCOPE} AND {_FILTERS}
  AND {_IN_PERIOD.format(day="least(x.due_on, x.verified_on)")}
GROUP BY x.category, x.level, x.systemic
"""  # noqa: S608
_BALLOTS = f"""{_SCOPE}
SELECT x.category, sum(b.satisfied), sum(b.basically_satisfied), sum(b.dissatisfied)
FROM rm_stat_ballots b JOIN rm_stat_tasks x ON x.task_id = b.task_id
WHERE {_IN_SCOPE} AND {_FILTERS} AND {_IN_PERIOD.format(day="b.held_on")} AND NOT x.systemic
GROUP BY x.category
"""  # noqa: S608
_CLUES = f"""{_SCOPE}
SELECT x.category, count(*), count(*) FILTER (WHERE x.concluded_on <= %(end)s),
       coalesce(sum(x.funds_recovered) FILTER (WHERE x.concluded_on <= %(end)s), 0),
       coalesce(sum(x.persons_disciplined) FILTER (WHERE x.concluded_on <= %(end)s), 0)
FROM rm_stat_clues x
WHERE {_CLUE_IN_SCOPE} AND {_FILTERS} AND x.transferred_on IS NOT NULL
  AND {_IN_PERIOD.format(day="x.transferred_on")}
GROUP BY x.category
"""  # noqa: S608


def statistics(
    conn: Connection[Any],
    *,
    end: date,
    start: date | None = None,
    tenant_id: UUID | None = None,
    round_id: UUID | None = None,
    category: str | None = None,
) -> Statistics:
    """The figures of the period [start, end] in the scope given, in all and per category."""
    params = {
        "tenant_id": tenant_id,
        "round_id": round_id,
        "category": category,
        "start": start,
        "end": end,
    }
    by_category: dict[str, Figures] = defaultdict(Figures)
    for name, found in conn.execute(_PROBLEMS, params).fetchall():
        by_category[name].problems_found = found
    by_level: dict[tuple[str, bool], Figures] = defaultdict(Figures)
    for name, level, systemic, due, verified in conn.execute(_TASKS, params).fetchall():
        # a common problem's tasks count at their level only, apart from the units' own
        for figures in [by_level[(level, systemic)], *([] if systemic else [by_category[name]])]:
            figures.tasks_due += due
            figures.tasks_verified += verified
    for name, satisfied, basically, dissatisfied in conn.execute(_BALLOTS, params).fetchall():
        figures = by_category[name]
        figures.ballots_satisfied = int(satisfied)
        figures.ballots_basically_satisfied = int(basically)
        figures.ballots_dissatisfied = int(dissatisfied)
    for name, transferred, concluded, funds, persons in conn.execute(_CLUES, params).fetchall():
        figures = by_category[name]
        figures.clues_transferred, figures.clues_concluded = transferred, concluded
        figures.funds_recovered, figures.persons_held_accountable = Decimal(funds), int(persons)
    total = Figures()
    for figures in by_category.values():
        total.add(figures)
    return Statistics(
        total=total,
        by_category=dict(sorted(by_category.items())),
        by_level=dict(sorted(by_level.items())),
    )
