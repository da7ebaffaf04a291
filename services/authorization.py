"""Who may read and write what: the one place that turns a caller into a scope.

The caller is an `Acting`, built once at the edge (GraphQL, REST) from the request's
`Principal`, or `Acting.console()` for the `xuncha` CLI and the demo loader, which are trusted
like the database owner. Services take the `Acting` and check it with the helpers below.

Rules (DESIGN.md "Tenancy"):

- Reading. Every role reads its own office and, at a city, all the city's counties
  (`Scope.tenants`). A county team also reads the rounds it takes part in (`reads_round`) and
  the clues about its own units that another county's team registered in a cross round. An
  AUDITOR reads the same scope, including history and `asOf` replays, and writes nothing.
  A read of something outside the scope answers NOT_FOUND, as if it did not exist, so a
  refusal never confirms that another tenant's object exists; lists are filtered to the scope.
- Writing. CITY_OFFICE, COUNTY_TEAM and ADMIN write for their own office; a city office also
  plans city-level rounds and supervises any clue of its city (`require_office` with the
  offices a command concerns). An AUDITOR writes nothing. Offices, units and configuration
  are managed by an ADMIN of the office or of its city (`require_admin_over`); counties are
  registered, renamed and merged by an ADMIN of their city (`require_admin_of`). Calendars
  are loaded by an ADMIN. A refused write answers FORBIDDEN and writes nothing; but a write
  on a clue, round or task the caller does not read, or on an office it may not know of,
  answers NOT_FOUND exactly as for an id that does not exist (services/visibility.py).
- Deployment administrator. An ADMIN whose tenant claim is `DEPLOYMENT_TENANT` (the nil
  UUID, which no office can have: office ids derive from their codes) administers the whole
  deployment: it registers cities, reads everything and writes like the console. It is what
  `xuncha token issue --tenant 00000000-0000-0000-0000-000000000000 --role ADMIN` mints.
- Informant identities are revealed, and erased, only with the `informant_clearance` claim.
- Datasets are registered and comparisons run by a CITY_OFFICE or ADMIN with the
  `data_clearance` claim, which also shows a candidate clue's masked evidence.

`Scope.tenants` is the request's visible tenant set in one value. Queries filter by it, and
services/reads.py sets it on every read transaction for PostgreSQL's row-level security
(projections/row_security.py), so a query that forgets the filter still sees nothing else."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from domain.errors import Forbidden, NotFound
from infrastructure.auth import Principal

ADMIN = "ADMIN"
CITY_OFFICE = "CITY_OFFICE"
COUNTY_TEAM = "COUNTY_TEAM"
AUDITOR = "AUDITOR"
WRITING_ROLES = frozenset({ADMIN, CITY_OFFICE, COUNTY_TEAM})
DEPLOYMENT_TENANT = UUID(int=0)


@dataclass(frozen=True)
class Acting:
    """Who asks, as the services see it: a role within a tenant, or the operator at the
    console (`xuncha` CLI, demo loader)."""

    role: str | None
    tenant_id: UUID | None
    operator: bool = False
    informant_clearance: bool = False
    data_clearance: bool = False

    @classmethod
    def console(cls) -> Acting:
        return cls(
            role=None,
            tenant_id=None,
            operator=True,
            informant_clearance=True,
            data_clearance=True,
        )

    @classmethod
    def of(cls, principal: Principal) -> Acting:
        return cls(
            role=principal.role.value,
            tenant_id=principal.tenant_id,
            informant_clearance=principal.informant_clearance,
            data_clearance=principal.data_clearance,
        )

    @property
    def deployment_wide(self) -> bool:
        """The console, or the deployment administrator: every right over every tenant."""
        return self.operator or (self.role == ADMIN and self.tenant_id == DEPLOYMENT_TENANT)


CONSOLE = Acting.console()


@dataclass(frozen=True)
class Office:
    """One entry of the tenant directory, as far as scope is concerned."""

    tenant_id: UUID
    parent_id: UUID | None


@dataclass(frozen=True)
class Scope:
    """What one caller may read. `tenants` is None for a deployment-wide caller."""

    acting: Acting
    tenants: frozenset[UUID] | None

    def reads(self, tenant_id: UUID | None) -> bool:
        return self.tenants is None or (tenant_id is not None and tenant_id in self.tenants)

    def reads_any(self, tenant_ids: Iterable[UUID | None]) -> bool:
        return any(self.reads(t) for t in tenant_ids)

    def reads_round(self, offices_taking_part: Iterable[UUID | None], *owners: UUID | None) -> bool:
        """A round is read by whoever reads one of the offices taking part in it (organiser,
        city, co-organisers, inspecting county) or one of the counties whose units it
        inspects (`owners`)."""
        return self.reads_any([*offices_taking_part, *owners])

    def require_read(self, tenant_id: UUID | None, what: str) -> None:
        if not self.reads(tenant_id):
            raise NotFound.no(what, tenant_id)

    def narrowed_to(self, tenant_id: UUID | None) -> frozenset[UUID] | None:
        """The tenants a list filtered by `tenant_id` (None: no filter) may show."""
        if tenant_id is None:
            return self.tenants
        return frozenset({tenant_id}) if self.reads(tenant_id) else frozenset()


def scope_of(acting: Acting, directory: Iterable[Office]) -> Scope:
    """The caller's read scope: its own office and the counties whose city it is."""
    if acting.deployment_wide:
        return Scope(acting, None)
    own = acting.tenant_id
    if own is None:
        return Scope(acting, frozenset())
    counties = {office.tenant_id for office in directory if office.parent_id == own}
    return Scope(acting, frozenset({own, *counties}))


