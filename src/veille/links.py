"""Links to the outside world: only absolute http(s) URLs are ever turned into a link.

A post's link comes from strangers (a news feed's <link>, a network's payload): a
``javascript:`` or ``data:`` URL rendered as ``href`` would run in the user's session, or in a
mail client. Templates pass every such URL through :func:`external_url`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

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
