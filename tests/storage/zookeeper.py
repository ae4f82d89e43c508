"""A standalone ZooKeeper on loopback, from Debian's ``zookeeper`` package (3.8, Java 17).

What a replicated ClickHouse cluster needs (``tests/storage/cluster.py``, ``replicas=2``): the
replication log of every ``Replicated*MergeTree`` table and the ``ON CLUSTER`` DDL queue. One
``ZooKeeperServerMain`` process with its own data dir and client port; the admin HTTP server is
off (it would take port 8080).
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

JAVA = shutil.which("java") or "/usr/bin/java"
# Debian's start-up script reads the class path from here.
ENVIRONMENT = Path("/etc/zookeeper/conf/environment")
JAR = Path("/usr/share/java/zookeeper.jar")
# An SLF4J binding that logs to stderr (else ZooKeeper logs nothing), when installed.
LOGGER = (Path("/usr/share/java/slf4j-simple.jar"),)


def available() -> bool:
    return JAR.exists() and ENVIRONMENT.exists() and Path(JAVA).exists()


def _classpath() -> str:
    text = ENVIRONMENT.read_text()
    found = re.search(r"^CLASSPATH=\"?([^\"\n]*)\"?", text, re.M)
    assert found, f"no CLASSPATH in {ENVIRONMENT}"
    # The file builds the class path from its own variables ($ZOOCFGDIR, …); the jars are enough.
    jars = [part for part in found.group(1).split(":") if part.endswith(".jar")]
    return ":".join([*jars, *(str(p) for p in LOGGER if p.exists())])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ZooKeeper:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> ZooKeeper:
        (self.root / "data").mkdir(parents=True, exist_ok=True)
        config = self.root / "zoo.cfg"
        config.write_text(
            f"tickTime=500\ninitLimit=10\nsyncLimit=5\ndataDir={self.root / 'data'}\n"
            f"clientPort={self.port}\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n"
            "4lw.commands.whitelist=srvr\nmaxSessionTimeout=30000\n"
        )
        log = (self.root / "zookeeper.log").open("wb")
        self.proc = subprocess.Popen(
            [JAVA, "-Xmx256m", "-cp", _classpath(), "-Dzookeeper.log.dir=" + str(self.root),
             "org.apache.zookeeper.server.ZooKeeperServerMain", str(config)],
            cwd=self.root, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.time() + 30
        while not self._ok():
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                text = (self.root / "zookeeper.log").read_text(errors="replace")
                raise RuntimeError(f"zookeeper did not start: {text[-2000:]}")
            time.sleep(0.1)
        return self

    def _ok(self) -> bool:
        """Serving requests: ``ruok`` answers before that, and a ClickHouse 18.16 server that
        meets a ZooKeeper not serving yet keeps a broken session (its queries then crash it)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"srvr")
                answer = b""
                while chunk := s.recv(4096):
                    answer += chunk
                return b"Mode: standalone" in answer
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