def require_role(acting: Acting, roles: set[str], what: str) -> None:
    """Refuse unless `acting` has one of `roles` (the console always may)."""
    if not acting.operator and acting.role not in roles:
        raise Forbidden(f"A {acting.role} may not {what}", role=acting.role)


def require_office(acting: Acting, allowed: Iterable[UUID | None], what: str) -> None:
    """Refuse unless `acting` is deployment-wide or writes for one of the `allowed` offices."""
    if acting.deployment_wide:
        return
    if acting.role not in WRITING_ROLES or acting.tenant_id not in set(allowed) - {None}:
        raise Forbidden(
            f"Only an office taking part may {what}", required_role="CITY_OFFICE or COUNTY_TEAM"
        )


def require_admin_of(acting: Acting, tenant_id: UUID | None, what: str) -> None:
    """Refuse unless `acting` is deployment-wide or an ADMIN of office `tenant_id`."""
    if acting.deployment_wide:
        return
    if acting.role != ADMIN or tenant_id is None or acting.tenant_id != tenant_id:
        raise Forbidden(f"Only an ADMIN of the city may {what}", required_role=ADMIN)


def require_admin_over(acting: Acting, tenant_id: UUID, parent_id: UUID | None, what: str) -> None:
    """Refuse unless `acting` is deployment-wide or an ADMIN of the office or of its city."""
    if acting.deployment_wide:
        return
    if acting.role != ADMIN or acting.tenant_id not in {tenant_id, parent_id} - {None}:
        raise Forbidden(
            f"Only an ADMIN of the office or of its city may {what}", required_role=ADMIN
        )


def require_deployment_admin(acting: Acting, what: str) -> None:
    if not acting.deployment_wide:
        raise Forbidden(f"Only the deployment's ADMIN may {what}", required_role=ADMIN)


def require_clearance(acting: Acting, what: str) -> None:
    if not (acting.operator or acting.informant_clearance):
        raise Forbidden(f"{what} needs informant clearance")


def require_data_clearance(acting: Acting, what: str) -> None:
    if not (acting.operator or acting.data_clearance):
        raise Forbidden(f"{what} needs the data clearance")
