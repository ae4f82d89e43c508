"""The deployment files (docs/deploy.md) agree with the code, without Docker or Kubernetes.

Expected names come from the code itself (the ``MEDIASTATS_*`` variables it reads, the CLI, the
ClickHouse URL parser, the test cluster's XML), not from the files under test.
"""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.main import get_command

from mediastats.cli import app
from mediastats.storage.clickhouse_backend import ClickHouseStorage
from tests.storage import cluster

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
NODES = ("mediastats-1", "mediastats-2", "mediastats-3")
SHARDS = ("clickhouse-1", "clickhouse-2")


def variables_the_code_reads() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "mediastats").rglob("*.py"):
        found |= set(re.findall(r"[\"'](MEDIASTATS_[A-Z_]+)[\"']", path.read_text()))
    return found


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "docker-compose.yml").read_text()))


def test_compose_has_the_three_node_layout(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {*SHARDS, "postgres", *NODES, "nginx"}
    for node in NODES:
        service = compose["services"][node]
        assert service["build"]["dockerfile"] == "Dockerfile"
        assert (DEPLOY / service["build"]["context"] / "Dockerfile").is_file()
    # Migrations run on one node first: the others wait until it is healthy.
    for node in NODES[1:]:
        assert compose["services"][node]["depends_on"] == {"mediastats-1": {"condition": "service_healthy"}}


def test_every_node_gets_only_settings_the_code_reads(compose: dict[str, Any]) -> None:
    known = variables_the_code_reads()
    assert {"MEDIASTATS_CLICKHOUSE_URL", "MEDIASTATS_DATABASE_URL", "MEDIASTATS_ADMIN_TOKEN"} <= known
    for node in NODES:
        env = compose["services"][node]["environment"]
        assert {"MEDIASTATS_CLICKHOUSE_URL", "MEDIASTATS_DATABASE_URL", "MEDIASTATS_ADMIN_TOKEN"} <= set(env)
        assert set(env) <= known, set(env) - known


def test_clickhouse_url_names_the_compose_cluster(compose: dict[str, Any]) -> None:
    url = compose["services"]["mediastats-1"]["environment"]["MEDIASTATS_CLICKHOUSE_URL"]
    storage = ClickHouseStorage(url)  # parses; connects only when asked
    try:
        assert storage.cluster == "two_shards" == _cluster_name(DEPLOY / "clickhouse" / "cluster.xml")
        assert storage.database == "mediastats"
        assert [node.connection.hosts[0] for node in storage._nodes] == [(h, 9000) for h in SHARDS]
        assert storage._insert_url == "http://clickhouse-1:8123/"
    finally:
        storage.close()
    shard_hosts = [r.findtext("host") for r in ET.parse(DEPLOY / "clickhouse" / "cluster.xml").iter("replica")]
    assert shard_hosts == list(SHARDS)


def test_cluster_xml_has_the_shape_of_the_test_cluster(tmp_path: Path) -> None:
    nodes = [cluster.Node(tmp_path / "a"), cluster.Node(tmp_path / "b")]
    tested = ET.fromstring(cluster._config(nodes[0], nodes).encode())
    deployed = ET.parse(DEPLOY / "clickhouse" / "cluster.xml").getroot()
    assert deployed.tag == tested.tag == "yandex"
    assert _shape(deployed.find("remote_servers")) == _shape(tested.find("remote_servers"))
    assert _cluster_name(DEPLOY / "clickhouse" / "cluster.xml") == cluster.CLUSTER


def _cluster_name(path: Path) -> str:
    (element,) = list(ET.parse(path).getroot().find("remote_servers") or [])
    return element.tag


def _shape(element: ET.Element | None) -> tuple[Any, ...]:
    assert element is not None
    return (element.tag, tuple(_shape(child) for child in element))


def test_database_url_is_postgresql_on_the_compose_service(compose: dict[str, Any]) -> None:
    url = sa.engine.make_url(compose["services"]["mediastats-1"]["environment"]["MEDIASTATS_DATABASE_URL"])
    assert url.drivername == "postgresql+psycopg" and url.host == "postgres" and url.port == 5432
    pg_env = compose["services"]["postgres"]["environment"]
    assert url.username == pg_env["POSTGRES_USER"] and url.database == pg_env["POSTGRES_DB"]


def test_nginx_balances_exactly_the_mediastats_nodes(compose: dict[str, Any]) -> None:
    conf = (DEPLOY / "nginx.conf").read_text()
    upstreams = dict(re.findall(r"upstream (\w+) \{(.*?)\}", conf, re.S))
    assert set(upstreams) == {"mediastats", "mediastats_ingest"}
    for body in upstreams.values():
        assert re.findall(r"server ([\w-]+):(\d+);", body) == [(node, "8080") for node in NODES]
    assert "location /v1/events { proxy_pass http://mediastats_ingest; }" in conf
    # The nodes trust X-Forwarded-For from nginx's fixed address only.
    nginx_ip = compose["services"]["nginx"]["networks"]["mediastats"]["ipv4_address"]
    assert compose["services"]["mediastats-1"]["environment"]["MEDIASTATS_TRUSTED_PROXIES"] == nginx_ip


def test_dockerfile_serves_on_the_balanced_port_with_the_locked_driver() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert [line for line in text.splitlines() if line.startswith("FROM")] == ["FROM python:3.11-slim"]
    assert "uv sync --frozen" in text
    assert '"--host", "0.0.0.0", "--port", "8080"' in text
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    psycopg = next(p["version"] for p in lock["package"] if p["name"] == "psycopg")
    assert f'"psycopg[binary]=={psycopg}"' in text


def test_kubernetes_sketch_parses_and_names_real_settings() -> None:
    docs = list(yaml.safe_load_all((DEPLOY / "kubernetes" / "mediastats.yaml").read_text()))
    kinds = {d["kind"]: d for d in docs}
    assert {"Secret", "StatefulSet", "Service", "Ingress", "ClickHouseInstallation"} <= set(kinds)
    known = variables_the_code_reads()
    assert set(kinds["Secret"]["stringData"]) <= known
    pod = kinds["StatefulSet"]["spec"]["template"]["spec"]["containers"][0]
    assert {e["name"] for e in pod["env"]} <= known
    assert kinds["StatefulSet"]["spec"]["podManagementPolicy"] == "OrderedReady"
    chi_cluster = kinds["ClickHouseInstallation"]["spec"]["configuration"]["clusters"][0]["name"]
    storage = ClickHouseStorage(kinds["Secret"]["stringData"]["MEDIASTATS_CLICKHOUSE_URL"])
    try:
        assert storage.cluster == chi_cluster and len(storage._nodes) == 2
    finally:
        storage.close()


def test_deploy_doc_names_only_real_commands_settings_and_files() -> None:
    text = (ROOT / "docs" / "deploy.md").read_text()
    known = variables_the_code_reads()
    named = set(re.findall(r"MEDIASTATS_[A-Z_]+", text))
    assert named and named <= known, named - known
    commands = get_command(app).commands  # type: ignore[attr-defined]
    for line in re.findall(r"^mediastats (.+)$", text, re.M):
        group, *rest = line.split()
        assert group in commands, line
        if rest and hasattr(commands[group], "commands"):
            assert rest[0] in commands[group].commands, line
    for relative in set(re.findall(r"`((?:deploy/|Dockerfile)[\w./-]*)`", text)):
        assert (ROOT / relative).exists(), relative
    for target in re.findall(r"\(\.\./([\w./-]+)\)", text):
        assert (ROOT / target).exists(), target
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "mediastats" in pyproject["project"]["scripts"]
