"""Batch submission for county teams (`POST /api/v1/tenants/{tenantId}/submissions`).

A batch is a list of commands — the GraphQL mutations, same names and input fields (see
services/submissions/commands.py) — each with a `clientId` the client generates. Items run in
order, each as its own command through the services, as the caller: an accepted item is
committed with its log position and the id it wrote, a rejected one writes nothing and says
why (code, message, rule). A later item may name a clue registered by an earlier item — of this
batch or an earlier one — by `clueRef` (that item's clientId).

How it is fast: the batch holds its writes (infrastructure/held_writes.py). What its items read
(the office, units, configuration) is loaded once for the batch; what they record is saved in
chunks of about `CHUNK_EVENTS` events, each chunk one transaction with the items' receipts
(services/submissions/ledger.py). A clue a batch registers gets its id from (office, clientId),
so a later item can refer to it before its chunk is saved. Should a chunk's save fail because
another writer changed one of its aggregates meanwhile, its items run again one at a time, each
answered on its own.

Idempotency: the same item sent again is answered from its receipt and runs nothing; the same
clientId with a different command is refused with CONFLICT. Work on one (office, clientId) is
serialised by advisory locks held for the batch."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from domain.configuration.configuration import configuration_id_for
from domain.context import acting_as
from domain.errors import Conflict, Forbidden, NotFound, XunChaError
from domain.labels import label_of
from domain.messages import message_zh
from infrastructure import held_writes
from infrastructure.held_writes import HeldWrites
from services.authorization import AUDITOR, Acting
from services.runtime import Runtime
from services.submissions import ledger
from services.submissions.commands import BATCH_COMMANDS
from services.submissions.inputs import CommandInput, invalid

CHUNK_EVENTS = 200  # saved in one transaction; a bigger chunk holds the table lock longer
CLUE_IDS = uuid.UUID("6f1d3c52-8e4a-4f0b-9a53-2b9e7d4c1a01")  # namespace of derived clue ids


@dataclass(frozen=True)
class Item:
    client_id: str
    command: str
    input: dict[str, Any]

    @cached_property
    def fingerprint(self) -> str:
        canonical = json.dumps(
            {"command": self.command, "input": self.input},
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


def clue_id_for(tenant_id: UUID, client_id: str) -> UUID:
    """The id of the clue a batch item registers: the same however often it is sent."""
    return uuid.uuid5(CLUE_IDS, f"{tenant_id}/{client_id}")


@dataclass
class Answer:
    """One item's outcome, and what its receipt records."""

    item: Item
    outcome: dict[str, Any]
    marks: list[tuple[UUID, int]] = field(default_factory=list)  # (stream, version) written

    @property
    def accepted(self) -> bool:
        return bool(self.outcome["status"] == "ACCEPTED")

    def receipt(self) -> ledger.NewReceipt:
        last = self.marks[-1] if self.marks else None
        return ledger.NewReceipt(
            self.item.client_id, self.item.command, self.item.fingerprint, self.outcome, last
        )


def accepted(aggregate_id: UUID) -> dict[str, Any]:
    return {"status": "ACCEPTED", "id": str(aggregate_id), "position": None}


def rejected(error: XunChaError) -> dict[str, Any]:
    details = error.details
    return {
        "status": "REJECTED",
        "error": {
            "code": error.code.value,
            "label": label_of(error.code),
            "message": _storable(error.message),
            "message_zh": _storable(message_zh(error)),
            "rule": _storable(details.get("rule")),
            "field": _storable(details.get("field")),
        },
    }


def _storable(text: Any) -> str | None:
    """`text` as PostgreSQL can keep it (no NUL character): messages may quote input."""
    return None if text is None else str(text).replace("\x00", "\ufffd")


def require_submitter(runtime: Runtime, acting: Acting, tenant_id: UUID) -> None:
    """Refuse unless `acting` may submit for office `tenant_id`: a writing role of the office
    or of its city. An office the caller may not submit for, and one that does not exist,
    get the same FORBIDDEN, so a refusal never confirms that another tenant exists."""
    if acting.role == AUDITOR:
        raise Forbidden("An auditor reads; it submits nothing")
    refused = Forbidden(f"The caller may not submit for office {tenant_id}")
    try:
        office = runtime.tenants.tenant(tenant_id)
    except NotFound:
        if acting.deployment_wide:
            raise
        raise refused from None
    if not acting.deployment_wide and acting.tenant_id not in {office.id, office.parent_id}:
        raise refused


