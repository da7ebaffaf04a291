"""Signing in to the web app through the office's identity provider (OpenID Connect,
authorization code with PKCE), where one is configured (XUNCHA_OIDC_ISSUER and
XUNCHA_OIDC_CLIENT_ID). `GET /session/oidc` sends the browser to the provider, keeping the
attempt's state, nonce and PKCE verifier in an HttpOnly cookie; the provider sends it back to
`GET /session/oidc/callback`, where the code is exchanged for an ID token, checked, and the
account named by its `oidc_username_claim` signed in as with a password (the same cookies,
the same audited SignedIn event, marked OIDC)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from domain.errors import Unauthenticated, ValidationFailed
from entrypoints.http.web_session import give_cookies
from infrastructure.oidc import Attempt, authorization_url, discover, identity
from services.runtime import Runtime

ATTEMPT_COOKIE = "xuncha_oidc"
ATTEMPT_SECONDS = 600


def oidc_router(runtime: Runtime) -> APIRouter:
    router = APIRouter(prefix="/session/oidc", tags=["web app session"])
    settings = runtime.settings

    def configured() -> tuple[str, str]:
        if not (settings.oidc_issuer and settings.oidc_client_id):
            raise ValidationFailed("No identity provider is configured here", field="oidc")
        return settings.oidc_issuer, settings.oidc_client_id

    @router.get("", summary="Sign in through the identity provider")
    def start(request: Request) -> RedirectResponse:
        issuer, client_id = configured()
        attempt = Attempt.new()
        target = authorization_url(discover(issuer), client_id, _callback(request), attempt)
        response = RedirectResponse(target, status_code=302)
        response.set_cookie(
            ATTEMPT_COOKIE,
            json.dumps([attempt.state, attempt.nonce, attempt.verifier]),
            max_age=ATTEMPT_SECONDS,
            httponly=True,
            samesite="lax",  # the provider's redirect back is a cross-site navigation
            secure=request.url.scheme == "https",
            path="/session/oidc",
        )
        return response

    @router.get("/callback", summary="The identity provider's answer")
    def callback(
        request: Request,
        code: Annotated[str, Query(max_length=4096)],
        state: Annotated[str, Query(max_length=256)],
    ) -> RedirectResponse:
        issuer, client_id = configured()
        attempt = _attempt(request.cookies.get(ATTEMPT_COOKIE))
        if attempt.state != state:
            raise Unauthenticated("The sign-in answers another attempt", reason="invalid_request")
        secret = settings.oidc_client_secret
        claims = identity(
            discover(issuer),
            client_id=client_id,
            client_secret=secret.get_secret_value() if secret else None,
            code=code,
            redirect_uri=_callback(request),
            attempt=attempt,
        )
        username = claims.get(settings.oidc_username_claim)
        if not isinstance(username, str) or not username.strip():
            raise Unauthenticated(
                f"The ID token names no {settings.oidc_username_claim}", reason="invalid_token"
            )
        session = runtime.accounts.sign_in_vouched(username)
        response = RedirectResponse("/app/", status_code=303)
        give_cookies(runtime, session, request, response)
        response.delete_cookie(ATTEMPT_COOKIE, path="/session/oidc")
        return response

    return router


def _callback(request: Request) -> str:
    return str(request.url_for("callback"))


def _attempt(cookie: str | None) -> Attempt:
    try:
        state, nonce, verifier = json.loads(cookie or "")
        return Attempt(str(state), str(nonce), str(verifier))
    except (ValueError, TypeError):
        raise Unauthenticated(
            "No sign-in is under way in this browser: start again", reason="invalid_request"
        ) from None
