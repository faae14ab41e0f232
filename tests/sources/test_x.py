"""X API v2 against a local server speaking its protocol (JSON REST and chunked streaming)."""

from __future__ import annotations

import json
import logging
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from veille.posts import Post
from veille.sources.base import Backoff, HttpGateway, MemoryTokenStore, ParseProblem, RateLimited
from veille.sources.x.client import (
    XClient,
    XFilteredStream,
    XUserAuth,
    authorization_url,
    estimate_post_cost,
)
from veille.sources.x.rules import translate_rule

from .servers import FakeClock, Request, Response, http_server, wait_until

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "x/search_recent.json").read_text())
BEARER = "AAAAbearer-app-token-very-secret"


def stream_line(tweet: dict[str, Any]) -> bytes:
    message = {
        "data": tweet,
        "includes": FIXTURE["includes"],
        "matching_rules": [{"id": "7", "tag": "marque"}],
    }
    return json.dumps(message).encode() + b"\r\n"


def tweet(n: int) -> dict[str, Any]:
    return {
        **FIXTURE["data"][1],
        "id": f"19000000000000000{n:02d}",
        "text": f"avis peintre Angers n°{n}",
    }


def test_recent_search_pages_from_since_id() -> None:
    def app(req: Request) -> Response:
        assert req.headers["authorization"] == f"Bearer {BEARER}"
        if req.arg("next_token") is None:
            page = {
                **FIXTURE,
                "data": FIXTURE["data"][:2],
                "meta": {"newest_id": "1880000000000000004", "next_token": "p2"},
            }
        else:
            page = {
                **FIXTURE,
                "data": FIXTURE["data"][2:],
                "meta": {"oldest_id": "1880000000000000002"},
            }
        return Response(body=page)

    with http_server(app) as server:
        client = XClient(bearer_token=BEARER, api_url=server.url)
        posts, newest = client.recent_search(
            "peintre Angers lang:fr", since_id="1870000000000000000"
        )
    assert len(posts) == 3 and newest == "1880000000000000004"
    assert all(r.arg("since_id") == "1870000000000000000" for r in server.requests)
    assert "author_id" in (server.requests[0].arg("expansions") or "")


