"""OpenID Connect sign-in (authorization code flow with PKCE, RFC 7636) against a provider
such as a province's identity system: the provider's endpoints from its discovery document,
the authorization request, and the code exchanged for an ID token whose signature (the
provider's JWKS), issuer, audience, expiry and nonce are checked here."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from domain.errors import Unauthenticated

TIMEOUT = 10.0
ALGORITHMS = ["RS256", "ES256", "PS256"]


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class Attempt:
    """What the browser keeps between leaving for the provider and coming back."""

    state: str
    nonce: str
    verifier: str

    @staticmethod
    def new() -> Attempt:
        return Attempt(
            secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
        )

    @property
    def challenge(self) -> str:
        digest = hashlib.sha256(self.verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def discover(issuer: str) -> Provider:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        document = httpx.get(url, timeout=TIMEOUT).raise_for_status().json()
        return Provider(
            issuer=document["issuer"],
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            jwks_uri=document["jwks_uri"],
        )
    except (httpx.HTTPError, KeyError, ValueError) as error:
        raise Unauthenticated(
            f"The identity provider cannot be reached: {type(error).__name__}",
            reason="provider_unavailable",
        ) from None


def authorization_url(
    provider: Provider, client_id: str, redirect_uri: str, attempt: Attempt
) -> str:
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid profile",
        "state": attempt.state,
        "nonce": attempt.nonce,
        "code_challenge": attempt.challenge,
        "code_challenge_method": "S256",
    }
    return f"{provider.authorization_endpoint}?{urlencode(query)}"


def identity(
    provider: Provider,
    *,
    client_id: str,
    client_secret: str | None,
    code: str,
    redirect_uri: str,
    attempt: Attempt,
) -> dict[str, Any]:
    """The checked claims of the ID token the provider gives for `code`."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": client_id,
        "code_verifier": attempt.verifier,
    }
    auth = (client_id, client_secret) if client_secret else None
    try:
        answer = httpx.post(provider.token_endpoint, data=form, auth=auth, timeout=TIMEOUT)
        token = answer.raise_for_status().json()["id_token"]
        key = jwt.PyJWKClient(provider.jwks_uri, timeout=int(TIMEOUT)).get_signing_key_from_jwt(
            token
        )
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=ALGORITHMS,
            audience=client_id,
            issuer=provider.issuer,
            options={"require": ["exp", "iat", "sub", "nonce"]},
        )
    except (httpx.HTTPError, KeyError, ValueError, jwt.PyJWTError) as error:
        raise Unauthenticated(
            f"The identity provider's answer was refused: {type(error).__name__}",
            reason="invalid_token",
        ) from None
    if not secrets.compare_digest(str(claims["nonce"]), attempt.nonce):
        raise Unauthenticated("The ID token answers another sign-in", reason="invalid_token")
    return claims
