"""Posts for rule tests, built through the real Post JSON parser."""

from __future__ import annotations

from typing import Any

from veille.posts import Post, parse_post


def make_post(text: str = "", **fields: Any) -> Post:
    author = {"id": "1", "username": "marie_angers"}
    author.update(fields.pop("author", {}))
    data: dict[str, Any] = {
        "id": fields.pop("id", "100"),
        "network": "x",
        "created_at": "2025-03-04T09:30:00Z",
        "text": text,
        "lang": "fr",
        "author": author,
    }
    data.update(fields)
    return parse_post(data)
