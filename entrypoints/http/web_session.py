"""Signing in to the offices' web app: `/session`.

`POST /session` checks a user name and password (services/accounts.py) and answers with two
cookies: `xuncha_session`, HttpOnly and SameSite=Strict, carrying the same JWT the API checks
for a bearer token (with the session's id, `sid`), and `xuncha_csrf`, a random token the page
reads and sends back as the `X-XunCha-CSRF` header on every write (double submit). A request
authenticated by the cookie that changes anything (any method but GET and HEAD) must carry that
header equal to the cookie, so another site cannot make a signed-in browser write.
`DELETE /session` signs out: the session ends for every process at once. `POST
/session/password` changes a password (the initial one before a first sign-in)."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from domain.errors import Unauthenticated
from infrastructure.auth import Authenticator, Principal, issue_token, token_keys
from services.accounts import SESSION_TTL, Session
from services.runtime import Runtime

SESSION_COOKIE = "xuncha_session"
CSRF_COOKIE = "xuncha_csrf"
CSRF_HEADER = "X-XunCha-CSRF"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Body(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, extra="forbid")


class SignIn(Body):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)


class PasswordChange(Body):
    username: str = Field(max_length=64)
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class WebAuth:
    """Who calls: a bearer token, or else the session cookie (with its CSRF check on writes);
    a token naming a session that ended is refused either way."""

    def __init__(self, runtime: Runtime, authenticator: Authenticator) -> None:
        self.runtime = runtime
        self.authenticator = authenticator

    def principal(self, request: Request, authorization: str | None) -> Principal:
        token = request.cookies.get(SESSION_COOKIE)
        if authorization or not token:
            return self.open(self.authenticator.authenticate(authorization))
        if request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            expected = request.cookies.get(CSRF_COOKIE, "")
            if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
                raise Unauthenticated(
                    f"A write from the web app must carry the {CSRF_HEADER} header",
                    reason="csrf",
                )
        return self.open(self.authenticator.principal_of(token))

    def open(self, principal: Principal) -> Principal:
        sid = principal.session_id
        if sid is not None and not self.runtime.accounts.session_is_open(sid):
            raise Unauthenticated("The session has ended: sign in again", reason="invalid_token")
        return principal


def session_router(runtime: Runtime, auth: WebAuth, bind: Callable[[Principal], None]) -> APIRouter:
    router = APIRouter(prefix="/session", tags=["web app session"])
    settings = runtime.settings

    @router.post("", summary="Sign in with a user name and password")
    def sign_in(body: SignIn, request: Request, response: Response) -> dict[str, Any]:
        session = runtime.accounts.sign_in(body.username, body.password)
        give_cookies(runtime, session, request, response)
        return _who(session.principal) | {"displayName": session.display_name}

    @router.get("/options", summary="How one may sign in here")
    def options() -> dict[str, Any]:
        return {"oidc": bool(settings.oidc_issuer and settings.oidc_client_id)}

    @router.get("", summary="Who is signed in")
    def who(
        request: Request, authorization: Annotated[str | None, Header()] = None
    ) -> dict[str, Any]:
        principal = auth.principal(request, authorization)
        bind(principal)
        return _who(principal) | {"displayName": runtime.accounts.display_name(principal)}

    @router.delete("", status_code=204, summary="Sign out: the session ends")
    def sign_out(
        request: Request, response: Response, authorization: Annotated[str | None, Header()] = None
    ) -> None:
        principal = auth.principal(request, authorization)
        runtime.accounts.sign_out(principal)
        response.delete_cookie(SESSION_COOKIE)
        response.delete_cookie(CSRF_COOKIE)

    @router.post("/password", status_code=204, summary="Change a password")
    def change_password(body: PasswordChange) -> None:
        runtime.accounts.change_password(body.username, body.current_password, body.new_password)

    return router


def give_cookies(runtime: Runtime, session: Session, request: Request, response: Response) -> None:
    """The session's cookies: its token (HttpOnly) and the CSRF token the page sends back."""
    settings = runtime.settings
    token = issue_token(
        token_keys(settings),
        session.principal,
        ttl=SESSION_TTL,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    secure = request.url.scheme == "https"
    age = int(SESSION_TTL.total_seconds())
    response.set_cookie(
        SESSION_COOKIE, token, max_age=age, httponly=True, samesite="strict", secure=secure
    )
    csrf = secrets.token_urlsafe(32)
    response.set_cookie(CSRF_COOKIE, csrf, max_age=age, samesite="strict", secure=secure)


def _who(principal: Principal) -> dict[str, Any]:
    return {
        "username": principal.subject,
        "tenantId": str(principal.tenant_id),
        "role": principal.role.value,
        "informantClearance": principal.informant_clearance,
    }
