"""The input of `issueDocument` (services/documents/service.py): one official document (公文)
made from the events and issued under the office's next number."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from domain.documents.values import DocumentKind
from services.submissions.inputs import CommandInput, Dated


class IssueDocumentInput(CommandInput, Dated):
    """Issue an official document (公文) made from the events — 巡察反馈意见, 问题线索移交函,
    督办函 / 提醒函 / 约谈通知, 整改台账 (.xlsx), 整改情况报告模板 — under the issuing office's
    next number of the year (DocumentIssued, with the SHA-256 of the bytes). occurredOn is
    its date (成文日期)."""

    aims_at = "subject_id"

    kind: DocumentKind
    subject_id: UUID = Field(
        description="The clue (transfer and supervision letters) or the feedback (feedback, "
        "ledger, report template) it is about."
    )
    recipient: str | None = Field(
        None,
        max_length=200,
        description="主送机关; default: the clue's handling body, the feedback's addressee.",
    )
