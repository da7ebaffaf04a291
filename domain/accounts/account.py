"""`Account` — a person who signs in to the offices' web app (用户账号): their office, role and,
where there is one, the inspector record they are. The password is kept only as a hash made
outside the domain (services/accounts.py). Sign-ins, failed sign-ins, lockouts, password
changes and sign-outs are events of the account, so the audit chain holds them as it holds
every other change."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.errors import RuleViolation, ValidationFailed
from domain.tenants.tenant import Tenant
from domain.text import required_text

ACCOUNTS = UUID("6f1c3a52-8d1e-4b8e-9c55-2b7f0e1d9a41")  # the namespace of account ids
MAX_FAILURES = 5  # failed sign-ins in a row before the account is locked
LOCKOUT = timedelta(minutes=15)
ROLES = frozenset({"CITY_OFFICE", "COUNTY_TEAM", "AUDITOR", "ADMIN"})
MIN_PASSWORD_LENGTH = 10


def normalised_username(username: str) -> str:
    return required_text(username, "username", max_length=64).lower()


def account_id_for(username: str) -> UUID:
    """An account's id follows from its user name, so one name names one person everywhere."""
    return uuid5(ACCOUNTS, f"account:{normalised_username(username)}")


def check_new_password(password: str, *, username: str, field: str = "password") -> None:
    """A password a person may choose: long enough, and not their user name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters", field=field
        )
    if password.strip().lower() == username.strip().lower():
        raise ValidationFailed("A password must not be the user name", field=field)


class Account(AuditedAggregate):
    failures = 0  # failed sign-ins since the last good one
    locked_until: datetime | None = None

    @staticmethod
    def create_id(username: str) -> UUID:
        return account_id_for(username)

    @classmethod
    def open(
        cls,
        *,
        office: Tenant,
        username: str,
        display_name: str,
        role: str,
        password_hash: str,
        inspector_id: UUID | None = None,
        informant_clearance: bool = False,
    ) -> Account:
        if role not in ROLES:
            raise ValidationFailed(f"role must be one of {', '.join(sorted(ROLES))}", field="role")
        return cls(
            tenant_id=office.id,
            username=normalised_username(username),
            display_name=required_text(display_name, "displayName", max_length=100),
            role=role,
            inspector_id=inspector_id,
            informant_clearance=informant_clearance,
            password_hash=password_hash,
        )

    class Opened(AuditedAggregate.Created):
        """An ADMIN (or the console) opened the account with an initial password, which the
        person must change before the first sign-in succeeds."""

        class_version = 1
        username: str
        display_name: str
        role: str
        inspector_id: UUID | None
        informant_clearance: bool
        password_hash: str

    @event(Opened)
    def __init__(
        self,
        tenant_id: UUID,
        username: str,
        display_name: str,
        role: str,
        inspector_id: UUID | None,
        informant_clearance: bool,
        password_hash: str,
    ) -> None:
        self.tenant_id = tenant_id
        self.username = username
        self.display_name = display_name
        self.role = role
        self.inspector_id = inspector_id
        self.informant_clearance = informant_clearance
        self.password_hash = password_hash
        self.must_change_password = True
        self.sessions: set[UUID] = set()

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def refuse_if_locked(self, now: datetime) -> None:
        if self.is_locked(now):
            raise RuleViolation(
                "ACCOUNT_LOCKED",
                f"Account {self.username} is locked after {MAX_FAILURES} failed sign-ins "
                f"until {self.locked_until:%Y-%m-%d %H:%M} UTC",
                until=f"{self.locked_until:%Y-%m-%d %H:%M}",
            )

    # -- signing in and out ------------------------------------------------------------------

    def fail_sign_in(self, now: datetime, *, reason: str) -> None:
        """Record a refused sign-in; the last one of a run of MAX_FAILURES locks the account."""
        locks = reason == "WRONG_PASSWORD" and self.failures + 1 >= MAX_FAILURES
        self._sign_in_failed(reason=reason, locked_until=now + LOCKOUT if locks else None)

    class SignInFailed(AuditedAggregate.Event):
        class_version = 1
        reason: str  # WRONG_PASSWORD, LOCKED or PASSWORD_CHANGE_REQUIRED
        locked_until: datetime | None

    @event(SignInFailed)
    def _sign_in_failed(self, reason: str, locked_until: datetime | None) -> None:
        if locked_until is not None:
            self.failures = 0
            self.locked_until = locked_until
        elif reason == "WRONG_PASSWORD":
            self.failures += 1

    def sign_in(self, session_id: UUID, now: datetime, *, method: str = "PASSWORD") -> None:
        """A new session; `method` says who vouched for the person: PASSWORD, or OIDC (the
        office's identity provider, where the initial password plays no part)."""
        self.refuse_if_locked(now)
        if method == "PASSWORD" and self.must_change_password:
            raise RuleViolation(
                "PASSWORD_CHANGE_REQUIRED",
                f"Account {self.username} must change its initial password before signing in",
            )
        self._signed_in(session_id=session_id, method=method)

    class SignedIn(AuditedAggregate.Event):
        class_version = 1
        session_id: UUID
        method: str  # PASSWORD or OIDC

    @event(SignedIn)
    def _signed_in(self, session_id: UUID, method: str) -> None:
        self.failures = 0
        self.locked_until = None
        self.sessions = {*self.sessions, session_id}

    def sign_out(self, session_id: UUID) -> None:
        if session_id in self.sessions:
            self._signed_out(session_id=session_id)

    class SignedOut(AuditedAggregate.Event):
        class_version = 1
        session_id: UUID

    @event(SignedOut)
    def _signed_out(self, session_id: UUID) -> None:
        self.sessions = self.sessions - {session_id}

    def change_password(self, password_hash: str) -> None:
        """Replace the password (the person's own change, after proving the old one)."""
        self._password_changed(password_hash=password_hash)

    class PasswordChanged(AuditedAggregate.Event):
        class_version = 1
        password_hash: str

    @event(PasswordChanged)
    def _password_changed(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self.must_change_password = False
