"""``--update-snapshots`` rewrites tests/sql/snapshots/*.sql from the planner's current output.

Give the option with this directory on the command line (``pytest tests/sql --update-snapshots``):
pytest reads it from conftest files it loads at start-up. ``MEDIASTATS_UPDATE_SNAPSHOTS=1`` does
the same from anywhere.
"""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true", default=False,
                     help="rewrite the expected-SQL snapshots in tests/sql/snapshots")


@pytest.fixture
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots", default=False)) or (
        os.environ.get("MEDIASTATS_UPDATE_SNAPSHOTS") == "1"
    )
