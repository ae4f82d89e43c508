"""Every reference test runs twice: with the rollups on (the planner reads them where
they answer exactly) and off (raw events only). Both must match the model, which is what makes
rollup and raw answers identical (issue 12)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import Server


@pytest.fixture(autouse=True, params=[True, False], ids=["rollups_on", "rollups_off"])
def rollups(request: pytest.FixtureRequest, server: Server) -> Iterator[bool]:
    storage = server.services.storage
    before = storage.rollups
    storage.rollups = request.param
    try:
        yield request.param
    finally:
        storage.rollups = before
