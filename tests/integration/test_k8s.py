"""deploy/k8s/: every manifest is valid Kubernetes (against the API's JSON schemas, offline, as
kubernetes-validate ships them); every container runs a real `xuncha` command with only
`Settings` fields in its environment, as a non-root user on a read-only root filesystem with
bounded resources; the probes ask real routes; the workers never outnumber the partitions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from entrypoints.cli.main import app
from entrypoints.http.app import create_app
from infrastructure.settings import Settings
from services.runtime import Runtime

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
KUBERNETES_VERSION = "1.30.0"  # the oldest minor version still supported upstream when written
KUSTOMIZATION: dict[str, Any] = yaml.safe_load((K8S / "kustomization.yaml").read_text("utf-8"))
RESOURCES: list[dict[str, Any]] = [
    document
    for file in KUSTOMIZATION["resources"]
    for document in yaml.safe_load_all((K8S / file).read_text("utf-8"))
    if document
]
WORKLOADS = {r["metadata"]["name"]: r for r in RESOURCES if r["kind"] in ("Deployment", "Job")}


def named(kind: str, name: str) -> dict[str, Any]:
    (found,) = [r for r in RESOURCES if r["kind"] == kind and r["metadata"]["name"] == name]
    return found


def pod_spec(workload: str) -> dict[str, Any]:
    spec: dict[str, Any] = WORKLOADS[workload]["spec"]["template"]["spec"]
    return spec


def container(workload: str) -> dict[str, Any]:
    (only,) = pod_spec(workload)["containers"]
    return only


def environment(workload: str) -> dict[str, str]:
    """Every variable the workload's container gets, from its ConfigMaps, Secrets and env."""
    found: dict[str, str] = {}
    for source in container(workload).get("envFrom", []):
        if "configMapRef" in source:
            found.update(named("ConfigMap", source["configMapRef"]["name"])["data"])
        else:
            found.update(named("Secret", source["secretRef"]["name"])["stringData"])
    found.update({e["name"]: e["value"] for e in container(workload).get("env", [])})
    return found


@pytest.mark.parametrize(
    "resource", RESOURCES, ids=[f"{r['kind']}/{r['metadata']['name']}" for r in RESOURCES]
)
def test_each_manifest_is_valid_kubernetes(resource: dict[str, Any]) -> None:
    try:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        path = ".".join(str(part) for part in error.path)
        pytest.fail(f"{path}: {error.message}")


def test_the_kustomization_applies_every_manifest_of_the_folder() -> None:
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}

    assert set(KUSTOMIZATION["resources"]) == files
    assert {r["kind"] for r in RESOURCES} >= {
        "Deployment",
        "HorizontalPodAutoscaler",
        "ConfigMap",
        "Secret",
        "Job",
        "NetworkPolicy",
    }


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_each_container_runs_a_real_command(workload: str) -> None:
    result = CliRunner().invoke(app, [*container(workload)["args"], "--help"])

    assert result.exit_code == 0, result.output
    assert "command" not in container(workload)  # the image's entrypoint, `xuncha`, stays


def test_the_roles_are_the_api_the_relay_the_workers_and_the_migration() -> None:
    commands = {name: container(name)["args"][0] for name in WORKLOADS}

    assert commands == {
        "xuncha-api": "serve",
        "xuncha-relay": "relay",
        "xuncha-worker": "project",
        "xuncha-migrate": "migrate",
    }
    assert WORKLOADS["xuncha-migrate"]["kind"] == "Job"


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_each_container_sets_only_known_settings(workload: str) -> None:
    names = set(environment(workload))

    unknown = {
        n
        for n in names
        if not n.startswith("XUNCHA_") or n[7:].lower() not in Settings.model_fields
    }

    assert unknown == set()
    assert "XUNCHA_DATABASE_URL" in names


def test_only_the_api_gets_the_token_and_audit_secrets() -> None:
    holders = {name for name in WORKLOADS if "XUNCHA_JWT_SECRET" in environment(name)}

    assert holders == {"xuncha-api"}
    assert "XUNCHA_AUDIT_KEY" in environment("xuncha-api")


