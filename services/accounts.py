"""Use cases of the accounts of the offices' web app: opening an account (an ADMIN of the office
or of its city, or the console), signing in and out, changing a password.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second recommended
option). Every sign-in, refused sign-in, lockout, password change and sign-out is an event of
the account (domain/accounts/account.py), written as the person signing in. A session is one
row of `web_sessions`, so signing out (or the session expiring) ends it at once for every
process of the deployment; the token naming it (`sid`) is refused from then on."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from psycopg_pool import ConnectionPool

from domain.accounts.account import Account, account_id_for, check_new_password
from domain.context import acting_as
from domain.errors import Conflict, NotFound, Unauthenticated, ValidationFailed
from domain.inspectors.inspector import Inspector
from infrastructure.auth import Principal, Role
from infrastructure.store import EventStore
from services.authorization import Acting, require_admin_over
from services.results import Written
from services.tenants import TenantService, known_office

log = logging.getLogger(__name__)

SESSION_TTL = timedelta(hours=8)
DDL = """
CREATE TABLE IF NOT EXISTS web_sessions (
    session_id uuid PRIMARY KEY,
    account_id uuid NOT NULL,
    expires_at timestamptz NOT NULL,
    signed_out_at timestamptz
);
CREATE INDEX IF NOT EXISTS web_sessions_account ON web_sessions (account_id);
"""
WRONG = "The user name or the password is wrong"
SIGN_IN_REFUSED = "SIGN_IN_REFUSED"  # names the Chinese sentence (domain/messages.py)


@dataclass(frozen=True)
class Session:
    """A signed-in person: who they are to the API, and until when."""

    principal: Principal
    display_name: str
    expires_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


class AccountService:
    def __init__(self, store: EventStore, tenants: TenantService, pool: ConnectionPool) -> None:
        self.store = store
        self.tenants = tenants
        self.pool = pool
        self.hasher = PasswordHasher()
        self._unknown_hash = self.hasher.hash(uuid4().hex)

    def install(self) -> None:
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('xuncha.web_sessions'))")
            conn.execute(DDL)

    def account(self, username: str) -> Account:
        return self.store.load(Account, account_id_for(username), what="account")

    def display_name(self, principal: Principal) -> str:
        """The name shown for the caller: its account's, or for a bearer token minted without
        an account (`xuncha token issue`), its subject."""
        try:
            return self.account(principal.subject).display_name
        except (NotFound, ValidationFailed):
            return principal.subject

    def open_account(
        self,
        *,
        tenant_id: UUID,
        username: str,
        display_name: str,
        role: str,
        initial_password: str,
        acting: Acting,
        inspector_id: UUID | None = None,
        informant_clearance: bool = False,
    ) -> Written:
        """Open an account of `tenant_id`; the person changes `initial_password` before their
        first sign-in."""
        office = known_office(self.tenants, acting, tenant_id)
        require_admin_over(acting, office.id, office.parent_id, "open its accounts")
        check_new_password(initial_password, username=username, field="initialPassword")
        if inspector_id is not None:
            inspector = self.store.load(Inspector, inspector_id, what="inspector")
            if inspector.tenant_id != office.id:
                raise ValidationFailed(
                    "The inspector belongs to another office", field="inspectorId"
                )
        if self.store.exists(account_id_for(username)):
            raise Conflict(f"The user name {username.strip()} is taken", field="username")
        account = Account.open(
            office=office,
            username=username,
            display_name=display_name,
            role=role,
            inspector_id=inspector_id,
            informant_clearance=informant_clearance,
            password_hash=self.hasher.hash(initial_password),
        )
        return Written(account.id, self.store.record(account))

    def sign_in(self, username: str, password: str) -> Session:
        """The person's new session; UNAUTHENTICATED for a wrong name or password (the same
        words for both), RULE_VIOLATION while locked or before the initial password changed."""
        return self._open_session(self._checked(username, password), "PASSWORD")

    def sign_in_vouched(self, username: str) -> Session:
        """The session of a person the office's identity provider vouched for (OIDC), as the
        account of that user name; the provider, not a password, proved who they are."""
        try:
            account = self.account(username)
        except (NotFound, ValidationFailed):
            log.warning("identity provider sign-in refused: no account of that name")
            raise Unauthenticated(
                "No XunCha account has the name the identity provider gave",
                reason="invalid_credentials",
                rule=SIGN_IN_REFUSED,
            ) from None
        now = _now()
        if account.is_locked(now):
            with acting_as(account.username):
                account.fail_sign_in(now, reason="LOCKED")
                self.store.record(account)
        return self._open_session(account, "OIDC")

    def _open_session(self, account: Account, method: str) -> Session:
        session_id = uuid4()
        with acting_as(account.username):
            if method == "PASSWORD" and account.must_change_password:
                account.fail_sign_in(_now(), reason="PASSWORD_CHANGE_REQUIRED")
                self.store.record(account)
            account.sign_in(session_id, _now(), method=method)  # refused: locked, or unchanged
            self.store.record(account)
        expires = _now() + SESSION_TTL
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO web_sessions (session_id, account_id, expires_at) VALUES (%s, %s, %s)",
                (session_id, account.id, expires),
            )
        principal = Principal(
            subject=account.username,
            tenant_id=account.tenant_id,
            role=Role(account.role),
            informant_clearance=account.informant_clearance,
            session_id=session_id,
        )
        return Session(principal, account.display_name, expires)

    def change_password(self, username: str, current: str, new: str) -> Written:
        """The person's own change, proving the current (or initial) password."""
        account = self._checked(username, current)
        check_new_password(new, username=account.username, field="newPassword")
        if new == current:
            raise ValidationFailed(
                "The new password must differ from the current one", field="newPassword"
            )
        with acting_as(account.username):
            account.change_password(self.hasher.hash(new))
            return Written(account.id, self.store.record(account))

    def sign_out(self, principal: Principal) -> None:
        if principal.session_id is None:
            return
        with self.pool.connection() as conn:
            conn.execute(
                "UPDATE web_sessions SET signed_out_at = now() "
                "WHERE session_id = %s AND signed_out_at IS NULL",
                (principal.session_id,),
            )
        account = self.account(principal.subject)
        with acting_as(account.username):
            account.sign_out(principal.session_id)
            self.store.record(account)

    def session_is_open(self, session_id: UUID) -> bool:
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT 1 FROM web_sessions WHERE session_id = %s "
                "AND signed_out_at IS NULL AND expires_at > now()",
                (session_id,),
            ).fetchone()
        return row is not None

    def _checked(self, username: str, password: str) -> Account:
        """The account whose password `password` is; a refusal is recorded on the account."""
        try:
            account = self.account(username)
        except (NotFound, ValidationFailed):
            self._verify(self._unknown_hash, password)  # as slow as for a known name
            log.warning("sign-in refused: no such account")
            raise Unauthenticated(
                WRONG, reason="invalid_credentials", rule=SIGN_IN_REFUSED
            ) from None
        now = _now()
        with acting_as(account.username):
            if account.is_locked(now):
                account.fail_sign_in(now, reason="LOCKED")
                self.store.record(account)
                account.refuse_if_locked(now)
            if not self._verify(account.password_hash, password):
                account.fail_sign_in(now, reason="WRONG_PASSWORD")
                self.store.record(account)
                raise Unauthenticated(WRONG, reason="invalid_credentials", rule=SIGN_IN_REFUSED)
        return account

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
