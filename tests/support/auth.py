"""Bearer tokens for the tests, signed with the keys of the deployment under test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from infrastructure.auth import Principal, Role, TokenKeys, issue_token, token_keys
from infrastructure.settings import Settings
from services.authorization import DEPLOYMENT_TENANT

# The walking skeleton's tests expect events to name "anonymous" as their actor; the default
# test caller keeps that subject, as the deployment's ADMIN (services/authorization.py), who
# registers cities and counties and reads everything.
DEFAULT_SUBJECT = "anonymous"
DEFAULT_TENANT = DEPLOYMENT_TENANT


@dataclass(frozen=True)
class TokenMint:
    keys: TokenKeys

    @staticmethod
    def of(settings: Settings) -> TokenMint:
        return TokenMint(token_keys(settings))

    def token(
        self,
        role: Role = Role.ADMIN,
        tenant_id: UUID | str = DEFAULT_TENANT,
        *,
        subject: str = DEFAULT_SUBJECT,
        informant_clearance: bool = False,
        data_clearance: bool = False,
        ttl: timedelta = timedelta(hours=1),
    ) -> str:
        principal = Principal(
            subject, UUID(str(tenant_id)), role, informant_clearance, data_clearance
        )
        return issue_token(self.keys, principal, ttl=ttl)

    def headers(
        self,
        role: Role = Role.ADMIN,
        tenant_id: UUID | str = DEFAULT_TENANT,
        *,
        subject: str = DEFAULT_SUBJECT,
        informant_clearance: bool = False,
        data_clearance: bool = False,
    ) -> dict[str, str]:
        token = self.token(
            role,
            tenant_id,
            subject=subject,
            informant_clearance=informant_clearance,
            data_clearance=data_clearance,
        )
        # The tests read refusals in English, the words the code raises them with; Chinese,
        # the default, is tested in tests/e2e/test_languages.py.
        return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
