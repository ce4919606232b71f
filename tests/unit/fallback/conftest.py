"""Every engine test runs twice: through the sync twin and through the async twin."""

from __future__ import annotations

import pytest

from ._fakes import Driver, FakeClock


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["sync", "async"])
def driver(request: pytest.FixtureRequest) -> Driver:
    return Driver(str(request.param))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
