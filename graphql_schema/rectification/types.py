from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.rectification.values import BallotChannel as DomainBallotChannel
from domain.rectification.values import FeedbackLevel as DomainFeedbackLevel
from domain.rectification.values import ItemKind as DomainItemKind
from domain.rectification.values import TaskStatus as DomainTaskStatus
from graphql_schema.dataloaders import load_unit
from graphql_schema.labels import labelled_enum
from graphql_schema.tenants.types import DisclosureExemption, Unit

RectificationItemKind = labelled_enum(DomainItemKind, name="RectificationItemKind")
RectificationTaskStatus = labelled_enum(DomainTaskStatus, name="RectificationTaskStatus")
BallotChannel = labelled_enum(DomainBallotChannel, name="BallotChannel")
FeedbackLevel = labelled_enum(DomainFeedbackLevel, name="FeedbackLevel")


class Feedback(graphene.ObjectType):
    """The feedback (反馈) a round gave to one addressee: an inspected unit, or at another
    level (四级反馈) a township committee, a county committee or a department."""

    id = graphene.ID(required=True)
    tenant_id = graphene.ID(required=True, description="The office that gave the feedback.")
    round_id = graphene.ID(required=True)
    level = graphene.Field(FeedbackLevel, required=True)
    addressee_id = graphene.ID(
        required=True, description="The unit addressed, or for a county committee its office."
    )
    unit = graphene.Field(Unit, description="The unit addressed (none for a county committee).")
    given_on = graphene.Date(required=True)
    report = graphene.String(required=True)
    report_due_on = graphene.Date(
        required=True, description="When the rectification report is due (整改报告)."
    )
    recorded_by = graphene.String(required=True)

    @staticmethod
    def resolve_id(row: Any, _info: GraphQLResolveInfo) -> str:
        return str(row.feedback_id)

    @staticmethod
    def resolve_addressee_id(row: Any, _info: GraphQLResolveInfo) -> str:
        return str(row.unit_id)

    @staticmethod
    def resolve_unit(row: Any, info: GraphQLResolveInfo) -> Any:
        return load_unit(info, row.unit_id)


class RectificationItem(graphene.ObjectType):
    """A line of the problem list (问题清单) or the responsibility list (责任清单)."""

    id = graphene.ID(required=True)
    feedback_id = graphene.ID(required=True)
    round_id = graphene.ID(required=True)
    unit = graphene.Field(Unit)
    kind = graphene.Field(RectificationItemKind, required=True)
    key = graphene.String(required=True)
    refers_to = graphene.ID(description="A responsibility's task.")
    text = graphene.String(required=True)
    category = graphene.String(required=True)
    immediate = graphene.Boolean(required=True, description="立行立改 during stationing.")
    withheld_because = graphene.List(
        graphene.NonNull(DisclosureExemption),
        required=True,
        description="Why the line may not be disclosed; empty when it may be.",
    )
    responsible_leader = graphene.String()
    responsible_department = graphene.String()
    deadline = graphene.Date()
    owner_level = graphene.Field(
        FeedbackLevel, description="The level owning the fix, when not the feedback's addressee."
    )
    owner_id = graphene.ID(description="The addressee owning the fix at ownerLevel.")
    status = graphene.Field(
        RectificationTaskStatus,
        description="The least advanced status of the tasks the line covers.",
    )

    @staticmethod
    def resolve_id(row: Any, _info: GraphQLResolveInfo) -> str:
        return str(row.item_id)

    @staticmethod
    def resolve_withheld_because(row: Any, _info: GraphQLResolveInfo) -> list[str]:
        return list(row.restrictions)

    @staticmethod
    def resolve_unit(row: Any, info: GraphQLResolveInfo) -> Any:
        return load_unit(info, row.unit_id)


class Ballots(graphene.ObjectType):
    satisfied = graphene.Int(required=True, description="满意")
    basically_satisfied = graphene.Int(required=True, description="基本满意")
    dissatisfied = graphene.Int(required=True, description="不满意")
    revisits = graphene.Int(required=True, description="How many revisits (回访) recorded them.")


