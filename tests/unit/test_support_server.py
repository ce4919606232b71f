"""The loopback server the integration tests stand on must itself behave."""

from __future__ import annotations

import httpx
import pytest

from tests.support.server import LoopbackServer, Reply


def test_records_requests_and_serves_json() -> None:
    with LoopbackServer(lambda r: Reply.json({"path": r.path})) as server:
        response = httpx.post(server.url + "/x", json={"a": 1}, headers={"X-Test": "1"})
    assert response.json() == {"path": "/x"}
    assert server.requests[0].json() == {"a": 1}
    assert server.requests[0].headers["x-test"] == "1"


def test_streams_sse_and_cuts_connection() -> None:
    with LoopbackServer(lambda r: Reply.sse([{"n": 1}, {"n": 2}], done=True)) as server:
        text = httpx.get(server.url).text
        assert text.count("data:") == 3
    with LoopbackServer(lambda r: Reply.sse([{"n": 1}, {"n": 2}], cut_after=1)) as server:
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(server.url).read()
