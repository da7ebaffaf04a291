"""A small OpenID Connect provider for the sign-in tests, served on loopback: discovery, an
authorization endpoint that signs in whoever `login_hint` names (no login page), a token
endpoint that checks the PKCE verifier against the challenge, and its JWKS. ID tokens are
RS256 with a key made for the test run."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Form, HTTPException, Query
from fastapi.responses import RedirectResponse

CLIENT_ID = "xuncha-web"
KEY_ID = "test-key-1"


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str
    subject: str


@dataclass
class LoopbackProvider:
    issuer: str = ""
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    grants: dict[str, Grant] = field(default_factory=dict)
    exchanged: list[str] = field(default_factory=list)  # the subjects given ID tokens

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        def discovery() -> dict[str, Any]:
            return {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
            }

        @app.get("/authorize")
        def authorize(
            client_id: str,
            redirect_uri: str,
            state: str,
            nonce: str,
            code_challenge: str,
            login_hint: Annotated[str, Query()] = "",
            code_challenge_method: str = "",
        ) -> RedirectResponse:
            if code_challenge_method != "S256" or client_id != CLIENT_ID:
                raise HTTPException(400, "S256 PKCE and the known client only")
            code = secrets.token_urlsafe(16)
            self.grants[code] = Grant(client_id, redirect_uri, code_challenge, nonce, login_hint)
            return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}")

        @app.post("/token")
        def token(
            code: Annotated[str, Form()],
            code_verifier: Annotated[str, Form()],
            redirect_uri: Annotated[str, Form()],
            client_id: Annotated[str, Form()],
        ) -> dict[str, Any]:
            grant = self.grants.pop(code, None)
            digest = hashlib.sha256(code_verifier.encode()).digest()
            proof = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if grant is None or proof != grant.challenge or redirect_uri != grant.redirect_uri:
                raise HTTPException(400, "invalid_grant")
            self.exchanged.append(grant.subject)
            now = int(time.time())
            claims = {
                "iss": self.issuer,
                "aud": client_id,
                "sub": f"person-{grant.subject}",
                "preferred_username": grant.subject,
                "nonce": grant.nonce,
                "iat": now,
                "exp": now + 300,
            }
            id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KEY_ID})
            return {"id_token": id_token, "token_type": "Bearer", "access_token": "unused"}

        @app.get("/jwks")
        def jwks() -> dict[str, Any]:
            public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
            return {"keys": [public | {"kid": KEY_ID, "use": "sig", "alg": "RS256"}]}

        return app
