"""A recorded moment an auditor asks a view at (`asOf`): what the office knew then, by the
database's recorded time of the events, not by the dates on their documents. Only a moment
with a past can be asked: none still to come, none before the first event was recorded."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.errors import ValidationFailed

AS_OF = "asOf"


def position_as_of(
    moment: datetime, position: int | None, now: datetime, first: datetime | None
) -> int:
    """The log position a view asked `asOf` `moment` is read at: `position`, the last event
    recorded at or before it, given the present time `now` and the first recorded time."""
    at = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if at > now:
        raise ValidationFailed(
            f"{AS_OF} {at.isoformat()} is in the future (now is {now.isoformat()})",
            field=AS_OF,
            rule="AS_OF_IN_FUTURE",
            at=at.isoformat(),
            now=now.isoformat(),
        )
    if position is None or first is None or at < first:
        began = "nothing was recorded yet" if first is None else f"from {first.isoformat()}"
        raise ValidationFailed(
            f"{AS_OF} {at.isoformat()} is before the first recorded event ({began})",
            field=AS_OF,
            rule="AS_OF_BEFORE_FIRST_EVENT",
            at=at.isoformat(),
            first=None if first is None else first.isoformat(),
        )
    return position
