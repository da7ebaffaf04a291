"""Every projection XunCha runs, in one place: feeds, installs and rebuilds use this list."""

from __future__ import annotations

from projections.base import Projection
from projections.clue_ledger import ClueLedger
from projections.directory import Directory


def all_projections() -> list[Projection]:
    return [Directory(), ClueLedger()]
