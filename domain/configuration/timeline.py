"""Effective-dated versions: which one is in force on a given date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Version(Generic[T]):
    effective_from: date
    value: T


def in_force(versions: list[Version[T]], on: date) -> T | None:
    """The version in force on `on`: the latest `effective_from` not after it; among equal
    dates the one recorded last. None when nothing was in force yet."""
    found: T | None = None
    best: date | None = None
    for version in versions:  # in recording order
        if version.effective_from <= on and (best is None or version.effective_from >= best):
            found, best = version.value, version.effective_from
    return found
