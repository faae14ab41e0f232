"""Which addresses Veille may call on a user's word (the reply assistant, webhooks, feeds).

A URL typed in a settings page must not turn the server into a way to reach what only it
can reach (the machine itself, the office network, a cloud's metadata service): only http(s),
and no loopback, private, link-local or otherwise reserved address unless the instance says
so (``VEILLE_ALLOW_PRIVATE_URLS``, for a self-hosted assistant or a local test server).
A host name is resolved and every address it gives is checked.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from veille.translations import N_, Refusal


class RefusedAddress(Refusal):
    """A URL Veille will not call; the message says why, and never carries a query string."""


def _refused_ip(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    # is_global also catches what is neither private nor public (100.64.0.0/10, shared by
    # carriers; 192.0.0.0/24 ...).
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []  # unknown host: the request itself will fail and say so
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_url(url: str, *, allow_private: bool) -> str:
    """``url`` if Veille may call it; RefusedAddress naming the reason otherwise."""
    parts = urlsplit(url.strip())
    shown = f"{parts.scheme}://{parts.hostname or ''}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedAddress(
            N_("%(address)r: only http:// and https:// addresses are allowed"),
            address=shown,
        )
    if parts.username or parts.password:
        raise RefusedAddress(
            N_("%(address)r: an address must not carry a login (name:password@)"), address=shown
        )
    if allow_private:
        return url.strip()
    for address in _addresses(parts.hostname):
        if _refused_ip(address):
            raise RefusedAddress(
                N_(
                    "%(address)r: %(ip)s is a private or local address "
                    "(set VEILLE_ALLOW_PRIVATE_URLS=true to allow it)"
                ),
                address=shown,
                ip=str(address),
            )
    return url.strip()
