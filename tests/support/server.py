"""A real HTTP/1.1 server on 127.0.0.1 in a thread, driven by a plain Python handler.

Tests describe each answer as a `Reply`; the server records every `Request` it saw so tests can
assert on headers and bodies. Knobs cover the faults clients meet for real: a status with any
body, a delay before the headers, a streamed body sent chunk by chunk, and a connection cut
mid-body.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    client: str = ""
    """The client's "host:port": one per connection, so tests can count connections."""

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before sending the status line."""
    chunk_delay: float = 0.0
    """Seconds to wait between streamed chunks."""
    cut_after: int | None = None
    """Close the socket abruptly after this many streamed chunks."""

    @classmethod
    def json(cls, payload: Any, status: int = 200, **kwargs: Any) -> Reply:
        headers = {"content-type": "application/json", **kwargs.pop("headers", {})}
        return cls(status=status, body=json.dumps(payload).encode(), headers=headers, **kwargs)

    @classmethod
    def sse(cls, events: Iterable[Any], *, done: bool = False, **kwargs: Any) -> Reply:
        """A text/event-stream body: one `data:` event per item (dicts become JSON)."""

        def chunks() -> Iterator[bytes]:
            for event in events:
                data = event if isinstance(event, str) else json.dumps(event)
                yield f"data: {data}\n\n".encode()
            if done:
                yield b"data: [DONE]\n\n"

        headers = {"content-type": "text/event-stream", **kwargs.pop("headers", {})}
        return cls(body=chunks(), headers=headers, **kwargs)


Handler = Callable[[Request], Reply]


class LoopbackServer:
    """`with LoopbackServer(handler) as server: httpx.get(server.url + "/path")`."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Without TCP_NODELAY every small reply waits ~40 ms on Nagle + delayed ACK,
            # which would swamp the router-overhead figures the benches print.
            disable_nagle_algorithm = True

            def handle_one_request(self) -> None:
                # A client that gave up (timeout tests) is expected here, not worth a traceback.
                try:
                    super().handle_one_request()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                request = Request(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                    client="%s:%s" % self.client_address[:2],
                )
                with outer._lock:
                    outer.requests.append(request)
                reply = outer.handler(request)
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if isinstance(reply.body, bytes):
                    self.send_header("content-length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                    return
                self.send_header("transfer-encoding", "chunked")
                self.end_headers()
                for index, chunk in enumerate(reply.body):
                    if reply.cut_after is not None and index >= reply.cut_after:
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    if reply.chunk_delay and index:
                        time.sleep(reply.chunk_delay)
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