def test_the_api_environment_makes_valid_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in environment("xuncha-api").items():
        monkeypatch.setenv(name, value)

    settings = Settings()

    assert settings.database_url
    assert settings.database_url.startswith("postgresql://xuncha:")
    assert settings.jwt_secret is not None
    assert settings.audit_key is not None
    assert settings.kafka_bootstrap == "kafka:9092"


def test_every_secret_value_is_a_marked_placeholder() -> None:
    """No real secret in the repository: each value says it must be replaced."""
    values = [v for r in RESOURCES if r["kind"] == "Secret" for v in r["stringData"].values()]

    assert values
    assert all("REPLACE_ME" in value for value in values)
    assert "PLACEHOLDERS" in (K8S / "secret.yaml").read_text("utf-8")


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_each_pod_runs_unprivileged_on_a_read_only_root_filesystem(workload: str) -> None:
    pod, only = pod_spec(workload), container(workload)

    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] > 0
    assert pod["automountServiceAccountToken"] is False
    assert only["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    data_dir = environment(workload)["XUNCHA_DATA_DIR"]
    mounts = [m["mountPath"] for m in only["volumeMounts"]]
    assert any(data_dir.startswith(f"{mount}/") for mount in mounts)  # the one writable place


def test_the_image_runs_xuncha_as_the_pods_numeric_user() -> None:
    """runAsNonRoot can only be checked against a numeric USER; the args go to `xuncha`."""
    dockerfile = (K8S.parent / "Dockerfile").read_text("utf-8").splitlines()
    users = {pod_spec(name)["securityContext"]["runAsUser"] for name in WORKLOADS}

    assert 'ENTRYPOINT ["xuncha"]' in dockerfile
    assert [f"USER {user}" for user in users] == [
        line for line in dockerfile if line.startswith("USER ")
    ]


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_each_container_has_resource_requests_and_limits(workload: str) -> None:
    resources = container(workload)["resources"]

    assert set(resources["requests"]) == set(resources["limits"]) == {"cpu", "memory"}


def test_the_relay_runs_two_and_the_workers_no_more_than_the_partitions() -> None:
    relay_args = container("xuncha-relay")["args"]
    partitions = int(relay_args[relay_args.index("--partitions") + 1])

    assert WORKLOADS["xuncha-relay"]["spec"]["replicas"] == 2
    assert 1 <= WORKLOADS["xuncha-worker"]["spec"]["replicas"] <= partitions


def test_the_autoscaler_scales_the_api() -> None:
    (autoscaler,) = [r for r in RESOURCES if r["kind"] == "HorizontalPodAutoscaler"]

    assert autoscaler["spec"]["scaleTargetRef"]["name"] == "xuncha-api"
    assert autoscaler["spec"]["minReplicas"] >= 2


def test_the_network_policies_open_only_the_api_port_and_reach_only_postgres_and_kafka() -> None:
    policies = {r["metadata"]["name"]: r["spec"] for r in RESOURCES if r["kind"] == "NetworkPolicy"}
    api_port = container("xuncha-api")["ports"][0]["containerPort"]

    ingress = policies["xuncha-api-ingress"]["ingress"]
    assert [port["port"] for rule in ingress for port in rule["ports"]] == [api_port]
    assert "ingress" not in policies["xuncha-no-ingress"]  # none allowed
    egress = policies["xuncha-egress"]
    assert egress["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "xuncha"}
    reached = {
        (
            peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name"),
            port["port"],
        )
        for rule in egress["egress"]
        for peer in rule["to"]
        for port in rule["ports"]
    }
    assert reached == {("postgresql", 5432), ("kafka", 9092), (None, 53)}


def test_the_api_probes_ask_its_health_routes(runtime: Runtime) -> None:
    api = container("xuncha-api")
    with TestClient(create_app(runtime)) as http:
        answers = {path: http.get(path).status_code for path in ("/healthz", "/readyz")}

    assert api["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert api["startupProbe"]["httpGet"]["path"] == "/healthz"
    # /readyz answers whether PostgreSQL, the read models and the broker are ready.
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert answers == {"/healthz": 200, "/readyz": 200}
    assert api["livenessProbe"]["httpGet"]["port"] == api["ports"][0]["name"]
