from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.runtime import Runtime
from services.web import create_app
from tests.support.graphql import GraphQL


@pytest.fixture
def gql(runtime: Runtime) -> Iterator[GraphQL]:
    with TestClient(create_app(runtime)) as http:
        yield GraphQL(http)
