"""Bearer tokens: what is accepted, what is refused, and where the keys come from."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any, cast
from uuid import uuid4

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import ValidationError

from domain.errors import Unauthenticated
from infrastructure.auth import (
    Principal,
    Role,
    authenticator_for,
    data_folder_secret,
    issue_token,
    parse_ttl,
    token_keys,
)
from infrastructure.settings import Settings

STRONG = "k3Y-9fQz_Lr2Vb8Nw5Tx1Hc7Jm4Pd6Sg0Ea"
ALICE = Principal("alice", uuid4(), Role.CITY_OFFICE, informant_clearance=True)


def hs256(tmp_path: Path, **settings: Any) -> Settings:
    return Settings(data_dir=tmp_path, jwt_secret=STRONG, **settings)


def refusal(settings: Settings, token: str) -> str:
    with pytest.raises(Unauthenticated) as refused:
        authenticator_for(settings).authenticate(f"Bearer {token}")
    return refused.value.message


def test_a_minted_token_authenticates_as_its_principal(tmp_path: Path) -> None:
    settings = hs256(tmp_path)
    token = issue_token(token_keys(settings), ALICE, ttl=timedelta(hours=8))
    assert authenticator_for(settings).authenticate(f"Bearer {token}") == ALICE


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"exp": None}, "the `exp` claim is missing"),
        ({"role": "MAYOR"}, "`role` must be one of"),
        ({"tenant": "DEMO-A"}, "`tenant` must be a tenant id"),
        ({"sub": ""}, "`sub` must be a non-empty string"),
        ({"informant_clearance": "yes"}, "`informant_clearance` must be true or false"),
    ],
)
def test_a_token_with_a_missing_or_wrong_claim_is_refused(
    tmp_path: Path, claims: dict[str, object], why: str
) -> None:
    payload: dict[str, object] = {
        "sub": "bob",
        "tenant": str(uuid4()),
        "role": "ADMIN",
        "exp": 4_000_000_000,
        **claims,
    }
    token = jwt.encode({k: v for k, v in payload.items() if v is not None}, STRONG, "HS256")
    assert why in refusal(hs256(tmp_path), token)


def test_issuer_and_audience_are_required_when_configured(tmp_path: Path) -> None:
    settings = hs256(tmp_path, jwt_issuer="https://sso.example", jwt_audience="xuncha")
    without = issue_token(token_keys(settings), ALICE, ttl=timedelta(hours=1))
    assert "iss" in refusal(settings, without)
    keys = token_keys(settings)
    good = issue_token(
        keys, ALICE, ttl=timedelta(hours=1), issuer="https://sso.example", audience="xuncha"
    )
    assert authenticator_for(settings).principal_of(good) == ALICE


def rsa_pem(tmp_path: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = tmp_path / "private.pem"
    public = tmp_path / "public.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


def test_rs256_tokens_are_checked_against_the_public_key(tmp_path: Path) -> None:
    private, public = rsa_pem(tmp_path)
    settings = Settings(data_dir=tmp_path, jwt_public_key_file=public)
    keys = token_keys(settings, private_key_file=private)
    token = issue_token(keys, ALICE, ttl=timedelta(hours=1))
    assert authenticator_for(settings).principal_of(token) == ALICE


def test_an_hs256_token_signed_with_the_public_key_is_refused_where_tokens_are_rs256(
    tmp_path: Path,
) -> None:
    """The algorithm-confusion attack: the public key is public, so it must never be a secret."""
    _, public = rsa_pem(tmp_path)
    settings = Settings(data_dir=tmp_path, jwt_public_key_file=public)
    claims = {"sub": "x", "tenant": str(uuid4()), "role": "ADMIN", "exp": 4_000_000_000}
    forged = _hs256_with_raw_key(claims, public.read_bytes())
    assert "algorithm is not accepted" in refusal(settings, forged)


def _hs256_with_raw_key(claims: dict[str, object], key: bytes) -> str:
    # PyJWT itself refuses to sign HS256 with a PEM key, so sign the way an attacker would.
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = json.dumps({"alg": "HS256", "typ": "JWT"}).encode()
    signing_input = f"{b64(header)}.{b64(json.dumps(claims).encode())}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def test_a_jwks_picks_the_key_named_by_kid(tmp_path: Path) -> None:
    private, public = rsa_pem(tmp_path)
    jwk = json.loads(
        jwt.algorithms.RSAAlgorithm.to_jwk(
            cast(rsa.RSAPublicKey, serialization.load_pem_public_key(public.read_bytes()))
        )
    )
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}))
    settings = Settings(data_dir=tmp_path, jwks_file=jwks)
    keys = token_keys(settings, private_key_file=private)
    good = issue_token(keys, ALICE, ttl=timedelta(hours=1), key_id="k1")
    assert authenticator_for(settings).principal_of(good) == ALICE
    unknown = issue_token(keys, ALICE, ttl=timedelta(hours=1), key_id="k2")
    assert "kid" in refusal(settings, unknown)


@pytest.mark.parametrize("secret", ["changethis", "supersecret", "your-256-bit-secret", "short1"])
def test_weak_secrets_are_refused_without_echoing_them(secret: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(jwt_secret=secret)
    assert secret not in str(refused.value)


def test_only_one_kind_of_token_key_may_be_configured(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="only one of"):
        Settings(jwt_secret=STRONG, jwks_file=tmp_path / "jwks.json")


def test_the_embedded_default_generates_a_private_secret_once_and_reuses_it(
    tmp_path: Path,
) -> None:
    first = data_folder_secret(tmp_path)
    assert data_folder_secret(tmp_path) == first
    assert len(first) >= 48
    assert (tmp_path / "jwt-secret").stat().st_mode & 0o777 == 0o600

    token = issue_token(token_keys(Settings(data_dir=tmp_path)), ALICE, ttl=timedelta(hours=1))
    assert authenticator_for(Settings(data_dir=tmp_path)).principal_of(token) == ALICE


def test_a_secret_file_others_can_read_is_refused(tmp_path: Path) -> None:
    data_folder_secret(tmp_path)
    os.chmod(tmp_path / "jwt-secret", 0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        data_folder_secret(tmp_path)


def test_ttls_read_like_people_write_them() -> None:
    assert parse_ttl("8h") == timedelta(hours=8)
    assert parse_ttl("30m") == timedelta(minutes=30)
    assert parse_ttl("7d") == timedelta(days=7)
    assert parse_ttl("90") == timedelta(seconds=90)
