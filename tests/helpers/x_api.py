"""An X API v2 on 127.0.0.1: posts created, and the timeline a retry looks them up in."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from tests.sources.servers import Request, Response


@dataclass
class XApi:
    """POST /2/tweets, GET /2/users/me and GET /2/users/:id/tweets, newest first."""

    tweets: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: Request) -> Response:
        if request.headers.get("authorization") != "Bearer x-user-token":
            return Response(401, {"title": "Unauthorized", "detail": "bad token"})
        if request.method == "GET" and request.path == "/2/users/me":
            return Response(200, {"data": {"id": "4242", "username": "PeinturesMartin"}})
        if request.method == "GET" and request.path == "/2/users/4242/tweets":
            return Response(200, {"data": list(reversed(self.tweets))[:5]})
        if request.method == "POST" and request.path == "/2/tweets":
            with self.lock:
                tweet = {"id": str(1_900_000_000_000 + len(self.tweets)), **request.json()}
                self.tweets.append(tweet)
            return Response(201, {"data": {"id": tweet["id"], "text": tweet["text"]}})
        return Response(404, {"title": "Not Found"})
