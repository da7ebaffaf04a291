"""Text PostgreSQL cannot hold, refused before anything runs.

PostgreSQL refuses NUL (U+0000) in text and JSON, and a lone surrogate cannot be encoded as
UTF-8 at all; either, in a filter or in the input of a command, would otherwise fail deep in a
read or a write. This validation rule looks at every argument of the operation — literals,
variable defaults and the request's variables — and names the one holding such text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    ASTValidationRule,
    GraphQLError,
    ListValueNode,
    Node,
    ObjectValueNode,
    StringValueNode,
    ValidationContext,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
)

from domain.errors import ErrorCode

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _in_value(value: Any, path: str) -> str | None:
    """The path of the first text in a request's variable value that PostgreSQL cannot hold."""
    if isinstance(value, str):
        return path if UNSTORABLE.search(value) else None
    if isinstance(value, Mapping):
        items = ((f"{path}.{key}", item) for key, item in value.items())
    elif isinstance(value, list):
        items = ((path, item) for item in value)
    else:
        return None
    return next((found for p, item in items if (found := _in_value(item, p))), None)


def storable_text(variables: dict[str, Any] | None) -> type[ASTValidationRule]:
    """A validation rule refusing text PostgreSQL cannot hold in any argument, with the
    variables of this request."""
    values = variables if isinstance(variables, dict) else {}

    class StorableText(ASTValidationRule):
        context: ValidationContext

        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            self.check(node, node.value, node.name.value)

        def enter_variable_definition(self, node: VariableDefinitionNode, *_: Any) -> None:
            if node.default_value is not None:
                self.check(node, node.default_value, f"${node.variable.name.value}")

        def check(self, node: Node, value: ValueNode, path: str) -> None:
            found = self.in_node(value, path)
            if found is not None:
                self.report_error(
                    GraphQLError(
                        f"{found} holds a NUL character or a lone surrogate, "
                        "which text cannot contain",
                        node,
                        extensions={"code": ErrorCode.VALIDATION_FAILED.value, "field": found},
                    )
                )

        def in_node(self, value: ValueNode, path: str) -> str | None:
            if isinstance(value, StringValueNode):
                return path if UNSTORABLE.search(value.value) else None
            if isinstance(value, VariableNode):
                return _in_value(values.get(value.name.value), path)
            if isinstance(value, ObjectValueNode):
                fields = ((f"{path}.{f.name.value}", f.value) for f in value.fields)
            elif isinstance(value, ListValueNode):
                fields = ((path, item) for item in value.values)
            else:
                return None
            return next((found for p, item in fields if (found := self.in_node(item, p))), None)

    return StorableText
