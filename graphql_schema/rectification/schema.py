from __future__ import annotations

import graphene

from graphql_schema.rectification.mutations.record_feedback import RecordFeedback
from graphql_schema.rectification.mutations.record_satisfaction_ballots import (
    RecordSatisfactionBallots,
)
from graphql_schema.rectification.mutations.report_task_done import ReportTaskDone
from graphql_schema.rectification.mutations.verify_task import VerifyTask
from graphql_schema.rectification.queries import RectificationQueries


class RectificationMutations(graphene.ObjectType):
    record_feedback = RecordFeedback.Field()
    report_task_done = ReportTaskDone.Field()
    verify_task = VerifyTask.Field()
    record_satisfaction_ballots = RecordSatisfactionBallots.Field()


__all__ = ["RectificationMutations", "RectificationQueries"]
