"""How Mastodon counts a status: what the composer and the guard measure."""

from __future__ import annotations

import re

from veille.sources.post_length import grapheme_count, replace_urls

URL_WEIGHT = 23
MAX_LENGTH = 500  # the default; an instance may allow more
_REMOTE_MENTION = re.compile(r"(?<![\w@])(@\w+)@[\w.-]+\w")


def mastodon_length(text: str) -> int:
    """Mastodon counts URLs as 23 and a remote mention @user@host as @user only."""
    rest, url_weight = replace_urls(text, URL_WEIGHT)
    rest = _REMOTE_MENTION.sub(r"\1", rest)
    return url_weight + grapheme_count(rest)
