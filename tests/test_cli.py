"""The ``mediastats`` command: every command's --help, and ``demo`` end to end in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from mediastats.cli import app
from tests.conftest import free_port

runner = CliRunner()
WIDE = {"COLUMNS": "200", "TERMINAL_WIDTH": "200", "NO_COLOR": "1"}

HELP = {
    ("serve",): ("--data-dir", "--host", "--port", "--fsync", "--surface", "MEDIASTATS_ADMIN_TOKEN"),
    ("demo",): ("--data-dir", "--host", "--port", "--days", "--live-viewers"),
    ("simulate",): ("--server", "--ingest-key", "--viewers", "--duration", "--seed", "--connections"),
    ("accounts", "create"): ("name", "--server", "--admin-token"),
    ("accounts", "list"): ("--server", "--admin-token"),
    ("accounts", "set"): ("--ip-whitelist", "--daily-api-limit", "--api-enabled"),
    ("keys", "create"): ("account_id", "--data-slice", "--name"),
    ("keys", "rotate"): ("account_id", "--server"),
}


@pytest.mark.parametrize("command", list(HELP), ids=" ".join)
def test_help_of_every_command_mentions_its_options(command: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*command, "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    missing = [option for option in HELP[command] if option not in result.output]
    assert not missing, result.output


def test_top_level_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"], env=WIDE)
    assert result.exit_code == 0
    for name in ("serve", "demo", "simulate", "accounts", "keys"):
        assert name in result.output


def test_simulate_refuses_a_bad_duration_and_a_missing_key() -> None:
    result = runner.invoke(app, ["simulate", "--ingest-key", "k", "--duration", "ten minutes"], env=WIDE)
    assert result.exit_code == 2 and "duration" in result.output
    env = {**WIDE, "MEDIASTATS_INGEST_KEY": ""}
    result = runner.invoke(app, ["simulate", "--duration", "1m"], env=env)
    assert result.exit_code == 2 and "ingest-key" in result.output


class Demo:
    """``mediastats demo`` in a subprocess, output to a file, stopped with SIGTERM."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != "MEDIASTATS_ADMIN_TOKEN"}
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mediastats", "demo", "--data-dir", str(data_dir), "--port", str(self.port),
             "--days", "1", "--live-viewers", "5"],
            env={**env, **WIDE}, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"demo exited with {self.proc.returncode}:\n{self.log.read_text()}")
            try:
                if httpx.get(self.url + "/openapi.json", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        self.stop()
        raise AssertionError(f"demo did not answer in {timeout} s:\n{self.log.read_text()}")

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.log.read_text()


def views(url: str, api_key: str) -> int:
    r = httpx.post(url + "/v1/query", headers={"Authorization": f"Bearer {api_key}"},
                   json={"metrics": ["views"], "since": "3d"}, timeout=60)
    assert r.status_code == 200, r.text
    return int(r.json()["results"][0]["views"])


def test_demo_creates_the_account_prints_the_curls_and_reuses_them(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo-data"
    first = Demo(data_dir, tmp_path / "first.log")
    try:
        first.wait_ready()
        state: dict[str, Any] = json.loads((data_dir / "demo.json").read_text())
        account, user = state["account"], state["user_key"]
        views_first = views(first.url, account["api_key"])
        assert views_first > 500  # a day of history went through ingest
    finally:
        out = first.stop()
    assert account["name"] == "Demo Streaming Co"
    assert set(state["slices"]) == {"full", "europe", "sport"} and user["data_slices"] == [state["slices"]["sport"]]
    for secret in (state["admin_token"], account["ingest_key"], account["client_id"], account["api_key"],
                   user["client_id"], user["api_key"]):
        assert secret and secret in out
    curls = [line for line in out.splitlines() if line.startswith("curl ")]
    expected = [f"{first.url}/v1/query", f"{first.url}/wmspanel/v1/players_stats?client_id={account['client_id']}",
                f"{first.url}/system73/summary?time=24h", f"{first.url}/amagi/api/v2?type=viewershipAnalytics",
                f"{first.url}/streamroot/v3/customers/{account['id']}/dna/data/audience"]
    for fragment in expected:
        assert any(fragment in line for line in curls), (fragment, curls)
    assert f"{first.url}/" in out
    assert "Authorization: API-Key " + account["api_key"] in out and "x-access-token: " + account["api_key"] in out

    # A second start reuses the account and its keys, and backfills only the gap.
    second = Demo(data_dir, tmp_path / "second.log")
    try:
        second.wait_ready()
        again = json.loads((data_dir / "demo.json").read_text())
        assert again["account"] == account and again["admin_token"] == state["admin_token"]
        admin = httpx.get(second.url + "/admin/v1/accounts", timeout=30,
                          headers={"Authorization": f"Bearer {state['admin_token']}"})
        assert admin.status_code == 200 and [a["id"] for a in admin.json()] == [account["id"]]
        views_second = views(second.url, account["api_key"])
        assert views_first <= views_second < views_first * 1.2  # not doubled: only live viewers and the gap
    finally:
        out = second.stop()
    assert account["api_key"] in out
