"""Links to the outside world: only absolute http(s) URLs are ever turned into a link.

A post's link comes from strangers (a news feed's <link>, a network's payload): a
``javascript:`` or ``data:`` URL rendered as ``href`` would run in the user's session, or in a
mail client. Templates pass every such URL through :func:`external_url`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from veille.sources import registry
from veille.store.queries import PostView

SCHEMES = ("http", "https")


def external_url(value: object) -> str:
    """The URL when it is an absolute http(s) link with a host, else an empty string."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    # Browsers drop tabs and newlines inside a scheme ("java\tscript:"): refuse any control
    # character or space rather than guess how a client will read it.
    if not url or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        return ""
    return url


def post_link(*, network: str, username: str, post_id: str, payload: Mapping[str, Any]) -> str:
    """The post on its network (its own ``url`` when it has one), else an empty string."""
    own = external_url(payload.get("url"))
    if own:
        return own
    found = registry.find(network)
    if found is None or found.post_link is None:
        return ""
    return external_url(found.post_link(username, post_id, payload))


def view_link(view: PostView) -> str:
    """`post_link` of a stored post, for templates (``post | post_link``)."""
    return post_link(
        network=view.network,
        username=view.username,
        post_id=view.network_post_id,
        payload=view.payload,
    )
