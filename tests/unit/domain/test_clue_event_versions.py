"""Events are forever: every clue event class states its version, and a `Clue.Registered`
stored in its v1 form (before informants were recorded) still loads, unchanged in hash."""

import json
from decimal import Decimal
from uuid import UUID

from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    UUIDAsHex,
)
from eventsourcing.utils import get_topic

from domain.audit.hashing import canonical_record, hash_record
from domain.audited import event_hash
from domain.calendar.calendar_year import CalendarYear
from domain.clues.clue import Clue
from domain.clues.values import ClueSource
from infrastructure.store import DateAsISO
from tests.unit.domain.factories import city, county, village

EVENT_CLASSES = [
    Clue.Registered,
    Clue.Triaged,
    Clue.Transferred,
    Clue.Accepted,
    Clue.ProgressReported,
    Clue.Concluded,
    Clue.Supervised,
    Clue.Corrected,
    Clue.InformantErased,
    CalendarYear.Loaded,
    CalendarYear.Revised,
]


def mapper() -> Mapper[UUID]:
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
        transcoder.register(transcoding)
    return Mapper(transcoder=transcoder)


def test_every_clue_and_calendar_event_class_declares_its_version() -> None:
    for event_class in EVENT_CLASSES:  # the library's base event classes declare none
        declared = [k for k in event_class.__mro__ if "class_version" in vars(k)]
        assert declared, event_class.__qualname__
    assert Clue.Registered.class_version == 3


def test_a_v1_registration_loads_as_having_no_informant_and_keeps_its_hash() -> None:
    lixia = county(city())
    clue = Clue.register(
        registrar=lixia,
        unit=village(lixia),
        unit_owner=lixia,
        round_=None,
        source=ClueSource.PETITION,
        category="三资管理",
        summary="村集体收入未入账",
        persons_concerned=[],
        amount_involved=Decimal("10"),
    )
    (registered,) = clue.collect_events()
    stored = mapper().to_stored_event(registered)
    state = json.loads(stored.state)
    del state["informant_sealed"], state["class_version"]  # exactly what v1 recorded
    v1 = StoredEvent(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=json.dumps(state).encode(),
    )

    loaded = mapper().to_domain_event(v1)

    assert isinstance(loaded, Clue.Registered)
    assert loaded.informant_sealed is None
    assert "informant_sealed" not in vars(loaded)  # the stored form is read as it is
    replayed = loaded.mutate(None)
    assert isinstance(replayed, Clue)
    assert not replayed.has_informant
    v1_attributes = {k: v for k, v in vars(registered).items() if k != "informant_sealed"}
    v1_record = canonical_record(
        get_topic(Clue.Registered), registered.originator_id, 1, v1_attributes
    )
    assert event_hash(loaded) == hash_record(v1_record)