def test_429_waits_until_the_reset_header_then_retries() -> None:
    clock = FakeClock()
    calls: list[float] = []

    def app(req: Request) -> Response:
        calls.append(clock.now())
        if len(calls) == 1:
            reset = int(clock.now() + 30)
            return Response(
                429,
                {"title": "Too Many Requests"},
                {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
            )
        return Response(
            body={**FIXTURE, "meta": {"newest_id": "1"}}, headers={"x-rate-limit-remaining": "179"}
        )

    with http_server(app) as server:
        client = XClient(bearer_token=BEARER, api_url=server.url, clock=clock)
        posts, _ = client.mentions("4000")
    assert len(posts) == 3
    assert clock.sleeps == [pytest.approx(31.0)]  # until the reset, plus a second of margin
    assert calls[1] >= calls[0] + 30


def test_429_beyond_the_patience_raises_rate_limited_with_the_time() -> None:
    clock = FakeClock()

    def app(req: Request) -> Response:
        return Response(
            429,
            {"title": "Too Many Requests"},
            {"x-rate-limit-reset": str(int(clock.now() + 3600))},
        )

    with http_server(app) as server:
        gateway = HttpGateway("x", clock=clock, max_wait=60)
        client = XClient(bearer_token=BEARER, api_url=server.url, gateway=gateway)
        with pytest.raises(RateLimited, match="rate-limited until") as caught:
            client.recent_search("peintre")
    assert caught.value.until == int(clock.now() + 3600)
    assert clock.sleeps == [] and BEARER not in str(caught.value)


def test_expired_user_token_is_refreshed_and_saved(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    created: list[dict[str, Any]] = []

    def app(req: Request) -> Response:
        if req.path == "/2/oauth2/token":
            form = dict(x.split("=", 1) for x in req.body.decode().split("&"))
            assert (
                form["grant_type"] == "refresh_token"
                and form["refresh_token"] == "refresh-OLD-secret"
            )
            assert req.headers["authorization"].startswith("Basic ")
            return Response(
                body={
                    "token_type": "bearer",
                    "access_token": "access-NEW-secret",
                    "refresh_token": "refresh-NEW-secret",
                    "expires_in": 7200,
                    "scope": "tweet.write",
                }
            )
        if req.headers.get("authorization") != "Bearer access-NEW-secret":
            return Response(
                401,
                {
                    "title": "Unauthorized",
                    "type": "about:blank",
                    "status": 401,
                    "detail": "Unauthorized",
                },
            )
        created.append(req.json())
        return Response(201, {"data": {"id": "1900000000000000999", "text": req.json()["text"]}})

    tokens = MemoryTokenStore()
    tokens.save(
        "x:martin",
        {
            "access_token": "access-OLD-secret",
            "refresh_token": "refresh-OLD-secret",
            "expires_at": str(time.time() + 3600),
        },
    )
    with http_server(app) as server:
        user = XUserAuth(
            client_id="cid",
            client_secret="client-secret-value",
            tokens=tokens,
            key="x:martin",
            api_url=server.url,
        )
        client = XClient(user=user, api_url=server.url)
        published = client.create_post(
            "Devis gratuit cette semaine", reply_to_id="1880000000000000002"
        )
    assert published.id == "1900000000000000999" and not published.already_existed
    assert created == [
        {
            "text": "Devis gratuit cette semaine",
            "reply": {"in_reply_to_tweet_id": "1880000000000000002"},
        }
    ]
    saved = tokens.load("x:martin")
    assert saved is not None and saved["refresh_token"] == "refresh-NEW-secret"  # rotation kept
    logged = caplog.text + repr(client) + repr(user)
    for secret in (
        "access-OLD-secret",
        "access-NEW-secret",
        "refresh-OLD-secret",
        "refresh-NEW-secret",
        "client-secret-value",
    ):
        assert secret not in logged


def test_publish_timeout_then_retry_does_not_post_twice() -> None:
    timeline: list[dict[str, Any]] = []

    def app(req: Request) -> Response:
        if req.path == "/2/users/me":
            return Response(body={"data": {"id": "4000", "username": "MartinPeinture"}})
        if req.path == "/2/users/4000/tweets":
            return Response(
                body={"data": list(reversed(timeline)), "meta": {"result_count": len(timeline)}}
            )
        if req.path == "/2/tweets":
            text = req.json()["text"]
            # X shortens links: the stored text differs from the one sent
            timeline.append(
                {
                    "id": f"19{len(timeline):017d}",
                    "text": text.replace("https://martin-peinture-angers.fr", "https://t.co/xyz"),
                    "created_at": "2026-03-02T10:00:00.000Z",
                }
            )
            return Response(
                201, {"data": timeline[-1]}, delay=0.6
            )  # created, but answered too late
        return Response(404, {"title": "Not Found"})

    tokens = MemoryTokenStore()
    tokens.save(
        "x:martin",
        {"access_token": "tok", "refresh_token": "r", "expires_at": str(time.time() + 3600)},
    )
    with http_server(app) as server:
        client = XClient(
            user=XUserAuth(client_id="cid", tokens=tokens, key="x:martin", api_url=server.url),
            api_url=server.url,
        )
        published = client.create_post(
            "Nouveau chantier https://martin-peinture-angers.fr", timeout=0.2
        )
    assert len(timeline) == 1 and published.already_existed and published.id == timeline[0]["id"]
    assert sum(r.path == "/2/tweets" for r in server.requests) == 1


def test_filtered_stream_reconnects_after_a_cut_without_losing_or_duplicating(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    done = threading.Event()
    connections: list[Request] = []

    def app(req: Request) -> Response:
        connections.append(req)
        if len(connections) == 1:

            def first(write: Any) -> None:
                write(stream_line(tweet(1)))
                write(b"\r\n")  # keep-alive
                write(stream_line(tweet(2)))
                write(stream_line(tweet(3))[:40])  # cut in the middle of a message

            return Response(stream=first)

        def second(write: Any) -> None:
            for line in (
                stream_line(tweet(2)),
                stream_line(tweet(3)),
                b'{"data": {"id": "1", "text": "no author"}}\r\n',
                b"{oops\r\n",
                stream_line(tweet(4)),
            ):
                write(line)
            done.wait(5)

        return Response(stream=second)

    store: set[tuple[str, str]] = set()
    delivered: list[Post] = []
    problems: list[ParseProblem] = []

    def on_post(post: Post) -> None:
        delivered.append(post)
        store.add(post.key)

    stop = threading.Event()
    with http_server(app) as server:
        stream = XFilteredStream(
            XClient(bearer_token=BEARER, api_url=server.url),
            backoff=Backoff(0.01, 0.05),
            backfill_minutes=2,
            on_problem=problems.append,
        )
        thread = threading.Thread(target=stream.listen, args=(on_post, stop))
        thread.start()
        wait_until(lambda: len(store) == 4)
        stop.set()
        done.set()
        thread.join(5)
    assert store == {("x", tweet(n)["id"]) for n in (1, 2, 3, 4)}
    assert len(delivered) == 5  # tweet 2 came twice (backfill); the store kept it once
    assert (
        connections[1].arg("backfill_minutes") == "2"
        and connections[0].arg("backfill_minutes") is None
    )
    assert [p.reason for p in problems] == [
        "not posts Veille can store: 1 X posts with the default fields only (no author); "
        "ask with tweet.fields=created_at,author_id&expansions=author_id",
        "not JSON (Expecting property name enclosed in double quotes)",
    ]
    assert "skipped a malformed message" in caplog.text


def test_stalled_stream_is_detected_and_replaced() -> None:
    release = threading.Event()
    count = 0

    def app(req: Request) -> Response:
        nonlocal count
        count += 1
        n = count

        def body(write: Any) -> None:
            write(stream_line(tweet(n)))
            release.wait(3)  # silence: no data, no keep-alive

        return Response(stream=body)

    seen: set[str] = set()
    stop = threading.Event()
    with http_server(app) as server:
        stream = XFilteredStream(
            XClient(bearer_token=BEARER, api_url=server.url),
            stall_timeout=0.3,
            backoff=Backoff(0.01, 0.05),
        )
        thread = threading.Thread(target=stream.listen, args=(lambda p: seen.add(p.id), stop))
        thread.start()
        wait_until(lambda: len(seen) >= 2)
        stop.set()
        release.set()
        thread.join(5)
    assert stream.stalls >= 1 and stream.connections >= 2


def test_rule_translation_keeps_x_operators_and_explains_refusals() -> None:
    ok = translate_rule('("Martin Peinture" OR @MartinPeinture) AND lang:fr NOT is:retweet')
    assert ok.x_rule == '("Martin Peinture" OR @MartinPeinture) lang:fr -is:retweet'
    assert translate_rule("peintre -has:links place_country:FR").x_rule is not None
    refusals = {
        "peint* Angers": "wildcards",
        "peintre sentiment:negative": "no sentiment: operator",
        "-peintre -Angers": "at least one term",
        "(peintre OR plaquiste": "not closed",
        "peintre NEAR/3 Angers": "NEAR/3",
        "peintre has:emoji": "has:emoji",
        '"peintre Angers"~3': "proximity",
        "x" * 600: "600 characters",
    }
    for rule, reason in refusals.items():
        result = translate_rule(rule)
        assert result.x_rule is None and result.reason is not None and reason in result.reason, rule


def test_sync_rules_adds_new_deletes_stale_and_reports_refusals() -> None:
    held = {"11": "ancienne règle", "12": "@MartinPeinture lang:fr"}
    bodies: list[Any] = []

    def app(req: Request) -> Response:
        if req.method == "GET":
            return Response(
                body={
                    "data": [{"id": k, "value": v} for k, v in held.items()],
                    "meta": {"result_count": len(held)},
                }
            )
        bodies.append(req.json())
        return Response(body={"meta": {"summary": {"created": 1}}})

    with http_server(app) as server:
        client = XClient(bearer_token=BEARER, api_url=server.url)
        result = client.sync_rules(
            {
                "marque": "@MartinPeinture lang:fr",
                "concurrent": '"Dupont Peinture"',
                "avis": "peintre sentiment:negative",
            }
        )
    assert result.deleted == ["11"] and result.added == ["concurrent"]
    assert [t.rule for t in result.refused] == ["peintre sentiment:negative"]
    assert bodies == [
        {"delete": {"ids": ["11"]}},
        {"add": [{"value": '"Dupont Peinture"', "tag": "concurrent"}]},
    ]


def test_cost_estimate_charges_links_more() -> None:
    plain = estimate_post_cost("Merci à tous nos clients angevins !")
    linked = estimate_post_cost("Nos réalisations sur martin-peinture-angers.fr")
    assert not plain.has_link and plain.usd == Decimal("0.015")
    assert linked.has_link and linked.usd == Decimal("0.200") and linked.usd > 10 * plain.usd


def test_pkce_authorization_url() -> None:
    start = authorization_url(
        client_id="cid", redirect_uri="http://127.0.0.1:8000/accounts/x/callback"
    )
    assert "code_challenge_method=S256" in start.url and f"state={start.state}" in start.url
    assert start.code_verifier not in start.url and 43 <= len(start.code_verifier) <= 128
    assert "offline.access" in start.url.replace("+", " ").replace("%20", " ")
