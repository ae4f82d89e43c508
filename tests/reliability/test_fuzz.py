"""A small seeded subset of the fuzzing run (``make fuzz`` runs at least 10,000 cases)."""

from __future__ import annotations

import os

from tests.conftest import Server
from tests.reliability.fuzz import fuzz
from tests.reliability.tenants import Tenant


def test_fuzzed_requests_get_no_5xx_and_errors_in_their_shape(server: Server, tenants: tuple[Tenant, Tenant]) -> None:
    examples = int(os.environ.get("MEDIASTATS_FUZZ_EXAMPLES", "4"))
    figures = fuzz(server.url, tenants[0], examples=examples, seed=2026)
    assert figures.cases >= 114, figures
    assert not figures.server_errors, "\n".join(figures.server_errors[:20])
    assert not figures.shape_errors, "\n".join(figures.shape_errors[:20])
