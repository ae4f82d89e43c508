"""A real 2-shard ClickHouse cluster on loopback, from Debian's clickhouse-server (CLUSTER.md).

Each node is its own ``clickhouse-server`` process with its own paths and ports and the same
``<remote_servers>`` block. Used by the storage-contract tests when the binary is installed.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

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


def _config(node: Node, shards: list[Node]) -> str:
    replicas = "".join(
        f"<shard><replica><host>127.0.0.1</host><port>{n.tcp}</port></replica></shard>" for n in shards
    )
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
  <remote_servers><{CLUSTER}>{replicas}</{CLUSTER}></remote_servers>
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
    def __init__(self, root: Path, shards: int = 2) -> None:
        self.nodes = [Node(root / f"node{i}") for i in range(shards)]

    def start(self) -> Cluster:
        for node in self.nodes:
            node.root.mkdir(parents=True, exist_ok=True)
            (node.root / "config.xml").write_text(_config(node, self.nodes))
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
        nodes = ",".join(f"127.0.0.1:{n.tcp}" for n in self.nodes)
        return f"clickhouse://127.0.0.1:{first.tcp}/{database}?cluster={CLUSTER}&nodes={nodes}&http={first.http}"

    def stop(self) -> None:
        for node in self.nodes:
            if node.proc and node.proc.poll() is None:
                node.proc.terminate()
                try:
                    node.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    node.proc.kill()
