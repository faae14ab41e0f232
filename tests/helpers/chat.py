"""An OpenAI-compatible chat-completions endpoint for tests/sources/servers.http_server: it
answers `content` to whoever sends `key`, and keeps each request's JSON body."""

from __future__ import annotations

from typing import Any

from tests.sources.servers import Handler, Request, Response


def chat_completions(content: str, key: str) -> tuple[Handler, list[dict[str, Any]]]:
    """The handler, and the list it appends each accepted request's body to."""
    seen: list[dict[str, Any]] = []

    def app(req: Request) -> Response:
        if req.path != "/v1/chat/completions" or req.method != "POST":
            return Response(404, {"error": {"message": "not found"}})
        if req.headers.get("authorization") != f"Bearer {key}":
            return Response(401, {"error": {"message": "bad key"}})
        seen.append(req.json())
        return Response(
            body={
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
            }
        )

    return app, seen
