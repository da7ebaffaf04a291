"""`xuncha token …`: mint bearer tokens for this deployment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from domain.errors import NotFound, XunChaError
from domain.tenants.tenant import Tenant, office_id_of, tenant_id_for
from infrastructure.auth import Principal, Role, issue_token, parse_ttl, token_keys
from infrastructure.database import open_database
from infrastructure.settings import Settings
from infrastructure.store import open_event_store
from services.authorization import DEPLOYMENT_TENANT

app = typer.Typer(help="Bearer tokens for the API.", no_args_is_help=True)

MAX_TTL = timedelta(days=30)
DEMO_TTL = timedelta(hours=8)


@app.callback()
def token() -> None:
    """Bearer tokens for the API."""


@app.command("issue")
def issue(
    tenant: Annotated[str, typer.Option(help="The office: its id or its code (e.g. 3701).")],
    role: Annotated[
        Role,
        typer.Option(
            help="What the caller may do (any case).",
            case_sensitive=False,
            metavar="|".join(Role),  # as the API names them, not as typer would (lower case)
        ),
    ],
    sub: Annotated[str, typer.Option(help="Who the caller is (recorded on events).")] = "",
    ttl: Annotated[str, typer.Option(help="How long the token is valid: 8h, 30m, 7d.")] = "8h",
    informant_clearance: Annotated[
        bool, typer.Option("--informant-clearance", help="May see informant identities.")
    ] = False,
    data_clearance: Annotated[
        bool,
        typer.Option(
            "--data-clearance", help="May register datasets, run comparisons, see evidence."
        ),
    ] = False,
    private_key_file: Annotated[
        Path | None,
        typer.Option(help="PEM private key, where tokens are RS256 (XUNCHA_JWT_PUBLIC_KEY_FILE)."),
    ] = None,
    key_id: Annotated[str | None, typer.Option(help="`kid` header, for a JWKS.")] = None,
) -> None:
    """Print a signed token (and nothing else) to standard output. The office must be
    registered (the deployment's ADMIN, office 00000000-0000-0000-0000-000000000000, excepted)."""
    settings = Settings()

    try:
        lifetime = parse_ttl(ttl)
        if lifetime > MAX_TTL:
            raise typer.BadParameter(f"at most {MAX_TTL.days} days", param_hint="--ttl")
        office = office_id_of(tenant)
        if office != DEPLOYMENT_TENANT:
            require_registered(settings, office, tenant)
        principal = Principal(
            subject=sub.strip() or f"{role.value.lower()}@{tenant}",
            tenant_id=office,
            role=role,
            informant_clearance=informant_clearance,
            data_clearance=data_clearance,
        )
        token = issue_token(
            token_keys(settings, private_key_file=private_key_file),
            principal,
            ttl=lifetime,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            key_id=key_id,
        )
    except XunChaError as error:
        typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(2) from None
    typer.echo(token)


def require_registered(settings: Settings, office: UUID, given: str) -> None:
    """NOT_FOUND unless the office is registered in this deployment's event store."""
    database = open_database(settings)
    try:
        store = open_event_store(database, pool_size=1)
        try:
            store.load(Tenant, office, what="office")
        except NotFound:
            raise NotFound(
                f"No office {given!r} is registered here; register it first (registerTenant), "
                "or give its id or code as registered"
            ) from None
        finally:
            store.close()
    finally:
        database.close()


def demo_tokens(settings: Settings) -> dict[str, str]:
    """One token per role for the demo city and its first county, keyed by a label."""
    from services.demo import DEMO_CITY, DEMO_COUNTIES

    county = DEMO_COUNTIES[0][0]
    grants = {
        f"CITY_OFFICE of {DEMO_CITY}": (DEMO_CITY, Role.CITY_OFFICE, "demo-city-office", False),
        f"COUNTY_TEAM of {county}": (county, Role.COUNTY_TEAM, "demo-county-team", False),
        f"AUDITOR of {DEMO_CITY}": (DEMO_CITY, Role.AUDITOR, "demo-auditor", True),
        f"ADMIN of {DEMO_CITY}": (DEMO_CITY, Role.ADMIN, "demo-admin", True),
    }
    keys = token_keys(settings)
    return {
        label: issue_token(
            keys,
            Principal(sub, tenant_id_for(code), role, informant_clearance=clearance),
            ttl=DEMO_TTL,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        )
        for label, (code, role, sub, clearance) in grants.items()
    }


def echo_demo_tokens(settings: Settings) -> None:
    """Print the demo tokens for the person who started `xuncha serve --demo` (never logged)."""
    if token_keys(settings).signing_key is None:
        typer.echo("Tokens come from your identity provider (RS256); no demo tokens printed.")
        return
    hours = DEMO_TTL.seconds // 3600
    typer.echo(
        f"Demo bearer tokens, valid {hours} h (send `Authorization: Bearer <token>`), "
        "each on the line after its role:"
    )
    # A token alone on its line, unindented: a triple click copies exactly the token.
    for label, token in demo_tokens(settings).items():
        typer.echo(f"# {label}")
        typer.echo(token)


def echo_demo_accounts() -> None:
    """The demo's web app accounts, for the person who started `xuncha serve --demo`."""
    from services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    names = ", ".join(f"{username} ({role})" for username, _, _, role, _ in DEMO_ACCOUNTS)
    typer.echo(f"Web app accounts of the demo, password {DEMO_PASSWORD}: {names}")
