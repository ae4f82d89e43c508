"""WMSPanel credentials: ``?client_id=<client_id>&api_key=<api_key>`` on every call.

A wrong or missing pair is ``403``, as the vendor answers "incorrect credentials". Admission
(API enabled, IP whitelist, one unit of the daily limit) follows, in ``surfaces/access.py``.
"""

from __future__ import annotations

from fastapi import Request

from mediastats.meta.accounts import Access
from mediastats.surfaces.access import admit, services_of
from mediastats.surfaces.errors import AccessError


def wms_access(request: Request) -> Access:
    """The caller's Access, admitted and counted against the account's daily limit."""
    params = request.query_params
    access = services_of(request).accounts.by_client(
        params.get("client_id", "").strip(), params.get("api_key", "").strip()
    )
    if access is None:
        raise AccessError(403, "incorrect credentials: pass client_id and api_key of your API setup")
    return admit(request, access)
