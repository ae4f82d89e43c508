"""A throwaway PostgreSQL server on loopback (Debian's PostgreSQL, run as the postgres user)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from tests.conftest import free_port

BIN = Path("/usr/lib/postgresql/15/bin")


def available() -> bool:
    return (BIN / "initdb").exists() and shutil.which("runuser") is not None


class Postgres:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()

    def _as_postgres(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True, timeout=120)

    def start(self) -> Postgres:
        self.root.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.root, "postgres", "postgres")
        self.root.parent.chmod(0o755)
        data = self.root / "data"
        done = self._as_postgres(str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
        assert done.returncode == 0, done.stderr
        done = self._as_postgres(
            str(BIN / "pg_ctl"), "-D", str(data), "-l", str(self.root / "log"), "-w", "-o",
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1", "start",
        )
        assert done.returncode == 0, done.stderr + (self.root / "log").read_text()
        deadline = time.time() + 30
        while self._as_postgres(str(BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)).returncode:
            assert time.time() < deadline, "postgres did not start"
            time.sleep(0.2)
        return self

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        self._as_postgres(str(BIN / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "stop")
