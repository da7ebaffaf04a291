"""Lag you can see: /metrics shows the head of the log and how far behind each projection is."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient
from pydantic import SecretStr

from domain.tenants.tenant import TenantLevel
from entrypoints.http.app import create_app
from services.authorization import CONSOLE
from services.runtime import Runtime


def test_metrics_show_each_projection_caught_up_with_the_head_of_the_log(
    runtime: Runtime,
) -> None:
    written = runtime.tenants.register_tenant(
        code="3707", name="德州市", level=TenantLevel.CITY, parent_id=None, acting=CONSOLE
    )
    runtime.wait_for_projections(written.position)
    with TestClient(create_app(runtime)) as http:
        response = http.get("/metrics")
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert f"xuncha_log_head_position {float(written.position)}" in lines
    for projection in runtime.projections:
        assert f'xuncha_projection_behind_positions{{projection="{projection.name}"}} 0.0' in lines


def test_metrics_name_no_tenant(runtime: Runtime) -> None:
    city = runtime.tenants.register_tenant(
        code="3708", name="济宁市", level=TenantLevel.CITY, parent_id=None, acting=CONSOLE
    )
    runtime.wait_for_projections(city.position)
    with TestClient(create_app(runtime)) as http:
        text = http.get("/metrics").text
    # Each sample's name and labels, without its value, which may hold these digits by chance.
    names_and_labels = "\n".join(
        line.rsplit(" ", 1)[0] for line in text.splitlines() if not line.startswith("#")
    )
    assert str(city.id) not in names_and_labels
    assert "3708" not in names_and_labels
    assert "济宁" not in text


def test_with_a_metrics_token_metrics_need_it(runtime: Runtime) -> None:
    token = "scrape-" + "x" * 24
    guarded = replace(
        runtime, settings=runtime.settings.model_copy(update={"metrics_token": SecretStr(token)})
    )
    with TestClient(create_app(guarded)) as http:
        anonymous = http.get("/metrics")
        wrong = http.get("/metrics", headers={"Authorization": "Bearer " + "y" * 31})
        scraped = http.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert (anonymous.status_code, wrong.status_code) == (401, 401)
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert token not in anonymous.text
    assert scraped.status_code == 200
    assert "xuncha_log_head_position" in scraped.text
