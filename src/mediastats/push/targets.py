"""Which receiver URLs the server may POST to (the SSRF guard).

A URL must be ``http`` or ``https`` with a host. Unless the operator allows private targets
(``MEDIASTATS_PUSH_ALLOW_PRIVATE=1``), every address the host resolves to must be public:
loopback, private, link-local, carrier-grade NAT, multicast, reserved and unspecified addresses
are refused. The check runs when a subscription is created and again before every attempt (a
name may resolve elsewhere later). Redirects are never followed, so a public receiver cannot
bounce a request inward.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

_CGNAT = ipaddress.ip_network("100.64.0.0/10")


class TargetRefused(Exception):
    """The URL may not be sent to; the message says why."""


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return False
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def parsed_host(url: str) -> tuple[str, int]:
    """(host, port) of an http(s) URL; raises TargetRefused for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused(f"{url!r} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("the URL must be http:// or https:// with a host")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise TargetRefused(f"host {host!r} does not resolve ({exc.strerror or exc})") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_target(url: str, allow_private: bool) -> None:
    """Raise TargetRefused unless ``url`` may be posted to."""
    host, port = parsed_host(url)
    if allow_private:
        return
    for address in _resolve(host, port):
        if not _is_public(address):
            raise TargetRefused(
                f"{host} resolves to {address}, a private, loopback or link-local address; "
                "the operator can allow such targets with MEDIASTATS_PUSH_ALLOW_PRIVATE=1"
            )


async def check_target_async(url: str, allow_private: bool) -> None:
    await asyncio.to_thread(check_target, url, allow_private)
