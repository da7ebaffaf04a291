"""Row-level security on the read-model tables: the second line of tenant isolation.

Queries run as `READER`, a role that owns nothing and may only SELECT the read-model tables.
Each table's policy shows a row only when one of the tenants it concerns is in the visible
tenant set of the current transaction (`show_only`), so a query that forgets its tenant
filter still cannot return another tenant's rows. With no visible set (a transaction that
never called `show_only`) the reader sees nothing. Projections write as the tables' owner, to
whom the policies do not apply.

Each projection names a rule per table (`Projection.row_rules`), an SQL condition written
with `visible` / `any_visible`, or a sub-query over another of its own tables (whose policy
then applies in turn). A rule never refers to another projection's table: rebuilding that
projection swaps its tables, and a policy bound to the old table would go with it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from psycopg import Connection, errors, sql

from projections.base import Projection

READER = "xuncha_reader"
_TENANTS = "xuncha.visible_tenants"
_ALL = "xuncha.sees_all"

# Scalar sub-queries, so PostgreSQL reads the settings once per query rather than once a row
# (the outer cast keeps `= ANY (...)` from reading the sub-query as a set of rows).
_VISIBLE_SET = (
    f"(SELECT string_to_array(nullif(current_setting('{_TENANTS}', true), ''), ',')::uuid[])"
    "::uuid[]"
)
_SEES_ALL = f"(SELECT coalesce(current_setting('{_ALL}', true), '') = 'on')"


def visible(column: str) -> str:
    """Holds when the tenant in `column` is visible."""
    return f"{column} = ANY ({_VISIBLE_SET})"


def any_visible(column: str) -> str:
    """Holds when one of the tenants in the array `column` is visible."""
    return f"{column} && {_VISIBLE_SET}"


def either(*conditions: str) -> str:
    return " OR ".join(f"({condition})" for condition in conditions)


def protect(conn: Connection[Any], projection: Projection) -> None:
    """Enable row-level security on the projection's tables, with its rules, for `READER`.
    Idempotent: a policy already made from the same rule (its digest is the policy's comment)
    is left alone. Every table the projection declares must have a rule."""
    missing = set(projection.tables) - projection.row_rules.keys()
    if missing:
        raise RuntimeError(f"{projection.name}: no row rule for {', '.join(sorted(missing))}")
    for table, rule in projection.row_rules.items():
        protect_table(conn, table, rule)


def protect_table(conn: Connection[Any], table: str, rule: str) -> None:
    """Row-level security on one table, with `rule` (see `protect`)."""
    using = either(_SEES_ALL, rule)
    digest = hashlib.sha256(using.encode()).hexdigest()
    if _installed_digest(conn, table) == digest:
        return  # as declared: no lock on a live table at every start
    name = sql.Identifier(table)
    conn.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name))
    conn.execute(sql.SQL("DROP POLICY IF EXISTS visible_tenants ON {}").format(name))
    conn.execute(
        sql.SQL("CREATE POLICY visible_tenants ON {} FOR SELECT TO {} USING ({})").format(
            name, sql.Identifier(READER), sql.SQL(using)
        )
    )
    conn.execute(
        sql.SQL("COMMENT ON POLICY visible_tenants ON {} IS {}").format(name, sql.Literal(digest))
    )
    conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(name, sql.Identifier(READER)))


def _installed_digest(conn: Connection[Any], table: str) -> str | None:
    """The digest of the rule the table's policy was made from, if row security is on."""
    row = conn.execute(
        "SELECT d.description FROM pg_policy p "
        "JOIN pg_class c ON c.oid = p.polrelid AND c.relrowsecurity "
        "JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass "
        "WHERE p.polrelid = to_regclass(%s) AND p.polname = 'visible_tenants'",
        (table,),
    ).fetchone()
    return row[0] if row else None


def install_reader(conn: Connection[Any], attempts: int = 3) -> None:
    """Create the `READER` role if the cluster has none, and let the connected user act as it.
    Roles belong to the whole cluster, so another database may create it at the same moment:
    then the next attempt finds it and only grants."""
    for _ in range(attempts):
        if _may_act_as_reader(conn):
            return
        try:
            with conn.transaction():
                found = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (READER,))
                if not found.fetchone():
                    conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(READER)))
                conn.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(READER)))
        except (errors.DuplicateObject, errors.UniqueViolation, errors.InternalError_):
            continue  # created or granted by a concurrent install
        except errors.InsufficientPrivilege as error:
            raise RuntimeError(
                f"XunCha reads as the role {READER}, which this database user may not create "
                f"or use. As a superuser run: CREATE ROLE {READER} NOLOGIN; "
                f"GRANT {READER} TO <the XunCha user>;"
            ) from error
    if not _may_act_as_reader(conn):
        raise RuntimeError(f"The database user cannot act as {READER}")


def _may_act_as_reader(conn: Connection[Any]) -> bool:
    row = conn.execute(
        "SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = %s",
        (READER,),
    ).fetchone()
    return bool(row and row[0])


def show_only(conn: Connection[Any], tenants: Iterable[UUID] | None) -> None:
    """For the rest of the current transaction, read as `READER` and see the rows of
    `tenants` only (None: every tenant, for a deployment-wide caller)."""
    conn.execute(showing_only(tenants))


def showing_only(tenants: Iterable[UUID] | sql.Composable | None) -> sql.Composed:
    """The statements of `show_only`, as one text to send with others in one round trip.
    `tenants` may be a query giving the comma-separated tenant list; the first statement then
    returns the list it set."""
    sees_all = "on" if tenants is None else "off"
    if not isinstance(tenants, sql.Composable):
        listed = "" if tenants is None else ",".join(sorted(str(t) for t in tenants))
        tenants = sql.Literal(listed)
    return sql.SQL(
        "SELECT set_config({}, ({}), true), set_config({}, {}, true); SET LOCAL ROLE {}"
    ).format(
        sql.Literal(_TENANTS),
        tenants,
        sql.Literal(_ALL),
        sql.Literal(sees_all),
        sql.Identifier(READER),
    )
