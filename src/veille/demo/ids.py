"""Post and author ids in each network's own style, derived from the post time so they sort."""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import datetime

_X_EPOCH_MS = 1_288_834_974_657  # X snowflake epoch (2010-11-04)
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"  # atproto's sortable base32
_DID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def x_post_id(moment: datetime, sequence: int, worker: int) -> str:
    """Snowflake: 41 bits of ms since the X epoch, 10 bits of worker, 12 bits of sequence."""
    return str(((_ms(moment) - _X_EPOCH_MS) << 22) | ((worker & 0x3FF) << 12) | (sequence & 0xFFF))


def mastodon_post_id(moment: datetime, sequence: int) -> str:
    """Mastodon ids: ms since the Unix epoch shifted left 16 bits, plus a sequence."""
    return str((_ms(moment) << 16) | (sequence & 0xFFFF))


def bluesky_rkey(moment: datetime, clock_id: int) -> str:
    """An atproto TID: 53 bits of microseconds and 10 bits of clock id in sortable base32."""
    value = (int(moment.timestamp() * 1_000_000) << 10) | (clock_id & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(_TID_ALPHABET[value & 0x1F])
        value >>= 5
    return "".join(reversed(chars))


def bluesky_post_uri(did: str, rkey: str) -> str:
    return f"at://{did}/app.bsky.feed.post/{rkey}"


def bluesky_did(rng: random.Random) -> str:
    return "did:plc:" + "".join(rng.choice(_DID_ALPHABET) for _ in range(24))


def numeric_user_id(rng: random.Random, digits_low: int, digits_high: int) -> str:
    digits = rng.randint(digits_low, digits_high)
    return str(rng.randint(10 ** (digits - 1), 10**digits - 1))


def slugify(title: str, limit: int = 60) -> str:
    """Newspaper-style URL slug: ascii, lower case, hyphens, cut on a word boundary."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def news_url(domain: str, section: str, moment: datetime, title: str, number: int) -> str:
    """An article URL; it is also the news post's id, so it stays under 128 characters."""
    return f"https://www.{domain}/{section}/{moment:%Y/%m/%d}/{slugify(title)}-{number}"
