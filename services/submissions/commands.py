"""The commands, as one table: each command's name (its GraphQL mutation's), its input model
(services/submissions/inputs.py, office_inputs.py: the one declaration of its fields), the
event it records on its aggregate, the service call that carries it out as the acting
principal, and whether a batch submission may hold it. The arguments are made the same way for
every command and on both surfaces (`Command.run`): the input's fields, nested parts as domain
values, the target in its field, a few fields renamed to the service's keyword. Adding a
command is one entry here (and its input model); its GraphQL mutation is made from it
(graphql_schema/commands.py).

In a batch, a clue command may name its clue by `clueRef`, the `clientId` of an earlier item
that registered it, instead of `clueId`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.accounts.account import Account
from domain.audit.report import Report
from domain.clues.clue import Clue
from domain.comparison.candidate import Candidate
from domain.comparison.dataset import Dataset
from domain.comparison.model import ComparisonModel
from domain.comparison.run import ComparisonRun
from domain.documents.register import DocumentRegister
from domain.groups.group import InspectionGroup
from domain.groups.zone import Zone
from domain.inspectors.inspector import Inspector
from domain.rectification.common_problem import CommonProblem
from domain.rectification.feedback import Feedback
from domain.rectification.task import Task
from domain.rounds.round import Round
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit
from projections import directory
from services.authorization import Acting
from services.reads import ReadSession
from services.results import Written
from services.runtime import Runtime
from services.submissions.comparison_inputs import (
    CancelComparisonInput,
    DefineComparisonModelInput,
    DeleteDatasetInput,
    DismissCandidateInput,
    PromoteCandidateInput,
    RunComparisonInput,
    StartComparisonInput,
    ViewCandidateEvidenceInput,
)
from services.submissions.document_inputs import IssueDocumentInput
from services.submissions.group_inputs import (
    ChangeGroupMembersInput,
    DefineZoneInput,
    FormInspectionGroupInput,
    PlanTownshipCrossBatchInput,
    RecordGuidanceVisitInput,
)
from services.submissions.inputs import (
    AcceptClueInput,
    AdvanceRoundPhaseInput,
    AssignInspectorInput,
    ClosePetitionChannelInput,
    CommandInput,
    ConcludeClueInput,
    CorrectClueInput,
    DeclareRecusalInput,
    GroupCommonProblemInput,
    OpenPetitionChannelInput,
    RecordFeedbackInput,
    RecordSatisfactionBallotsInput,
    RegisterClueInput,
    RegisterInspectorInput,
    ReportClueProgressInput,
    ReportTaskDoneInput,
    SuperviseClueInput,
    TransferClueInput,
    TriageClueInput,
    VerifyTaskInput,
)
from services.submissions.office_inputs import (
    AdoptChecklistInput,
    AmendPracticeInput,
    DeclareTermInput,
    DefineUnitClassesInput,
    EraseInformantInput,
    IssueReportInput,
    MergeCountyInput,
    OpenAccountInput,
    PlanCrossBatchInput,
    PlanRoundInput,
    RegisterTenantInput,
    RegisterUnitInput,
    RenameCountyInput,
    SetWarningChannelInput,
)

Service = Callable[[Runtime], Callable[..., Any]]  # the runtime's method for a command


@dataclass(frozen=True)
class Command:
    """One kind of command: its input model, the event it records on its aggregate (so the
    audit views name the command an event came from), its service method, the input fields
    the service names otherwise (input field -> service keyword), and whether a batch may
    hold it."""

    input: type[CommandInput]
    event: type[Any] | None
    service: Service
    renamed: Mapping[str, str] = field(default_factory=dict)
    batch: bool = True

    def run(
        self,
        runtime: Runtime,
        acting: Acting,
        given: CommandInput,
        target: UUID | None = None,
        derived: UUID | None = None,
    ) -> Any:
        """Carry out `given` through the service, as `acting`; on `target` when the batch
        resolved the aggregate (a `clueRef`, the path's office), else on the one it names;
        creating the aggregate with id `derived` when the batch derived one.
        Returns what the service does: `Written`, for the cross batches their `BatchWritten`."""
        made = given.arguments(target)
        if given.derives and derived:
            made[given.derives] = derived
        arguments = {self.renamed.get(name, name): value for name, value in made.items()}
        return self.service(runtime)(acting=acting, **arguments)


def merge_county(runtime: Runtime) -> Callable[..., Written]:
    """The merge of a county, with its units as the directory lists them now (read as the
    caller); the service refuses it should one have moved meanwhile."""

    def merge(*, acting: Acting, county_id: UUID, **given: Any) -> Written:
        runtime.wait_for_projections(runtime.store.max_position(), [directory.Directory.name])
        session = ReadSession(runtime.reads, acting, runtime.settings.read_statement_timeout_ms)
        with session.reading() as conn:
            units = [row.unit_id for row in directory.units_of(conn, county_id)]
        return runtime.tenants.merge_county(
            acting=acting, county_id=county_id, units=units, **given
        )

    return merge


COMMANDS: dict[str, Command] = {
    # clues
    "registerClue": Command(RegisterClueInput, Clue.Registered, lambda rt: rt.clues.register_clue),
    "triageClue": Command(TriageClueInput, Clue.Triaged, lambda rt: rt.clues.triage_clue),
    "transferClue": Command(
        TransferClueInput,
        Clue.Transferred,
        lambda rt: rt.clues.transfer_clue,
        renamed={"handling_body": "body"},
    ),
    "acceptClue": Command(AcceptClueInput, Clue.Accepted, lambda rt: rt.clues.accept_clue),
    "reportClueProgress": Command(
        ReportClueProgressInput, Clue.ProgressReported, lambda rt: rt.clues.report_clue_progress
    ),
    "concludeClue": Command(ConcludeClueInput, Clue.Concluded, lambda rt: rt.clues.conclude_clue),
    "superviseClue": Command(
        SuperviseClueInput, Clue.Supervised, lambda rt: rt.clues.supervise_clue
    ),
    "correctClue": Command(CorrectClueInput, Clue.Corrected, lambda rt: rt.clues.correct_clue),
    # rounds: stationing, petitions, the team
    "openPetitionChannel": Command(
        OpenPetitionChannelInput,
        Round.PetitionChannelOpened,
        lambda rt: rt.rounds.open_petition_channel,
        renamed={"opened_on": "on"},
    ),
    "closePetitionChannel": Command(
        ClosePetitionChannelInput,
        Round.PetitionChannelClosed,
        lambda rt: rt.rounds.close_petition_channel,
        renamed={"closed_on": "on"},
    ),
    "advanceRoundPhase": Command(
        AdvanceRoundPhaseInput, Round.PhaseAdvanced, lambda rt: rt.rounds.advance_round_phase
    ),
    "assignInspector": Command(
        AssignInspectorInput, Round.InspectorAssigned, lambda rt: rt.rounds.assign_inspector
    ),
    "declareRecusal": Command(
        DeclareRecusalInput,
        Round.RecusalDeclared,
        lambda rt: rt.rounds.declare_recusal,
        renamed={"declared_on": "on"},
    ),
    "registerInspector": Command(
        RegisterInspectorInput, Inspector.Registered, lambda rt: rt.inspectors.register_inspector
    ),
    # rectification
    "recordFeedback": Command(
        RecordFeedbackInput, Feedback.Recorded, lambda rt: rt.rectification.record_feedback
    ),
    "reportTaskDone": Command(
        ReportTaskDoneInput, Task.ReportedDone, lambda rt: rt.rectification.report_task_done
    ),
    "verifyTask": Command(VerifyTaskInput, Task.Verified, lambda rt: rt.rectification.verify_task),
    "recordSatisfactionBallots": Command(
        RecordSatisfactionBallotsInput,
        Task.BallotsRecorded,
        lambda rt: rt.rectification.record_satisfaction_ballots,
    ),
    # the office's own commands: GraphQL only
    "registerTenant": Command(
        RegisterTenantInput, Tenant.Registered, lambda rt: rt.tenants.register_tenant, batch=False
    ),
    "registerUnit": Command(
        RegisterUnitInput, Unit.Registered, lambda rt: rt.tenants.register_unit, batch=False
    ),
    "openAccount": Command(
        OpenAccountInput, Account.Opened, lambda rt: rt.accounts.open_account, batch=False
    ),
    "renameCounty": Command(
        RenameCountyInput, None, lambda rt: rt.tenants.rename_county, batch=False
    ),
    "mergeCounty": Command(MergeCountyInput, None, merge_county, batch=False),
    "defineUnitClasses": Command(
        DefineUnitClassesInput,
        None,
        lambda rt: rt.configuration.define_unit_classes,
        batch=False,
    ),
    "adoptChecklist": Command(
        AdoptChecklistInput, None, lambda rt: rt.configuration.adopt_checklist, batch=False
    ),
    "amendPractice": Command(
        AmendPracticeInput, None, lambda rt: rt.configuration.revise_practice, batch=False
    ),
    "declareTerm": Command(
        DeclareTermInput, None, lambda rt: rt.configuration.declare_term, batch=False
    ),
    "setWarningChannel": Command(
        SetWarningChannelInput,
        None,
        lambda rt: rt.configuration.set_warning_channel,
        batch=False,
    ),
    "planRound": Command(
        PlanRoundInput,
        Round.Planned,
        lambda rt: rt.rounds.plan_round,
        renamed={"revisit_of_round_id": "revisit_of"},
        batch=False,
    ),
    "planCrossBatch": Command(
        PlanCrossBatchInput, None, lambda rt: rt.rounds.plan_cross_batch, batch=False
    ),
    "formInspectionGroup": Command(
        FormInspectionGroupInput,
        InspectionGroup.Formed,
        lambda rt: rt.groups.form_group,
        batch=False,
    ),
    "changeGroupMembers": Command(
        ChangeGroupMembersInput,
        InspectionGroup.MembersChanged,
        lambda rt: rt.groups.change_group_members,
        batch=False,
    ),
    "defineZone": Command(
        DefineZoneInput, Zone.Defined, lambda rt: rt.groups.define_zone, batch=False
    ),
    "recordGuidanceVisit": Command(
        RecordGuidanceVisitInput,
        InspectionGroup.VisitRecorded,
        lambda rt: rt.guidance.record_guidance_visit,
        batch=False,
    ),
    "planTownshipCrossBatch": Command(
        PlanTownshipCrossBatchInput,
        None,
        lambda rt: rt.township_cross.plan_township_cross_batch,
        batch=False,
    ),
    "groupCommonProblem": Command(
        GroupCommonProblemInput,
        CommonProblem.Grouped,
        lambda rt: rt.rectification.group_common_problem,
        batch=False,
    ),
    "eraseInformant": Command(
        EraseInformantInput, None, lambda rt: rt.clues.erase_informant, batch=False
    ),
    "issueDocument": Command(
        IssueDocumentInput,
        DocumentRegister.DocumentIssued,
        lambda rt: rt.documents.issue_document,
        batch=False,
    ),
    # data comparison: the data clearance only
    "runComparison": Command(
        RunComparisonInput,
        ComparisonRun.Completed,
        lambda rt: rt.comparisons.run_comparison,
        batch=False,
    ),
    "startComparison": Command(
        StartComparisonInput, None, lambda rt: rt.comparison_jobs.start_comparison, batch=False
    ),
    "cancelComparison": Command(
        CancelComparisonInput, None, lambda rt: rt.comparison_jobs.cancel_comparison, batch=False
    ),
    "defineComparisonModel": Command(
        DefineComparisonModelInput,
        ComparisonModel.Defined,
        lambda rt: rt.comparison_models.define_model,
        batch=False,
    ),
    "deleteDataset": Command(
        DeleteDatasetInput, Dataset.Deleted, lambda rt: rt.datasets.delete_dataset, batch=False
    ),
    "dismissCandidate": Command(
        DismissCandidateInput,
        Candidate.Dismissed,
        lambda rt: rt.candidates.dismiss_candidate,
        batch=False,
    ),
    "promoteCandidate": Command(
        PromoteCandidateInput,
        Candidate.Promoted,
        lambda rt: rt.candidates.promote_candidate,
        batch=False,
    ),
    "viewCandidateEvidence": Command(
        ViewCandidateEvidenceInput,
        Candidate.EvidenceViewed,
        lambda rt: rt.candidates.view_candidate_evidence,
        batch=False,
    ),
    "issueReport": Command(
        IssueReportInput, Report.Issued, lambda rt: rt.reports.issue_report, batch=False
    ),
}

BATCH_COMMANDS: dict[str, Command] = {name: c for name, c in COMMANDS.items() if c.batch}
"""The commands a batch submission may hold: the field commands."""

_BY_TOPIC = {get_topic(c.event): name for name, c in COMMANDS.items() if c.event is not None}


def command_of(topic: str) -> str | None:
    """The command that records events of `topic`, if one does."""
    return _BY_TOPIC.get(topic)
