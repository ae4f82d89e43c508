"""A real 2-shard ClickHouse cluster on loopback, from Debian's clickhouse-server (CLUSTER.md).

Each node is its own ``clickhouse-server`` process with its own paths and ports and the same
``<remote_servers>`` block. Used by the storage-contract tests when the binary is installed.

``Cluster(root, replicas=2)`` is the replicated layout (docs/deploy.md): a ZooKeeper
(``tests/storage/zookeeper.py``) and ``shards × replicas`` servers, each with its ``<macros>``
(``{shard}``, ``{replica}``), the ``<zookeeper>`` and ``<distributed_ddl>`` blocks, and shards of
``internal_replication`` replicas; its ``url()`` asks for ``replicated=1``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.storage import zookeeper

SERVER_BIN = shutil.which("clickhouse-server") or "/usr/sbin/clickhouse-server"
CLUSTER = "two_shards"


def available() -> bool:
    return Path(SERVER_BIN).exists()


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Node:
    root: Path
    tcp: int = field(default_factory=_port)
    http: int = field(default_factory=_port)
    interserver: int = field(default_factory=_port)
    proc: subprocess.Popen[bytes] | None = None
    shard: int = 1  # the {shard} / {replica} macros of a replicated cluster
    replica: int = 1


def _replica(n: Node) -> str:
    return f"<replica><host>127.0.0.1</host><port>{n.tcp}</port></replica>"


def _config(node: Node, shards: list[Node], zookeeper_port: int | None = None) -> str:
    """Without ZooKeeper each node is a shard; with it, nodes are grouped by ``Node.shard``."""
    if zookeeper_port is None:
        replicas = "".join(f"<shard>{_replica(n)}</shard>" for n in shards)
        replication = ""
    else:
        replicas = "".join(
            "<shard><internal_replication>true</internal_replication>"
            + "".join(_replica(n) for n in shards if n.shard == number) + "</shard>"
            for number in sorted({n.shard for n in shards})
        )
        replication = f"""
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <zookeeper><node><host>127.0.0.1</host><port>{zookeeper_port}</port></node></zookeeper>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
  <macros><shard>{node.shard}</shard><replica>s{node.shard}r{node.replica}</replica></macros>"""
    return f"""<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>{node.root}/server.log</log><errorlog>{node.root}/error.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>{node.http}</http_port>
  <tcp_port>{node.tcp}</tcp_port>
  <interserver_http_port>{node.interserver}</interserver_http_port>
  <path>{node.root}/data/</path>
  <tmp_path>{node.root}/tmp/</tmp_path>
  <user_files_path>{node.root}/user_files/</user_files_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>536870912</mark_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <remote_servers><{CLUSTER}>{replicas}</{CLUSTER}></remote_servers>{replication}
</yandex>
"""


_USERS = """<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
"""


class Cluster:
    def __init__(self, root: Path, shards: int = 2, replicas: int = 1) -> None:
        if replicas == 1:
            self.nodes = [Node(root / f"node{i}") for i in range(shards)]
        else:
            self.nodes = [Node(root / f"node{s}-{r}", shard=s, replica=r)
                          for s in range(1, shards + 1) for r in range(1, replicas + 1)]
        self.zookeeper = zookeeper.ZooKeeper(root / "zookeeper") if replicas > 1 else None

    @property
    def replicated(self) -> bool:
        return self.zookeeper is not None

    def start(self) -> Cluster:
        zookeeper_port = self.zookeeper.start().port if self.zookeeper else None
        for node in self.nodes:
            node.root.mkdir(parents=True, exist_ok=True)
            (node.root / "config.xml").write_text(_config(node, self.nodes, zookeeper_port))
            (node.root / "users.xml").write_text(_USERS)
            node.proc = subprocess.Popen(
                [SERVER_BIN, f"--config-file={node.root / 'config.xml'}"],
                cwd=node.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        deadline = time.time() + 30
        for node in self.nodes:
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", node.tcp), timeout=0.5):
                        break
                except OSError:
                    if time.time() > deadline:
                        log = (node.root / "error.log").read_text() if (node.root / "error.log").exists() else ""
                        raise RuntimeError(f"clickhouse-server did not start: {log[-2000:]}") from None
                    time.sleep(0.1)
        return self

    def url(self, database: str = "mediastats", cluster: bool = True) -> str:
        first = self.nodes[0]
        if not cluster:
            return f"clickhouse://127.0.0.1:{first.tcp}/{database}?http={first.http}"
        if self.replicated:  # DDL runs ON CLUSTER from the entry node: no node list
            return f"clickhouse://127.0.0.1:{first.tcp}/{database}?cluster={CLUSTER}&replicated=1&http={first.http}"
        nodes = ",".join(f"127.0.0.1:{n.tcp}" for n in self.nodes)
        return f"clickhouse://127.0.0.1:{first.tcp}/{database}?cluster={CLUSTER}&nodes={nodes}&http={first.http}"

    def stop(self) -> None:
        running = [n.proc for n in self.nodes if n.proc and n.proc.poll() is None]
        for proc in running:  # all at once: a server may take seconds to shut down
            proc.terminate()
        for proc in running:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self.zookeeper:
            self.zookeeper.stop()
