"""An HTTP CONNECT proxy on 127.0.0.1 that is also the HTTPS server behind the tunnel.

It lets a test send a request to a real `https://` URL of any host name, exactly as written in
user code or the README, without DNS or the internet: the client is told to use this proxy
(`httpx.Client(proxy=..., verify=...)`), the proxy accepts the CONNECT, completes TLS with a
certificate for that host (issued by a throwaway `trustme` CA the client trusts) and answers
the one request the client then sends. Each request is recorded.
"""

from __future__ import annotations

import json
import socketserver
import ssl
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, cast

import trustme


@dataclass(frozen=True)
class TunnelledRequest:
    """One request as the origin server saw it, inside the tunnel to `host`."""

    host: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class _State:
    server_context: ssl.SSLContext
    answer: bytes
    requests: list[TunnelledRequest] = field(default_factory=list)


def _read_head(stream: Any) -> tuple[str, dict[str, str]]:
    line = stream.readline(65537).decode("latin-1").rstrip("\r\n")
    headers: dict[str, str] = {}
    while True:
        header = stream.readline(65537).decode("latin-1").rstrip("\r\n")
        if not header:
            return line, headers
        name, _, value = header.partition(":")
        headers[name.strip().lower()] = value.strip()


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        state = cast(_Server, self.server).state
        line, _ = _read_head(self.rfile)
        method, target, _ = line.split(" ", 2)
        if method != "CONNECT":
            self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
            return
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        with state.server_context.wrap_socket(self.request, server_side=True) as tls:
            stream = tls.makefile("rb")
            request_line, headers = _read_head(stream)
            verb, path, _ = request_line.split(" ", 2)
            body = stream.read(int(headers.get("content-length", "0")))
            state.requests.append(
                TunnelledRequest(target.rpartition(":")[0], verb, path, headers, body)
            )
            tls.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n"
                + f"content-length: {len(state.answer)}\r\n\r\n".encode()
                + state.answer
            )


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    state: _State


class TlsTunnelProxy:
    """`with TlsTunnelProxy(["llm.acme.internal"], answer) as proxy:` then pass
    `proxy=proxy.url, verify=proxy.client_context()` to an httpx client."""

    def __init__(self, hosts: list[str], answer: Any) -> None:
        self._ca = trustme.CA()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._ca.issue_cert(*hosts).configure_cert(context)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = _State(context, json.dumps(answer).encode())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[TunnelledRequest]:
        return self._server.state.requests

    def client_context(self) -> ssl.SSLContext:
        """An SSL context trusting only the proxy's throwaway CA."""
        context = ssl.create_default_context()
        self._ca.configure_trust(context)
        return context

    def __enter__(self) -> TlsTunnelProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
