"""The offices' calendar day. Days, deadlines and effective dates are Beijing dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "CST")  # China Standard Time; no daylight saving since 1991


def today_in_china() -> date:
    return datetime.now(UTC).astimezone(CHINA).date()
