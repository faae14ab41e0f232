"""Post JSON builders for tests (the documented shape, with our own contents)."""

from __future__ import annotations

from typing import Any


def post_json(
    post_id: str,
    text: str,
    *,
    network: str = "x",
    username: str = "claire_angers",
    created_at: str = "2026-11-20T09:30:00Z",
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": post_id,
        "network": network,
        "created_at": created_at,
        "text": text,
        "lang": "fr",
        "author": {
            "id": f"u-{username}",
            "username": username,
            "name": username.replace("_", " ").title(),
            "followers_count": 120,
            "verified": False,
            "description": "Angevine, maison des années 30 en travaux",
            "location": "Angers",
        },
        "metrics": {"likes": 2, "reposts": 0, "replies": 1},
    }
    data.update(extra)
    return data
