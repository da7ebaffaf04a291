from __future__ import annotations

import graphene

from graphql_schema.clues.mutations.accept_clue import AcceptClue
from graphql_schema.clues.mutations.conclude_clue import ConcludeClue
from graphql_schema.clues.mutations.correct_clue import CorrectClue
from graphql_schema.clues.mutations.erase_informant import EraseInformant
from graphql_schema.clues.mutations.register_clue import RegisterClue
from graphql_schema.clues.mutations.report_clue_progress import ReportClueProgress
from graphql_schema.clues.mutations.supervise_clue import SuperviseClue
from graphql_schema.clues.mutations.transfer_clue import TransferClue
from graphql_schema.clues.mutations.triage_clue import TriageClue
from graphql_schema.clues.queries import ClueQueries


class ClueMutations(graphene.ObjectType):
    register_clue = RegisterClue.Field()
    triage_clue = TriageClue.Field()
    transfer_clue = TransferClue.Field()
    accept_clue = AcceptClue.Field()
    report_clue_progress = ReportClueProgress.Field()
    conclude_clue = ConcludeClue.Field()
    supervise_clue = SuperviseClue.Field()
    correct_clue = CorrectClue.Field()
    erase_informant = EraseInformant.Field()


__all__ = ["ClueMutations", "ClueQueries"]
