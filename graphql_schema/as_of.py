"""The `asOf` argument every read view takes: the view as recorded at a past moment."""

from __future__ import annotations

from datetime import date, datetime

import graphene

from domain.dates import china_day
from services.clock import today_in_china

AS_OF_ARGUMENT = graphene.DateTime(
    description=(
        "The view as it stood at this recorded moment (the database's time of recording the "
        "events, not the documents' dates), read with the caller's present authorization. "
        "Not in the future, not before the first event."
    )
)


def day_of(as_of: datetime | None) -> date:
    """The business day a view judges on when none is given: the day (in China) of the
    moment asked about, today when none."""
    return today_in_china() if as_of is None else china_day(as_of)


# Where a view's `asOf` already names a business day (the round lists, coverage), the
# recorded moment is asked as `recordedAsOf`.
RECORDED_AS_OF_ARGUMENT = graphene.DateTime(
    description=(
        "The view as it stood at this recorded moment (see clueLedger's asOf); this view's "
        "asOf is the business day its figures are judged on, by default that moment's day."
    )
)
