"""`xuncha users …`: web app accounts, opened at the console (an ADMIN opens them in the app)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from domain.context import acting_as
from domain.errors import XunChaError
from domain.tenants.tenant import office_id_of
from infrastructure.auth import Role
from infrastructure.settings import Settings
from services.authorization import CONSOLE
from services.imports.accounts import import_accounts
from services.runtime import running

app = typer.Typer(help="Web app accounts.", no_args_is_help=True)
Actor = Annotated[str, typer.Option(help="Recorded on every event as its cause.")]


@app.callback()
def users() -> None:
    """Web app accounts."""


@app.command("add")
def add(
    tenant: Annotated[str, typer.Option(help="The office: its id or code.")],
    username: Annotated[str, typer.Option(help="What the person signs in with.")],
    name: Annotated[str, typer.Option(help="The name shown.")],
    role: Annotated[Role, typer.Option(case_sensitive=False, metavar="|".join(Role))],
    password: Annotated[
        str,
        typer.Option(
            prompt="Initial password",
            hide_input=True,
            confirmation_prompt=True,
            help="Changed by the person before the first sign-in.",
        ),
    ],
    inspector_id: Annotated[UUID | None, typer.Option(help="Their inspector record.")] = None,
    informant_clearance: Annotated[
        bool, typer.Option("--informant-clearance", help="May see informant identities.")
    ] = False,
    actor: Actor = "console",
) -> None:
    """Open one account."""
    try:
        with running(Settings()) as runtime, acting_as(actor):
            runtime.accounts.open_account(
                tenant_id=office_id_of(tenant),
                username=username,
                display_name=name,
                role=role.value,
                initial_password=password,
                inspector_id=inspector_id,
                informant_clearance=informant_clearance,
                acting=CONSOLE,
            )
    except XunChaError as error:
        typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"opened {username.strip().lower()}: the initial password is changed at first use")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".xlsx or .csv")],
    actor: Actor = "console",
) -> None:
    """Open one account a row (用户名, 姓名, 机构, 角色, 初始密码, and optionally 举报人信息权限:
    是/否); every refused row is printed with its reason."""
    try:
        with running(Settings()) as runtime, acting_as(actor):
            done = import_accounts(runtime.accounts, file.name, file.read_bytes(), CONSOLE)
    except XunChaError as error:
        typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(2) from None
    for problem in done.problems:
        typer.echo(f"row {problem.row} {problem.column}: {problem.reason}", err=True)
    typer.echo(f"{len(done.opened)} accounts opened, {len(done.problems)} rows refused")
    if done.problems:
        raise typer.Exit(1)
