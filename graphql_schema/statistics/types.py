from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.comparison.types import ComparisonModelFigures
from graphql_schema.rectification.types import FeedbackLevel


class FigureBallots(graphene.ObjectType):
    satisfied = graphene.Int(required=True, description="满意")
    basically_satisfied = graphene.Int(required=True, description="基本满意")
    dissatisfied = graphene.Int(required=True, description="不满意")
    total = graphene.Int(required=True)


class Figures(graphene.ObjectType):
    """The figures an office reports. A rate is null when its denominator is 0."""

    problems_found = graphene.Int(required=True)
    tasks_due = graphene.Int(
        required=True,
        description="Tasks whose due date, or earlier verification, falls in the period.",
    )
    tasks_verified = graphene.Int(required=True, description="Of those, verified by its end.")
    rectification_rate = graphene.Float(description="整改完成率 = tasksVerified ÷ tasksDue.")
    clues_transferred = graphene.Int(required=True, description="First transferred in the period.")
    clues_concluded = graphene.Int(required=True, description="Of those, concluded by its end.")
    transfer_completion_rate = graphene.Float(
        description="移交问题线索办结率 = cluesConcluded ÷ cluesTransferred."
    )
    funds_recovered = graphene.Decimal(
        required=True, description="挽回经济损失 (CNY) of the concluded clues."
    )
    persons_held_accountable = graphene.Int(
        required=True, description="Persons disciplined by the concluded clues."
    )
    ballots = graphene.Field(FigureBallots, required=True, description="Revisits in the period.")
    satisfaction_rate = graphene.Float(
        description="群众满意率 = (satisfied + basicallySatisfied) ÷ ballots."
    )

    @staticmethod
    def resolve_ballots(figures: Any, _info: GraphQLResolveInfo) -> FigureBallots:
        return FigureBallots(
            satisfied=figures.ballots_satisfied,
            basically_satisfied=figures.ballots_basically_satisfied,
            dissatisfied=figures.ballots_dissatisfied,
            total=figures.ballots,
        )


class CategoryFigures(graphene.ObjectType):
    category = graphene.String(required=True)
    figures = graphene.Field(Figures, required=True)


class LevelStatistics(graphene.ObjectType):
    """Tasks due and verified in the period at one level owning them (四级反馈); `systemic`
    separates the tasks of common problems (面上共性问题) from the units' own."""

    level = graphene.Field(FeedbackLevel, required=True)
    systemic = graphene.Boolean(required=True)
    tasks_due = graphene.Int(required=True)
    tasks_verified = graphene.Int(required=True)
    rectification_rate = graphene.Float(description="整改完成率 = tasksVerified ÷ tasksDue.")


class Statistics(graphene.ObjectType):
    """`total` and `byCategory` count the units' own problems and tasks; common problems'
    tasks are in `byLevel` only, apart."""

    period_from = graphene.Date(name="from")
    period_to = graphene.Date(name="to", required=True)
    total = graphene.Field(Figures, required=True)
    by_category = graphene.List(graphene.NonNull(CategoryFigures), required=True)
    by_level = graphene.List(graphene.NonNull(LevelStatistics), required=True)
    by_comparison_model = graphene.List(
        graphene.NonNull(ComparisonModelFigures),
        required=True,
        description="Data comparison per model, all time (the period does not apply): runs, "
        "hits, candidates, promoted and concluded clues.",
    )
