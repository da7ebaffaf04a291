"""Who is calling: bearer JWTs turned into a `Principal`.

One deployment signs and checks HS256 tokens with a shared secret (`XUNCHA_JWT_SECRET`, or, on
the embedded default, a random secret generated once into the data folder). Production checks
RS256 tokens from an identity provider against a public key or a JWKS file. Each mode accepts
only its own algorithm, so a token can never choose how it is checked. Secrets and tokens are
never logged."""

from __future__ import annotations

import logging
import os
import secrets
import stat
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any
from uuid import UUID

import jwt

from domain.errors import Unauthenticated, ValidationFailed
from infrastructure.settings import Settings

log = logging.getLogger(__name__)

SECRET_FILE = "jwt-secret"  # noqa: S105 (a file name, not a secret)
MAX_TOKEN_LENGTH = 8_192
LEEWAY = timedelta(seconds=30)  # clock skew between an issuer and this server
MAX_SUBJECT_LENGTH = 256


class Role(StrEnum):
    CITY_OFFICE = "CITY_OFFICE"
    COUNTY_TEAM = "COUNTY_TEAM"
    AUDITOR = "AUDITOR"
    ADMIN = "ADMIN"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request: who, for which office, in which role."""

    subject: str
    tenant_id: UUID
    role: Role
    informant_clearance: bool = False
    data_clearance: bool = False  # may run comparisons and see their masked evidence
    session_id: UUID | None = None  # a web app session (`sid`), which signing out ends


class UnknownKey(jwt.InvalidTokenError):
    """The token's key cannot be chosen from the JWKS (our words: shown to the client)."""


@dataclass(frozen=True)
class TokenKeys:
    """How tokens are checked (and, with a secret or private key, signed)."""

    algorithm: str
    verify_key: Any = None  # a secret, a PEM public key, or None with a JWKS
    jwks: jwt.PyJWKSet | None = None
    signing_key: Any = None

    def key_for(self, token: str) -> Any:
        if self.jwks is None:
            return self.verify_key
        kid = jwt.get_unverified_header(token).get("kid")
        candidates = [k for k in self.jwks.keys if kid is None or k.key_id == kid]
        if kid is None and len(self.jwks.keys) != 1:
            raise UnknownKey("the token names no key (`kid`) and the JWKS has several")
        if not candidates:
            raise UnknownKey("the token's key (`kid`) is not in the JWKS")
        return candidates[0].key


class Authenticator:
    """Checks bearer tokens of one deployment."""

    def __init__(
        self, keys: TokenKeys, *, issuer: str | None = None, audience: str | None = None
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience

    def authenticate(self, authorization: str | None) -> Principal:
        """The principal of an `Authorization` header value, or UNAUTHENTICATED."""
        if not authorization or not authorization.strip():
            raise Unauthenticated(
                "This API needs a bearer token: send `Authorization: Bearer <token>` "
                "(`xuncha token issue` mints one)",
                reason="missing_token",
            )
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated(
                "The Authorization header must be `Bearer <token>`", reason="invalid_request"
            )
        return self.principal_of(token.strip())

    def principal_of(self, token: str) -> Principal:
        if len(token) > MAX_TOKEN_LENGTH:
            raise Unauthenticated("The bearer token is too long", reason="invalid_token")
        required = ["exp", "sub", "tenant", "role"]
        if self.issuer:
            required.append("iss")
        if self.audience:
            required.append("aud")
        try:
            claims = jwt.decode(
                token,
                self.keys.key_for(token),
                algorithms=[self.keys.algorithm],
                options={"require": required},
                issuer=self.issuer,
                audience=self.audience,
                leeway=LEEWAY,
            )
        except jwt.InvalidTokenError as error:
            raise Unauthenticated(
                f"The bearer token is not valid: {_why(error)}", reason="invalid_token"
            ) from None
        return _principal_from(claims)


def _principal_from(claims: dict[str, Any]) -> Principal:
    def invalid(why: str) -> Unauthenticated:
        return Unauthenticated(f"The bearer token is not valid: {why}", reason="invalid_token")

    subject = claims["sub"]
    if not isinstance(subject, str) or not subject.strip() or len(subject) > MAX_SUBJECT_LENGTH:
        raise invalid("`sub` must be a non-empty string")
    try:
        tenant_id = UUID(str(claims["tenant"]))
    except ValueError:
        raise invalid("`tenant` must be a tenant id") from None
    try:
        role = Role(claims["role"])
    except ValueError:
        raise invalid(f"`role` must be one of {', '.join(Role)}") from None
    clearance = claims.get("informant_clearance", False)
    if not isinstance(clearance, bool):
        raise invalid("`informant_clearance` must be true or false")
    data_clearance = claims.get("data_clearance", False)
    if not isinstance(data_clearance, bool):
        raise invalid("`data_clearance` must be true or false")
    return Principal(
        subject=subject.strip(),
        tenant_id=tenant_id,
        role=role,
        informant_clearance=clearance,
        session_id=_session_of(claims),
        data_clearance=data_clearance,
    )


def _session_of(claims: dict[str, Any]) -> UUID | None:
    """The web app session a token names (`sid`), if it names one."""
    if "sid" not in claims:
        return None
    try:
        return UUID(str(claims["sid"]))
    except ValueError:
        raise Unauthenticated(
            "The bearer token is not valid: `sid` must be a session id", reason="invalid_token"
        ) from None


def issue_token(
    keys: TokenKeys,
    principal: Principal,
    *,
    ttl: timedelta,
    issuer: str | None = None,
    audience: str | None = None,
    key_id: str | None = None,
    now: datetime | None = None,
) -> str:
    """A signed token for `principal`, valid for `ttl`."""
    if keys.signing_key is None:
        raise ValidationFailed(
            "This deployment checks RS256 tokens from an identity provider; give the private "
            "key to sign with (--private-key-file)",
            field="private_key_file",
        )
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": principal.subject,
        "tenant": str(principal.tenant_id),
        "role": principal.role.value,
        "iat": issued,
        "exp": issued + ttl,
    }
    if principal.informant_clearance:
        claims["informant_clearance"] = True
    if principal.session_id is not None:
        claims["sid"] = str(principal.session_id)
    if principal.data_clearance:
        claims["data_clearance"] = True
    if issuer:
        claims["iss"] = issuer
    if audience:
        claims["aud"] = audience
    headers = {"kid": key_id} if key_id else None
    return jwt.encode(claims, keys.signing_key, algorithm=keys.algorithm, headers=headers)


