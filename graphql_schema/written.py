"""The payload every mutation returns: what it wrote and where in the log."""

from __future__ import annotations

import graphene

from services.results import Written


class WriteResult(graphene.ObjectType):
    id = graphene.ID(required=True, description="The aggregate the command wrote.")
    position = graphene.BigInt(
        required=True,
        description="Log position of the last event written; pass it as `minPosition` or "
        "the X-XunCha-Min-Position header to read your own write.",
    )

    @staticmethod
    def of(written: Written) -> WriteResult:
        return WriteResult(id=str(written.id), position=written.position)
