"""System73 fixtures: the hand-countable dataset loaded into a fresh account at a pinned now."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import Account, Clock
from tests.surfaces.system73.dataset import EVENTS, NOW


@pytest.fixture
def loaded(make_account: Callable[..., Account], clock: Clock) -> Account:
    """A fresh account holding the dataset, with the clock pinned to NOW."""
    clock.set(NOW)
    account = make_account("system73 dataset")
    account.send(EVENTS)
    return account


@pytest.fixture
def s73(loaded: Account) -> Iterator[httpx.Client]:
    """An HTTP client presenting the dataset account's key the System73 way."""
    with loaded.server.client(headers={"Authorization": loaded.api_key}) as client:
        yield client
