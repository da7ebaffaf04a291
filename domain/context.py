"""Who is acting. Stamped on every event through a ContextVar, as eventsourcing's
content-management example does with its user id, so domain verbs stay free of plumbing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

SYSTEM_ACTOR = "system"

_actor: ContextVar[str] = ContextVar("xuncha_actor", default=SYSTEM_ACTOR)


def current_actor() -> str:
    return _actor.get()


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Every event triggered inside this block records `actor` as who caused it."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)
