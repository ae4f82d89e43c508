"""A real local HTTP receiver for push tests: records every POST, answers from a script."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    raw: bytes

    @property
    def body(self) -> Any:
        return json.loads(self.raw)


class Receiver:
    """``statuses`` are answered in order, then ``default``; a status may be a (code, headers) pair."""

    def __init__(self, statuses: list[Any] | None = None, default: int = 200, port: int = 0,
                 delay_s: float = 0.0) -> None:
        self.statuses = list(statuses or [])
        self.delay_s = delay_s
        self.default = default
        self.received: list[Received] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                with owner._lock:
                    owner.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, raw))
                    answer = owner.statuses.pop(0) if owner.statuses else owner.default
                code, extra = answer if isinstance(answer, tuple) else (answer, {})
                if owner.delay_s:
                    time.sleep(owner.delay_s)
                self.send_response(code)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self._lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.05)
        with self._lock:
            raise AssertionError(f"expected {count} requests, got {len(self.received)}: {self.received}")

    def settle(self, seconds: float = 1.0) -> list[Received]:
        """Wait ``seconds`` and return everything received (to check nothing more arrives)."""
        time.sleep(seconds)
        with self._lock:
            return list(self.received)

    def __iter__(self) -> Iterator[Received]:
        return iter(list(self.received))