class Batch:
    """One batch in flight: the caller, the office, and the clues its items registered so far
    (for `clueRef`)."""

    def __init__(self, runtime: Runtime, subject: str, acting: Acting, tenant_id: UUID) -> None:
        self.runtime = runtime
        self.subject = subject
        self.acting = acting
        self.tenant_id = tenant_id
        self.refs: dict[str, UUID] = {}

    def run(self, items: Sequence[Item]) -> list[dict[str, Any]]:
        """Each item's outcome, in order."""
        client_ids = [item.client_id for item in items]
        with self.runtime.reads.connection() as conn:
            ledger.lock(conn, self.tenant_id, client_ids)
            try:
                wanted = client_ids + [r for r in map(_clue_ref, items) if r is not None]
                receipts = ledger.find(
                    conn, self.runtime.store.events_table, self.tenant_id, wanted
                )
                return self._answer(items, receipts)
            finally:
                ledger.unlock(conn)

    def _answer(
        self, items: Sequence[Item], receipts: dict[str, ledger.Receipt]
    ) -> list[dict[str, Any]]:
        self._remember(receipts)
        answers: list[Answer] = []
        chunk: list[Answer] = []
        with held_writes.holding(self.runtime.store) as held:
            held.preload(self._named(items, receipts))
            for item in items:
                known = receipts.get(item.client_id)
                if known is not None:
                    answers.append(Answer(item, _from_receipt(item, known)))
                    continue
                answer = self._run(held, item)
                answers.append(answer)
                chunk.append(answer)
                receipts[item.client_id] = ledger.Receipt(
                    item.client_id, item.command, item.fingerprint, answer.outcome
                )
                if len(held.events) >= CHUNK_EVENTS or (
                    not answer.accepted and held.forget_unrecorded()
                ):
                    self._save(held, chunk)
                    chunk = []
            self._save(held, chunk)
        return [a.outcome for a in answers]

    def _named(self, items: Sequence[Item], receipts: dict[str, ledger.Receipt]) -> set[UUID]:
        """What the items will read or create: the office and its configuration, the
        aggregates their inputs name, the clues they would register."""
        # The office's configuration, even when it has none: each item asks for it.
        named = {self.tenant_id, configuration_id_for(self.tenant_id)} | set(self.refs.values())
        for item in items:
            named.update(_ids_in(item.input))
            if item.command == "registerClue" and item.client_id not in receipts:
                named.add(clue_id_for(self.tenant_id, item.client_id))
        return named

    def _run(self, held: HeldWrites, item: Item) -> Answer:
        """Carry out one item with its writes held; its answer (accepted: position to come)."""
        held.begin_item()
        command = BATCH_COMMANDS[item.command]
        try:
            given = command.input.model_validate(item.input)
            target = given.target(self.tenant_id, self.refs)
            derived = self._derived_id(item, given)
            with acting_as(self.subject):
                written = command.run(self.runtime, self.acting, given, target, derived)
        except ValidationError as error:
            return Answer(item, rejected(invalid(error)))
        except XunChaError as error:
            return Answer(item, rejected(error))
        if item.command == "registerClue":
            self.refs[item.client_id] = written.id
        return Answer(item, accepted(written.id), list(held.item_marks))

    def _derived_id(self, item: Item, given: CommandInput) -> UUID | None:
        if given.derives is None:
            return None
        return clue_id_for(self.tenant_id, item.client_id)

    def _save(self, held: HeldWrites, chunk: list[Answer]) -> None:
        """Save the chunk's events with its receipts; if another writer got in the way, run
        its items again one at a time."""
        if chunk and self._flush(held, chunk) is not None:
            self._again_one_by_one(held, chunk)

    def _flush(self, held: HeldWrites, answers: list[Answer]) -> Conflict | None:
        """Save the held events with the answers' receipts and give the accepted ones their
        positions; the conflict, if another writer got in the way (then nothing was saved)."""
        alongside = ledger.receipts(self.tenant_id, self.subject, [a.receipt() for a in answers])
        try:
            positions = held.flush([alongside])
        except Conflict as conflict:
            return conflict
        for answer in answers:
            if answer.accepted:
                answer.outcome["position"] = self._position(answer, positions)
        return None

    def _position(self, answer: Answer, positions: dict[tuple[UUID, int], int]) -> int:
        written = [positions[mark] for mark in answer.marks if mark in positions]
        return max(written) if written else self.runtime.store.max_position()

    def _again_one_by_one(self, held: HeldWrites, chunk: list[Answer]) -> None:
        """Nothing of `chunk` was written: run each item alone, its answer replacing the one
        the chunk had given it."""
        for answer in chunk:
            if answer.item.command == "registerClue":
                self.runtime.clues.informants.discard(
                    clue_id_for(self.tenant_id, answer.item.client_id)
                )
        for answer in chunk:
            again = self._run(held, answer.item)
            conflict = self._flush(held, [again])
            if conflict is not None:
                again = Answer(answer.item, rejected(conflict))
                self._flush(held, [again])
            answer.outcome.clear()  # in place: a repeat of the item in this batch shares it
            answer.outcome.update(again.outcome)
            answer.marks = again.marks

    def _remember(self, receipts: dict[str, ledger.Receipt]) -> None:
        """Make clues registered by items of earlier batches referable by their clientId."""
        for client_id, receipt in receipts.items():
            outcome = receipt.outcome or {}
            if receipt.command == "registerClue" and outcome.get("status") == "ACCEPTED":
                self.refs[client_id] = UUID(outcome["id"])


def _ids_in(given: dict[str, Any]) -> Iterator[UUID]:
    for value in given.values():
        if isinstance(value, str) and len(value) == 36:
            try:
                yield UUID(value)
            except ValueError:
                continue


def _clue_ref(item: Item) -> str | None:
    """The clientId the item refers to, if it could name one (its input is validated later)."""
    ref = item.input.get("clueRef")
    return ref if isinstance(ref, str) and "\x00" not in ref and len(ref) <= 100 else None


def _from_receipt(item: Item, receipt: ledger.Receipt) -> dict[str, Any]:
    if receipt.fingerprint != item.fingerprint:
        return rejected(
            Conflict(
                f"clientId {item.client_id!r} was already used for another {receipt.command} "
                "command; give each command its own clientId"
            )
        )
    if receipt.outcome is None:
        return rejected(
            Conflict(
                f"clientId {item.client_id!r} was interrupted under an earlier version of "
                "XunCha; check the log for its write and resubmit it under a new clientId"
            )
        )
    return receipt.outcome
