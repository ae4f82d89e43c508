"""Fixtures of the reliability tests: two tenants with data on the shared test server."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import ADMIN_TOKEN, Server
from tests.reliability.tenants import Tenant, make_tenant


@pytest.fixture(scope="module")
def tenants(server: Server) -> tuple[Tenant, Tenant]:
    tag = uuid.uuid4().hex[:6]
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    return make_tenant(server.url, admin, f"a{tag}"), make_tenant(server.url, admin, f"b{tag}")