class RectificationTask(graphene.ObjectType):
    """A line of the task list (任务清单) with its responsibility and progress."""

    id = graphene.ID(required=True)
    feedback_id = graphene.ID(required=True)
    round_id = graphene.ID(required=True)
    unit = graphene.Field(Unit)
    problem_id = graphene.ID(required=True)
    level = graphene.Field(
        FeedbackLevel, required=True, description="The level owning the task (四级反馈)."
    )
    addressee_id = graphene.ID(required=True, description="The addressee owning the task.")
    key = graphene.String(required=True)
    category = graphene.String(required=True)
    measure = graphene.String(required=True)
    immediate = graphene.Boolean(required=True)
    withheld_because = graphene.List(graphene.NonNull(DisclosureExemption), required=True)
    responsible_leader = graphene.String()
    responsible_department = graphene.String()
    due_on = graphene.Date(required=True)
    status = graphene.Field(RectificationTaskStatus, required=True)
    overdue = graphene.Boolean(required=True, description="Not verified by its due date.")
    evidence = graphene.String()
    done_on = graphene.Date()
    verified_on = graphene.Date()
    verified_by = graphene.String()
    ballots = graphene.Field(Ballots, required=True)
    version = graphene.Int(required=True, description="Pass as `expectedVersion`.")

    @staticmethod
    def resolve_id(row: Any, _info: GraphQLResolveInfo) -> str:
        return str(row.task_id)

    @staticmethod
    def resolve_withheld_because(row: Any, _info: GraphQLResolveInfo) -> list[str]:
        return list(row.restrictions)

    @staticmethod
    def resolve_unit(row: Any, info: GraphQLResolveInfo) -> Any:
        return load_unit(info, row.unit_id)

    @staticmethod
    def resolve_ballots(row: Any, _info: GraphQLResolveInfo) -> Ballots:
        return Ballots(
            satisfied=row.satisfied,
            basically_satisfied=row.basically_satisfied,
            dissatisfied=row.dissatisfied,
            revisits=row.revisits,
        )


class SystemicTask(graphene.ObjectType):
    """A task of a common problem, reported done and verified like any other task."""

    id = graphene.ID(required=True)
    key = graphene.String(required=True)
    measure = graphene.String(required=True)
    due_on = graphene.Date(required=True)
    status = graphene.Field(RectificationTaskStatus, required=True)
    overdue = graphene.Boolean(required=True, description="Not verified by its due date.")
    evidence = graphene.String()
    done_on = graphene.Date()
    verified_on = graphene.Date()
    version = graphene.Int(required=True, description="Pass as `expectedVersion`.")

    @staticmethod
    def resolve_id(row: Any, _info: GraphQLResolveInfo) -> str:
        return str(row.task_id)


class GroupedProblem(graphene.ObjectType):
    problem_id = graphene.ID(required=True)
    feedback_id = graphene.ID(required=True)
    round_id = graphene.ID(required=True)
    unit = graphene.Field(Unit)

    @staticmethod
    def resolve_unit(row: Any, info: GraphQLResolveInfo) -> Any:
        return load_unit(info, row.unit_id)


class CommonProblem(graphene.ObjectType):
    """A common problem (面上共性问题): problems of several units of a round or a term,
    grouped into one systemic item fed back to a department or a county committee."""

    id = graphene.ID(required=True)
    tenant_id = graphene.ID(required=True, description="The office that grouped it.")
    key = graphene.String(required=True)
    category = graphene.String(required=True)
    text = graphene.String(required=True)
    level = graphene.Field(FeedbackLevel, required=True)
    addressee_id = graphene.ID(required=True)
    addressee = graphene.Field(Unit, description="The department (none for a county committee).")
    round_id = graphene.ID(description="The round grouped, if it groups one round.")
    term = graphene.String(description="The committee term grouped, if it groups a term.")
    given_on = graphene.Date(required=True)
    problems = graphene.List(graphene.NonNull(GroupedProblem), required=True)
    tasks = graphene.List(graphene.NonNull(SystemicTask), required=True)

    @staticmethod
    def resolve_id(row: Any, _info: GraphQLResolveInfo) -> str:
        return str(row.common_problem_id)

    @staticmethod
    def resolve_addressee(row: Any, info: GraphQLResolveInfo) -> Any:
        return load_unit(info, row.addressee_id)


class LevelFigures(graphene.ObjectType):
    """整改完成率 of the tasks owned at one level: verified ÷ due (null when none is due).
    `systemic` separates common problems' tasks from the units' own."""

    level = graphene.Field(FeedbackLevel, required=True)
    systemic = graphene.Boolean(required=True, description="Tasks of common problems.")
    tasks = graphene.Int(required=True)
    tasks_due = graphene.Int(required=True, description="Due, or verified early, by today.")
    tasks_verified = graphene.Int(required=True)
    overdue = graphene.Int(required=True)
    rectification_rate = graphene.Float()


class Rectification(graphene.ObjectType):
    """The lists of a round's or an office's feedback. Results (成效清单) and archive
    (档案清单) are views over the task list: tasks done, and tasks verified and closed.
    Common problems and their tasks are listed apart; `byLevel` gives the rates per level
    owning the tasks, systemic items apart."""

    feedbacks = graphene.List(graphene.NonNull(Feedback), required=True)
    problems = graphene.List(graphene.NonNull(RectificationItem), required=True)
    tasks = graphene.List(graphene.NonNull(RectificationTask), required=True)
    responsibilities = graphene.List(graphene.NonNull(RectificationItem), required=True)
    results = graphene.List(graphene.NonNull(RectificationTask), required=True)
    archive = graphene.List(graphene.NonNull(RectificationTask), required=True)
    common_problems = graphene.List(graphene.NonNull(CommonProblem), required=True)
    by_level = graphene.List(graphene.NonNull(LevelFigures), required=True)
