"""A local test origin: HLS files, the vendored hls.js and test pages on 127.0.0.1, and a CMCD
log shipper that forwards the ``CMCD`` data of each request to mediastats, as a CDN or origin
log pipeline would (one ``POST /v1/cmcd/{ingest_key}`` per logged request, with the viewer's
``User-Agent`` and ``X-Forwarded-For``).
"""

from __future__ import annotations

import mimetypes
import queue
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

VENDOR = Path(__file__).resolve().parent / "vendor"
TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t", ".js": "text/javascript",
         ".html": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class Logged:
    """One request the origin served, as its access log would have it."""

    path: str
    cmcd: str | None
    user_agent: str
    client_ip: str


@dataclass
class Shipper:
    """Forwards logged CMCD to ``{mediastats}/v1/cmcd/{ingest_key}`` from a worker thread."""

    mediastats_url: str
    ingest_key: str
    answers: list[int] = field(default_factory=list)
    _queue: queue.Queue[Logged | None] = field(default_factory=queue.Queue)

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True, name="cmcd-shipper").start()

    def put(self, line: Logged) -> None:
        self._queue.put(line)

    def drain(self) -> None:
        """Block until every line logged so far was forwarded."""
        self._queue.join()

    def close(self) -> None:
        self._queue.put(None)

    def _run(self) -> None:
        with httpx.Client(base_url=self.mediastats_url, timeout=30) as client:
            while (line := self._queue.get()) is not None:
                try:
                    r = client.post(f"/v1/cmcd/{self.ingest_key}", params={"CMCD": line.cmcd},
                                    headers={"User-Agent": line.user_agent, "X-Forwarded-For": line.client_ip})
                    self.answers.append(r.status_code)
                finally:
                    self._queue.task_done()
            self._queue.task_done()


class Origin:
    """``/media/…`` from ``media_root``, ``/vendor/…``, and pages added with :meth:`page`."""

    def __init__(self, media_root: Path, shipper: Shipper | None = None) -> None:
        self.media_root = media_root
        self.shipper = shipper
        self.pages: dict[str, str] = {}
        self.log: list[Logged] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def page(self, name: str, html: str) -> str:
        self.pages[f"/{name}"] = html
        return f"{self.url}/{name}"

    def start(self) -> Origin:
        if self.shipper:
            self.shipper.start()
        threading.Thread(target=self._httpd.serve_forever, daemon=True, name="test-origin").start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self.shipper:
            self.shipper.close()

    def media_requests(self) -> list[Logged]:
        return [line for line in self.log if line.path.startswith("/media/")]

    def _file(self, path: str) -> Path | None:
        for prefix, root in (("/media/", self.media_root), ("/vendor/", VENDOR)):
            if path.startswith(prefix):
                candidate = (root / path[len(prefix):]).resolve()
                if candidate.is_file() and candidate.is_relative_to(root.resolve()):
                    return candidate
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        origin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                cmcd = parse_qs(url.query).get("CMCD", [None])[0]
                line = Logged(url.path, cmcd, self.headers.get("User-Agent", ""), self.client_address[0])
                origin.log.append(line)
                if cmcd and origin.shipper:
                    origin.shipper.put(line)
                if url.path in origin.pages:
                    self._send(200, TYPES[".html"], origin.pages[url.path].encode())
                elif (found := origin._file(url.path)) is not None:
                    kind = TYPES.get(found.suffix) or mimetypes.guess_type(found.name)[0] or "application/octet-stream"
                    self._send(200, kind, found.read_bytes())
                else:
                    self._send(404, "text/plain", b"not found")

            def _send(self, status: int, kind: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the test keeps its own log

        return Handler
