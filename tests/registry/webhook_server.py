"""A real local HTTP endpoint for the webhook tests: it answers 500 while it is told to fail
(the first ``fail_first`` requests, or every one while ``failing``), else 204, and keeps what
it was sent. Told to ``redirect``, it answers 302 (a redirect followed would GET)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Endpoint:
    fail_first: int = 0
    failing: bool = False
    redirect: bool = False
    requests: int = 0
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""

    def answer(self, headers: dict[str, str], body: bytes) -> int:
        self.requests += 1
        if self.redirect:
            return 302
        if self.failing or self.requests <= self.fail_first:
            return 500
        self.received.append((headers, body))
        return 204


def _handler(endpoint: Endpoint) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # where a followed redirect would land
            endpoint.received.append((dict(self.headers.items()), b"GET"))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = endpoint.answer(dict(self.headers.items()), body)
            self.send_response(status)
            if status == 302:
                self.send_header("Location", endpoint.url + "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return None

    return Handler


@contextmanager
def serving(endpoint: Endpoint) -> Iterator[Endpoint]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(endpoint))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
