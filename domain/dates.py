"""The date written on a document (occurredOn) and the rules every field command applies to
it. Field teams record after the fact, so the date a command carries is the document's, not
the day it is entered; the moment it was entered is the database's (see docs/AUDIT.md).

A document date is refused when it lies in the future (today is the offices' day in China),
before the thing the command acts on began, or before the previous step of the same clue,
task or round. Each refusal names the field and its rule; a date in the future is
VALIDATION_FAILED (bad input), the others RULE_VIOLATION."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from domain.errors import RuleViolation, ValidationFailed

CHINA = timezone(timedelta(hours=8), "CST")  # China Standard Time; no daylight saving since 1991
OCCURRED_ON = "occurredOn"


def china_day(moment: datetime) -> date:
    """The Beijing date of an instant (a naive instant is UTC, as eventsourcing's are)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA).date()


def occurred_on(given: date | None, today: date, field: str = OCCURRED_ON) -> date:
    """The document date: `given`, or today when none is given; a day still to come is
    refused, since a document cannot be dated after the day it is entered."""
    if given is None:
        return today
    if given > today:  # bad input rather than a broken rule, as it always was
        raise ValidationFailed(
            f"{field} {given.isoformat()} is in the future (today in China is {today.isoformat()})",
            field=field,
            rule="OCCURRED_ON_IN_FUTURE",
            on=given.isoformat(),
            today=today.isoformat(),
        )
    return given


def not_before_start(on: date, began: date | None, what: str, field: str = OCCURRED_ON) -> None:
    """Refuse a document dated before `what` began (on `began`)."""
    if began is not None and on < began:
        raise RuleViolation(
            "OCCURRED_ON_BEFORE_START",
            f"{field} {on.isoformat()} is before {what} began on {began.isoformat()}",
            field=field,
            on=on.isoformat(),
            began=began.isoformat(),
        )


def not_before_previous(
    on: date, previous: date | None, what: str, field: str = OCCURRED_ON
) -> None:
    """Refuse a document dated before the previous step of the same `what`."""
    if previous is not None and on < previous:
        raise RuleViolation(
            "OCCURRED_ON_BEFORE_PREVIOUS_STEP",
            f"{field} {on.isoformat()} is before the previous step of {what}, dated "
            f"{previous.isoformat()}",
            field=field,
            on=on.isoformat(),
            previous=previous.isoformat(),
        )
