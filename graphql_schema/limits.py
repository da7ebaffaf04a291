"""How much one GraphQL operation may ask for, checked before anything runs.

Fields counts every field selected, aliases and fragments expanded: each is resolved, so
thousands of aliases of a cheap field are refused however cheap each one is; counting stops
at the limit, so a fragment spread into itself over and over costs no more to refuse. Depth
counts nested field selections. Cost estimates the work: every field costs 1 plus its
selections, multiplied by the page size (`first`, default 50) for a paginated field, whose
`edges`/`nodes` are that page, by its realistic size for an unpaged list that reads a whole
table (`LIST_SIZES`), and by `LIST_FACTOR` for any other list. That makes nested lists — the
classic `fields { type { fields … } }` introspection bomb, or a page of pages — expensive,
while one page of a list stays cheap."""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from graphql.utilities.type_info import get_field_def

from domain.errors import ErrorCode

DEFAULT_PAGE_SIZE = 50
LIST_FACTOR = 10
# Unpaged lists that read a whole table, by what they return in a large deployment: `tenants`
# is every office, a province's cities and counties.
LIST_SIZES = {("Query", "tenants"): 200}
PAGE_ITEMS = frozenset({"edges", "nodes"})


class TooManyFields(Exception):
    """Measuring stopped: the operation selects more fields than allowed."""


class _Measure:
    def __init__(
        self,
        schema: GraphQLSchema,
        context: ValidationContext,
        variables: dict[str, Any],
        max_fields: int,
    ) -> None:
        self.schema = schema
        self.context = context
        self.variables = variables
        self.max_fields = max_fields
        self.fields = 0

    def selection_set(
        self,
        node: SelectionSetNode | None,
        parent: GraphQLNamedType | None,
        in_page: bool,
        fragments: frozenset[str],
    ) -> tuple[int, int]:
        """(depth, cost) of a selection set."""
        depth, cost = 0, 0
        for selection in node.selections if node else ():
            if isinstance(selection, FieldNode):
                d, c = self.field(selection, parent, in_page, fragments)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                d, c = self.selection_set(selection.selection_set, target, in_page, fragments)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in fragments:  # unknown or cyclic: other rules say
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value)
                d, c = self.selection_set(
                    fragment.selection_set, target, in_page, fragments | {name}
                )
            else:  # pragma: no cover - the grammar has no other selection
                continue
            depth, cost = max(depth, d), cost + c
        return depth, cost

    def field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType | None,
        in_page: bool,
        fragments: frozenset[str],
    ) -> tuple[int, int]:
        self.fields += 1
        if self.fields > self.max_fields:
            raise TooManyFields
        definition = get_field_def(self.schema, parent, node) if parent else None
        if definition is None or node.selection_set is None:
            return 1, 1
        page = self.page_size(node)
        nullable = get_nullable_type(definition.type)  # type: ignore[arg-type]
        if page is not None:
            factor = page
        elif is_list_type(nullable):
            factor = self.list_size(node, parent, in_page)
        else:
            factor = 1
        depth, cost = self.selection_set(
            node.selection_set, get_named_type(definition.type), page is not None, fragments
        )
        return depth + 1, 1 + factor * cost

    @staticmethod
    def list_size(node: FieldNode, parent: GraphQLNamedType | None, in_page: bool) -> int:
        name = node.name.value
        if in_page and name in PAGE_ITEMS:
            return 1  # the page's size is counted on the paginated field
        return LIST_SIZES.get((parent.name if parent else "", name), LIST_FACTOR)

    def page_size(self, node: FieldNode) -> int | None:
        for argument in node.arguments:
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(0, int(value.value))
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                return max(0, given) if isinstance(given, int) else DEFAULT_PAGE_SIZE
            return DEFAULT_PAGE_SIZE
        return None


def _with_defaults(node: OperationDefinitionNode, given: dict[str, Any]) -> dict[str, Any]:
    """The request's variables, and the default of each the request leaves out, so a page
    size declared as `$first: Int = 500` costs what it will fetch."""
    values = dict(given)
    for definition in node.variable_definitions or ():
        name = definition.variable.name.value
        if name not in values and isinstance(definition.default_value, IntValueNode):
            values[name] = int(definition.default_value.value)
    return values


def query_limits(
    *, max_depth: int, max_cost: int, max_fields: int, variables: dict[str, Any] | None
) -> type[ASTValidationRule]:
    """A validation rule refusing operations with more fields, deeper or costlier than
    allowed, with the variables of this request (page sizes often come in as `$first`)."""
    values = variables if isinstance(variables, dict) else {}

    class QueryLimits(ASTValidationRule):
        context: ValidationContext

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            schema = self.context.schema
            root = schema.get_root_type(node.operation)
            measure = _Measure(schema, self.context, _with_defaults(node, values), max_fields)
            try:
                depth, cost = measure.selection_set(node.selection_set, root, False, frozenset())
            except TooManyFields:
                counted = "aliases and fragments counted"
                self.refuse(node, f"The operation selects over {max_fields} fields ({counted})")
                return
            if depth > max_depth:
                self.refuse(node, f"The operation is {depth} levels deep; at most {max_depth}")
            if cost > max_cost:
                self.refuse(node, f"The operation would cost {cost}; at most {max_cost}")

        def refuse(self, node: OperationDefinitionNode, message: str) -> None:
            self.report_error(
                GraphQLError(message, node, extensions={"code": ErrorCode.LIMIT_EXCEEDED.value})
            )

    return QueryLimits
