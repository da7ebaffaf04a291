"""The comparison key store. Each office has a matching key: personal identifiers are matched
by HMAC-SHA256 under it, so the same person has the same keyed hash in all the office's
datasets and nowhere else. Each dataset has its own AES-256-GCM key: its identifiers are
stored encrypted under it, and destroying it (crypto-shredding, when the dataset is deleted)
makes them unreadable everywhere. Keys live here, in PostgreSQL, never beside the Parquet
files. Never log what passes here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg_pool import ConnectionPool

DDL = """
CREATE TABLE IF NOT EXISTS comparison_office_keys (
    tenant_id uuid PRIMARY KEY,
    key bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS comparison_dataset_keys (
    dataset_id uuid PRIMARY KEY,
    key bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
"""

NONCE_BYTES = 12


class Sealer:
    """Keyed hashes and ciphertexts of one dataset's identifiers."""

    def __init__(self, matching_key: bytes, dataset_key: bytes, dataset_id: UUID) -> None:
        self._matching_key = matching_key
        self._cipher = AESGCM(dataset_key)
        self._bound = dataset_id.bytes

    def keyed(self, value: str) -> str:
        return hmac.new(self._matching_key, value.encode(), hashlib.sha256).hexdigest()

    def sealed(self, value: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        return base64.b64encode(
            nonce + self._cipher.encrypt(nonce, value.encode(), self._bound)
        ).decode("ascii")

    def opened(self, sealed: str) -> str:
        raw = base64.b64decode(sealed)
        return self._cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], self._bound).decode()


class ComparisonKeys:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def install(self) -> None:
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('xuncha.comparison_keys'))")
            conn.execute(DDL)

    def matching_key(self, tenant_id: UUID) -> bytes:
        """The office's matching key, made on first use."""
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO comparison_office_keys (tenant_id, key) VALUES (%s, %s) "
                "ON CONFLICT (tenant_id) DO NOTHING",
                (tenant_id, os.urandom(32)),
            )
            row = conn.execute(
                "SELECT key FROM comparison_office_keys WHERE tenant_id = %s", (tenant_id,)
            ).fetchone()
        assert row is not None  # noqa: S101 — inserted just above
        return bytes(row[0])

    def new_sealer(self, tenant_id: UUID, dataset_id: UUID) -> Sealer:
        """A fresh key for `dataset_id`, stored, and the sealer using it."""
        key = AESGCM.generate_key(bit_length=256)
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO comparison_dataset_keys (dataset_id, key) VALUES (%s, %s)",
                (dataset_id, key),
            )
        return Sealer(self.matching_key(tenant_id), key, dataset_id)

    def sealer(self, tenant_id: UUID, dataset_id: UUID) -> Sealer | None:
        """The dataset's sealer, or None once its key is destroyed."""
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT key FROM comparison_dataset_keys WHERE dataset_id = %s", (dataset_id,)
            ).fetchone()
        return (
            None if row is None else Sealer(self.matching_key(tenant_id), bytes(row[0]), dataset_id)
        )

    def discard(self, dataset_id: UUID) -> None:
        """Drop the key of a dataset whose registration was not recorded after all."""
        with self.pool.connection() as conn:
            conn.execute("DELETE FROM comparison_dataset_keys WHERE dataset_id = %s", (dataset_id,))

    @contextmanager
    def shredding(self, dataset_id: UUID) -> Iterator[None]:
        """Destroy the dataset's key if, and only if, the block (recording the deletion)
        succeeds; then vacuum, so the key does not linger in dead row versions."""
        with self.pool.connection() as conn:
            with conn.transaction():
                conn.execute(
                    "DELETE FROM comparison_dataset_keys WHERE dataset_id = %s", (dataset_id,)
                )
                yield
            conn.execute("VACUUM comparison_dataset_keys")
