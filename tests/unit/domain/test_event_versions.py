"""Every event class past version 1 can read each older stored shape (docs/EVENTS.md)."""

from __future__ import annotations

import importlib
import pkgutil

import domain
from domain.audited import AuditedAggregate


def all_event_classes() -> list[type]:
    for module in pkgutil.walk_packages(domain.__path__, "domain."):
        importlib.import_module(module.name)
    found: list[type] = []
    pending: list[type] = [AuditedAggregate.Event]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_every_event_class_has_an_upcaster_for_each_older_version() -> None:
    missing = [
        f"{cls.__qualname__}.upcast_v{v}_v{v + 1}"
        for cls in all_event_classes()
        for v in range(1, getattr(cls, "class_version", 1))
        if not callable(getattr(cls, f"upcast_v{v}_v{v + 1}", None))
    ]
    assert missing == []


def test_unit_registration_is_at_version_2_and_reads_version_1() -> None:
    from domain.tenants.unit import Unit

    state: dict[str, object] = {"code": "V1", "name": "甲村"}
    Unit.Registered.upcast_v1_v2(state)
    assert Unit.Registered.class_version == 2
    assert state["class_tags"] == []
    assert state["stored_form"] == {"code": "V1", "name": "甲村"}
