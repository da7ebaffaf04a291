"""Lag you can see: /metrics shows the head of the log and how far behind each projection is."""

from __future__ import annotations

from fastapi.testclient import TestClient

from domain.tenants.tenant import TenantLevel
from services.runtime import Runtime
from services.web import create_app


def test_metrics_show_each_projection_caught_up_with_the_head_of_the_log(
    runtime: Runtime,
) -> None:
    written = runtime.tenants.register_tenant(
        code="3707", name="德州市", level=TenantLevel.CITY, parent_id=None
    )
    runtime.wait_for_projections(written.position)
    with TestClient(create_app(runtime)) as http:
        response = http.get("/metrics")
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert f"xuncha_log_head_position {float(written.position)}" in lines
    for projection in runtime.projections:
        assert f'xuncha_projection_behind_positions{{projection="{projection.name}"}} 0.0' in lines