def token_keys(settings: Settings, *, private_key_file: Path | None = None) -> TokenKeys:
    """The keys the settings name: a JWKS or public key file (RS256), else a secret (HS256)."""
    signing = private_key_file.read_bytes() if private_key_file else None
    if settings.jwks_file is not None:
        jwks = jwt.PyJWKSet.from_json(settings.jwks_file.read_text())
        return TokenKeys(algorithm="RS256", jwks=jwks, signing_key=signing)
    if settings.jwt_public_key_file is not None:
        public = settings.jwt_public_key_file.read_bytes()
        return TokenKeys(algorithm="RS256", verify_key=public, signing_key=signing)
    secret = (
        settings.jwt_secret.get_secret_value()
        if settings.jwt_secret is not None
        else data_folder_secret(settings.data_dir)
    )
    return TokenKeys(algorithm="HS256", verify_key=secret, signing_key=signing or secret)


def authenticator_for(settings: Settings) -> Authenticator:
    if settings.jwt_secret is None and settings.database_url:
        log.warning(
            "no XUNCHA_JWT_SECRET: tokens are signed with the secret in %s, which other API "
            "processes of this deployment do not share",
            settings.data_dir,
        )
    return Authenticator(
        token_keys(settings), issuer=settings.jwt_issuer, audience=settings.jwt_audience
    )


def data_folder_secret(data_dir: Path) -> str:
    """The embedded default's secret: generated once into the data folder (mode 0600)."""
    folder = data_dir.expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_FILE
    if not path.exists():
        # Written whole to a private temporary file, then linked into place: a process starting
        # at the same moment sees either no secret or the complete one, and both use the same.
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".jwt-secret-")  # mode 0600
        try:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_urlsafe(48))
            os.link(temporary, path)
            log.info("generated the token signing secret in %s", path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PermissionError(
            f"{path} can be read by other users; `chmod 600 {path}`, or delete it to get a new "
            "one (tokens signed with the old one stop working)"
        )
    secret = path.read_text().strip()
    if len(secret) < 32:
        raise ValueError(f"{path} does not hold a usable secret; delete it to get a new one")
    return secret


def parse_ttl(text: str) -> timedelta:
    """`8h`, `30m`, `7d`, `90s` or plain seconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    value = text.strip().lower()
    unit = value[-1:] if value[-1:] in units else "s"
    number = value[:-1] if value[-1:] in units else value
    if not number.isdigit() or int(number) <= 0:
        raise ValidationFailed(f"ttl: {text!r} is not a duration like 8h, 30m or 7d", field="ttl")
    return timedelta(seconds=int(number) * units[unit])


# What a client is told about a refused token: our words, not the library's.
_WHY: list[tuple[type[jwt.InvalidTokenError], str]] = [
    (jwt.ExpiredSignatureError, "it has expired"),
    (jwt.ImmatureSignatureError, "it is not valid yet"),
    (jwt.InvalidSignatureError, "its signature does not verify"),
    (jwt.InvalidAudienceError, "it is for another audience"),
    (jwt.InvalidIssuerError, "it is from another issuer"),
    (jwt.InvalidAlgorithmError, "its algorithm is not accepted"),
    (jwt.DecodeError, "it cannot be decoded"),
]


def _why(error: jwt.InvalidTokenError) -> str:
    if isinstance(error, UnknownKey):
        return str(error)
    if isinstance(error, jwt.MissingRequiredClaimError):
        return f"the `{error.claim}` claim is missing"
    return next((why for kind, why in _WHY if isinstance(error, kind)), "it is malformed")
