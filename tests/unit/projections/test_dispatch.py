"""A view is handed only the events it has a handler for (or for a base class of); the rest
are passed over without dispatching, as its default handler would."""

from __future__ import annotations

from typing import Any, ClassVar

from eventsourcing.dispatch import singledispatchmethod

from projections.base import Projection
from projections.tracking import _handled_types


class Registered:
    pass


class RegisteredAgain(Registered):
    pass


class Elsewhere:
    pass


class Tableless(Projection):
    name = "tableless"
    tables = ()
    ddl = ""
    row_rules: ClassVar[dict[str, str]] = {}


class View(Tableless):
    @singledispatchmethod
    def apply(self, event: object, cur: Any, position: int) -> None:
        """Events this view does not need are passed over."""

    @apply.register
    def _(self, event: Registered, cur: Any, position: int) -> None:
        pass


class Plain(Tableless):
    def apply(self, event: object, cur: Any, position: int) -> None:
        pass


def test_only_events_with_a_handler_of_their_own_are_dispatched() -> None:
    view = View()
    view.apply  # noqa: B018 (registrations are completed on first lookup, as the feed does)
    handles = _handled_types(view)

    assert handles(Registered)
    assert handles(RegisteredAgain)
    assert not handles(Elsewhere)


def test_a_view_without_dispatch_by_type_is_handed_every_event() -> None:
    assert _handled_types(Plain())(Elsewhere)
