"""The informant key store (举报人保护): each clue's informant identity is encrypted with its own
AES-256-GCM key, kept here, apart from the events. Only the ciphertext enters the event store;
destroying a clue's key (crypto-shredding) makes every copy of that ciphertext unreadable —
in the log, in exports, in replays — without rewriting history. Never log what passes here."""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg_pool import ConnectionPool

from domain.clues.values import InformantIdentity

DDL = """
CREATE TABLE IF NOT EXISTS informant_keys (
    clue_id uuid PRIMARY KEY,
    key bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
"""

NONCE_BYTES = 12


class InformantVault:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def install(self) -> None:
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('xuncha.informant_keys'))")
            conn.execute(DDL)

    def seal(self, clue_id: UUID, identity: InformantIdentity) -> str:
        """Encrypt `identity` under a fresh key stored for `clue_id`; return the ciphertext
        (nonce and sealed text, base64) to record in the clue's event. The clue id is bound
        in as associated data, so a ciphertext cannot be passed off as another clue's."""
        key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(NONCE_BYTES)
        plaintext = json.dumps(identity.as_record(), ensure_ascii=False).encode()
        sealed = nonce + AESGCM(key).encrypt(nonce, plaintext, clue_id.bytes)
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO informant_keys (clue_id, key) VALUES (%s, %s)", (clue_id, key)
            )
        return base64.b64encode(sealed).decode("ascii")

    def discard(self, clue_id: UUID) -> None:
        """Drop the key of a clue whose registration was not recorded after all."""
        with self.pool.connection() as conn:
            conn.execute("DELETE FROM informant_keys WHERE clue_id = %s", (clue_id,))

    def reveal(self, clue_id: UUID, sealed: str) -> InformantIdentity | None:
        """The identity, or None once the key is destroyed (or never matched this clue)."""
        return self.reveal_many({clue_id: sealed}).get(clue_id)

    def reveal_many(self, sealed: Mapping[UUID, str]) -> dict[UUID, InformantIdentity]:
        """The identities of many clues, their keys read in one query; a clue whose key is
        destroyed (or never matched it) is left out."""
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT clue_id, key FROM informant_keys WHERE clue_id = ANY(%s)", (list(sealed),)
            ).fetchall()
        opened = {clue_id: _open(clue_id, sealed[clue_id], bytes(key)) for clue_id, key in rows}
        return {clue_id: identity for clue_id, identity in opened.items() if identity is not None}

    @contextmanager
    def shredding(self, clue_id: UUID) -> Iterator[None]:
        """Destroy the clue's key if, and only if, the block (recording the erasure) succeeds;
        then vacuum the table so the deleted key does not linger in dead row versions."""
        with self.pool.connection() as conn:
            with conn.transaction():
                conn.execute("DELETE FROM informant_keys WHERE clue_id = %s", (clue_id,))
                yield
            conn.execute("VACUUM informant_keys")


def _open(clue_id: UUID, sealed: str, key: bytes) -> InformantIdentity | None:
    try:
        raw = base64.b64decode(sealed.encode("ascii"), validate=True)
        plaintext = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], clue_id.bytes)
    except (InvalidTag, binascii.Error, ValueError):
        return None
    record = json.loads(plaintext)
    return InformantIdentity(name=record["name"], contact=record.get("contact"))
