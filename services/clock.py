"""The offices' calendar day. Days, deadlines and effective dates are Beijing dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.dates import CHINA

__all__ = ["CHINA", "today_in_china"]


def today_in_china() -> date:
    return datetime.now(UTC).astimezone(CHINA).date()
