"""Relay-style connections (`edges { node }`, `pageInfo`, `totalCount`) for any node type."""

from __future__ import annotations

from typing import Any

import graphene
from graphene.relay import PageInfo

from projections.paging import Page


def connection_for(
    node_type: type[graphene.ObjectType], name: str, total_count_description: str | None = None
) -> type[graphene.ObjectType]:
    edge = type(
        f"{name}Edge",
        (graphene.ObjectType,),
        {
            "cursor": graphene.String(required=True),
            "node": graphene.Field(node_type, required=True),
        },
    )
    return type(
        f"{name}Connection",
        (graphene.ObjectType,),
        {
            "edges": graphene.List(graphene.NonNull(edge), required=True),
            "page_info": graphene.Field(PageInfo, required=True),
            "total_count": graphene.Int(required=True, description=total_count_description),
        },
    )


def to_connection(page: Page[Any]) -> dict[str, Any]:
    edges = [{"cursor": cursor, "node": node} for cursor, node in page.items]
    return {
        "edges": edges,
        "total_count": page.total_count,
        "page_info": PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=edges[0]["cursor"] if edges else None,
            end_cursor=edges[-1]["cursor"] if edges else None,
        ),
    }
