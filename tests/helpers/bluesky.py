"""Bluesky for the tests: a Jetstream commit event, and a PDS speaking XRPC on 127.0.0.1."""

from __future__ import annotations

from typing import Any

from tests.sources.servers import Request, Response


def post_event(n: int) -> dict[str, Any]:
    return {
        "did": "did:plc:claireangers4k2x",
        "time_us": 1772442000000000 + n * 1_000_000,
        "kind": "commit",
        "commit": {
            "rev": f"3lhx2kq{n:06d}",
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": f"3lhx{n:09d}",
            "cid": f"bafyrei{n}",
            "record": {
                "$type": "app.bsky.feed.post",
                "text": f"Avis peintre Angers {n}",
                "langs": ["fr"],
                "createdAt": "2026-03-02T09:00:00Z",
            },
        },
    }


class Pds:
    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        self.create_calls = 0
        self.slow_first_create = False

    def __call__(self, req: Request) -> Response:
        auth = req.headers.get("authorization", "")
        nsid = req.path.removeprefix("/xrpc/")
        if nsid == "com.atproto.server.createSession":
            body = req.json()
            if body != {"identifier": "martin.bsky.social", "password": "abcd-efgh-ijkl-mnop"}:
                return Response(
                    401,
                    {
                        "error": "AuthenticationRequired",
                        "message": "Invalid identifier or password",
                    },
                )
            return Response(
                body={
                    "did": "did:plc:martin",
                    "handle": "martin.bsky.social",
                    "accessJwt": "acc-1-secret",
                    "refreshJwt": "ref-1-secret",
                }
            )
        if nsid == "com.atproto.server.refreshSession":
            assert auth == "Bearer ref-1-secret"
            return Response(
                body={
                    "did": "did:plc:martin",
                    "handle": "martin.bsky.social",
                    "accessJwt": "acc-2-secret",
                    "refreshJwt": "ref-2-secret",
                }
            )
        if auth == "Bearer acc-1-secret":
            return Response(400, {"error": "ExpiredToken", "message": "Token has expired"})
        if auth != "Bearer acc-2-secret":
            return Response(
                401, {"error": "AuthenticationRequired", "message": "Authentication Required"}
            )
        if nsid == "app.bsky.feed.searchPosts":
            record = post_event(1)["commit"]["record"]
            view = {
                "uri": "at://did:plc:claireangers4k2x/app.bsky.feed.post/3lhx000000001",
                "cid": "bafyrei1",
                "author": {
                    "did": "did:plc:claireangers4k2x",
                    "handle": "claire.bsky.social",
                    "displayName": "Claire",
                },
                "record": record,
                "replyCount": 1,
                "repostCount": 2,
                "likeCount": 7,
                "quoteCount": 0,
                "indexedAt": "2026-03-02T09:00:01Z",
            }
            return Response(
                body={"posts": [view, {"uri": "at://x/broken"}], "cursor": "25", "hitsTotal": 2}
            )
        if nsid == "com.atproto.identity.resolveHandle":
            if req.arg("handle") == "martinpeinture.fr":
                return Response(body={"did": "did:plc:martinpeint7q3z"})
            return Response(400, {"error": "InvalidRequest", "message": "Unable to resolve handle"})
        if nsid == "com.atproto.repo.createRecord":
            self.create_calls += 1
            body = req.json()
            if body["rkey"] in self.records:
                return Response(
                    400, {"error": "InvalidRequest", "message": "Record already exists"}
                )
            uri = f"at://{body['repo']}/{body['collection']}/{body['rkey']}"
            self.records[body["rkey"]] = {"uri": uri, "cid": "bafyreinew", "value": body["record"]}
            delay = 0.6 if self.slow_first_create and self.create_calls == 1 else 0.0
            return Response(body={"uri": uri, "cid": "bafyreinew"}, delay=delay)
        if nsid == "com.atproto.repo.getRecord":
            record = self.records.get(req.arg("rkey") or "")
            if record is None:
                return Response(
                    400, {"error": "RecordNotFound", "message": "Could not locate record"}
                )
            return Response(body=record)
        return Response(404, {"error": "MethodNotImplemented"})
