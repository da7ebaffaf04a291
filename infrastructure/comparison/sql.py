"""A comparison model's SQL: checked to be one read-only SELECT over known dataset tables,
and translated, from its one DuckDB source, into the dialect of another engine (sqlglot)."""

from __future__ import annotations

from collections.abc import Collection

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from domain.errors import RuleViolation, ValidationFailed

SOURCE_DIALECT = "duckdb"


def parsed(sql: str) -> exp.Expr:
    try:
        statements = [s for s in sqlglot.parse(sql, read=SOURCE_DIALECT) if s is not None]
    except ParseError as error:
        raise ValidationFailed(
            f"The model's query is not valid SQL: {str(error).splitlines()[0]}", field="sql"
        ) from None
    if len(statements) != 1:
        raise RuleViolation(
            "MODEL_SINGLE_SELECT", "A model's query is one SELECT statement, nothing more"
        )
    return statements[0]


def checked_columns(sql: str, tables: Collection[str]) -> list[str]:
    """The columns the query yields, once it is one SELECT (with CTEs and subqueries) that
    reads only `tables` (and its own CTEs); RULE_VIOLATION otherwise."""
    statement = parsed(sql)
    if not isinstance(statement, exp.Select):
        raise RuleViolation(
            "MODEL_SINGLE_SELECT", "A model's query is one SELECT statement, nothing more"
        )
    own = {cte.alias_or_name for cte in statement.find_all(exp.CTE)}
    for table in statement.find_all(exp.Table):
        name = table.name if isinstance(table.this, exp.Identifier) else ""
        if table.args.get("db") or table.args.get("catalog") or name not in {*tables, *own}:
            raise RuleViolation(
                "MODEL_UNKNOWN_TABLE",
                f"A model reads only the office's datasets ({', '.join(sorted(tables))}); "
                f"not {table.sql(dialect=SOURCE_DIALECT)}",
                table=table.sql(dialect=SOURCE_DIALECT),
            )
    columns = statement.named_selects
    if "*" in columns or len(set(columns)) != len(columns):
        raise RuleViolation(
            "MODEL_OUTPUT_COLUMNS",
            "A model's query names each column it yields once, without *",
            missing="",
        )
    return columns


def translated(sql: str, dialect: str) -> str:
    """The query in `dialect` (e.g. `spark`), from its DuckDB source."""
    (statement,) = sqlglot.transpile(sql, read=SOURCE_DIALECT, write=dialect)
    return statement
