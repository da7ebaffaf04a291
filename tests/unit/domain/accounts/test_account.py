"""An account locks after a run of wrong passwords, and signs in only once the initial password
has been changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.accounts.account import (
    LOCKOUT,
    MAX_FAILURES,
    Account,
    account_id_for,
    check_new_password,
)
from domain.errors import RuleViolation, ValidationFailed
from tests.unit.domain.factories import city

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def opened() -> Account:
    return Account.open(
        office=city(),
        username="Zhang.Wei",
        display_name="张伟",
        role="CITY_OFFICE",
        password_hash="hash-1",
    )


def test_a_user_name_names_one_account_whatever_its_case() -> None:
    assert account_id_for("Zhang.Wei") == account_id_for(" zhang.wei ") == opened().id


def test_the_first_sign_in_is_refused_until_the_initial_password_is_changed() -> None:
    account = opened()
    with pytest.raises(RuleViolation) as refused:
        account.sign_in(uuid4(), NOW)
    assert refused.value.rule == "PASSWORD_CHANGE_REQUIRED"
    account.change_password("hash-2")
    session = uuid4()
    account.sign_in(session, NOW)
    assert account.sessions == {session}
    assert [type(e).__name__ for e in account.collect_events()] == [
        "Opened",
        "PasswordChanged",
        "SignedIn",
    ]


def test_the_fifth_wrong_password_in_a_row_locks_the_account_for_a_while() -> None:
    account = opened()
    account.change_password("hash-2")
    for _ in range(MAX_FAILURES - 1):
        account.fail_sign_in(NOW, reason="WRONG_PASSWORD")
    assert not account.is_locked(NOW)
    account.fail_sign_in(NOW, reason="WRONG_PASSWORD")
    assert account.is_locked(NOW + LOCKOUT - timedelta(seconds=1))
    with pytest.raises(RuleViolation) as refused:
        account.sign_in(uuid4(), NOW)
    assert refused.value.rule == "ACCOUNT_LOCKED"
    account.sign_in(uuid4(), NOW + LOCKOUT)
    assert account.failures == 0


def test_a_good_sign_in_clears_the_run_of_failures() -> None:
    account = opened()
    account.change_password("hash-2")
    for _ in range(MAX_FAILURES - 1):
        account.fail_sign_in(NOW, reason="WRONG_PASSWORD")
    account.sign_in(uuid4(), NOW)
    account.fail_sign_in(NOW, reason="WRONG_PASSWORD")
    assert not account.is_locked(NOW)


def test_signing_out_ends_only_that_session() -> None:
    account = opened()
    account.change_password("hash-2")
    first, second = uuid4(), uuid4()
    account.sign_in(first, NOW)
    account.sign_in(second, NOW)
    account.sign_out(first)
    assert account.sessions == {second}


@pytest.mark.parametrize(("password", "why"), [("short", "10"), ("zhang.wei1", "user name")])
def test_a_new_password_must_be_long_and_not_the_user_name(password: str, why: str) -> None:
    with pytest.raises(ValidationFailed, match=why):
        check_new_password(password, username="zhang.wei1")


def test_an_unknown_role_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationFailed) as refused:
        Account.open(
            office=city(), username="li", display_name="李", role="KING", password_hash="h"
        )
    assert refused.value.details["field"] == "role"
