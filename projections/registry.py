"""Every projection XunCha runs, in one place: feeds, installs and rebuilds use this list."""

from __future__ import annotations

from projections.base import Projection
from projections.clue_ledger import ClueLedger
from projections.comparison import ComparisonView
from projections.coverage import CoverageView
from projections.directory import Directory
from projections.documents import DocumentsView
from projections.groups import GroupsView
from projections.inspectors import InspectorsView
from projections.rectification import Rectification
from projections.rounds import RoundsView
from projections.statistics import StatisticsView


def all_projections() -> list[Projection]:
    return [
        Directory(),
        ClueLedger(),
        Rectification(),
        StatisticsView(),
        RoundsView(),
        CoverageView(),
        InspectorsView(),
        GroupsView(),
        DocumentsView(),
        ComparisonView(),
    ]
