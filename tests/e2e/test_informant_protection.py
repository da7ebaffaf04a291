"""The informant's identity (举报人) is stored only encrypted, shown only to callers with
informant clearance, and erasing it destroys the key: afterwards nothing in the database,
no query and no replay can recover it, while the rest of the clue's history stays."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from psycopg import sql

from domain.clues.clue import Clue
from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.clue_support import act, only_node, refusal, register
from tests.support.graphql import GraphQL, register_city_with_village

NAME = "王举报人"
CONTACT = "13912345678"


def raw_events(runtime: Runtime) -> list[bytes]:
    recorder: Any = runtime.store.recorder
    table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
    with runtime.reads.connection() as conn:
        rows = conn.execute(sql.SQL("SELECT state FROM {}").format(table)).fetchall()
    return [bytes(row[0]) for row in rows]


def informant_keys(runtime: Runtime) -> list[tuple[UUID, bytes]]:
    with runtime.reads.connection() as conn:
        rows = conn.execute("SELECT clue_id, key FROM informant_keys").fetchall()
    return [(row[0], bytes(row[1])) for row in rows]


def leaks(blob: bytes) -> bool:
    return NAME.encode() in blob or CONTACT.encode() in blob


def test_the_identity_is_shown_only_with_clearance_and_never_stored_in_clear(
    gql: GraphQL, gql_as: Callable[..., GraphQL], runtime: Runtime
) -> None:
    ids = register_city_with_village(gql)
    written = register(gql, ids, informant={"name": NAME, "contact": CONTACT})
    cleared = gql_as(Role.ADMIN, ids["city"], clearance=True)

    seen = only_node(cleared, minPosition=written["position"])["informant"]
    withheld = only_node(gql)["informant"]

    assert seen == {"status": "SEALED", "name": NAME, "contact": CONTACT}
    assert withheld == {"status": "WITHHELD", "name": None, "contact": None}
    assert not any(leaks(state) for state in raw_events(runtime))
    assert [clue for clue, _ in informant_keys(runtime)] == [UUID(written["id"])]


def test_erasure_makes_the_identity_unrecoverable_and_keeps_the_history(
    gql: GraphQL, gql_as: Callable[..., GraphQL], runtime: Runtime
) -> None:
    ids = register_city_with_village(gql)
    clue = register(gql, ids, informant={"name": NAME, "contact": CONTACT})["id"]
    act(gql, "triageClue", clueId=clue, priority="KEY", proposedRoute="移交纪委监委")
    sealed = runtime.store.load(Clue, UUID(clue), what="clue").informant_sealed
    assert sealed is not None

    cleared = gql_as(Role.ADMIN, ids["city"], clearance=True)
    written = act(cleared, "eraseInformant", clueId=clue, reason="举报人申请", expectedVersion=2)

    node = only_node(cleared, minPosition=written["position"])
    assert node["informant"] == {"status": "ERASED", "name": None, "contact": None}
    assert (node["priority"], node["version"]) == ("KEY", 3)
    # The database: no clear text in any event, no key left for the clue.
    assert not any(leaks(state) for state in raw_events(runtime))
    assert informant_keys(runtime) == []
    # A replay still has the ciphertext, which no remaining key opens.
    replayed = runtime.store.load(Clue, UUID(clue), what="clue")
    assert replayed.informant_sealed == sealed
    assert replayed.version == 3
    assert runtime.clues.reveal_informant(UUID(clue), sealed) is None
    # Erasing again is refused and writes nothing.
    before = runtime.store.max_position()
    error = refusal(cleared, "eraseInformant", clueId=clue, reason="again")
    assert error["extensions"]["rule"] == "CLUE_INFORMANT_ALREADY_ERASED"
    assert runtime.store.max_position() == before


def test_erasing_needs_informant_clearance(gql: GraphQL, runtime: Runtime) -> None:
    ids = register_city_with_village(gql)
    clue = register(gql, ids, informant={"name": NAME})["id"]
    before = runtime.store.max_position()

    error = refusal(gql, "eraseInformant", clueId=clue, reason="举报人申请")

    assert error["extensions"]["code"] == "FORBIDDEN"
    assert runtime.store.max_position() == before
    assert [key for key, _ in informant_keys(runtime)] == [UUID(clue)]


def test_a_refused_registration_leaves_no_informant_key(gql: GraphQL, runtime: Runtime) -> None:
    ids = register_city_with_village(gql)
    error = gql.error(
        "mutation($input: RegisterClueInput!) { registerClue(input: $input) { id } }",
        {
            "input": {
                "tenantId": ids["county"],
                "unitId": ids["village"],
                "source": "HOTLINE",
                "category": "作风问题",
                "summary": "  ",
                "informant": {"name": NAME},
            }
        },
    )
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert informant_keys(runtime) == []
