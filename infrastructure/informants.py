"""The informant key store (举报人保护): each clue's informant identity is encrypted with its own
AES-256-GCM key, kept here, apart from the events. Only the ciphertext enters the event store;
destroying a clue's key (crypto-shredding) makes every copy of that ciphertext unreadable —
in the log, in exports, in replays — without rewriting history. Never log what passes here."""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Iterator
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
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT key FROM informant_keys WHERE clue_id = %s", (clue_id,)
            ).fetchone()
        if row is None:
            return None
        try:
            raw = base64.b64decode(sealed.encode("ascii"), validate=True)
            plaintext = AESGCM(bytes(row[0])).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], clue_id.bytes
            )
        except (InvalidTag, binascii.Error, ValueError):
            return None
        record = json.loads(plaintext)
        return InformantIdentity(name=record["name"], contact=record.get("contact"))

    @contextmanager
    def shredding(self, clue_id: UUID) -> Iterator[None]:
        """Destroy the clue's key if, and only if, the block (recording the erasure) succeeds;
        then vacuum the table so the deleted key does not linger in dead row versions."""
        with self.pool.connection() as conn:
            with conn.transaction():
                conn.execute("DELETE FROM informant_keys WHERE clue_id = %s", (clue_id,))
                yield
            conn.execute("VACUUM informant_keys")
