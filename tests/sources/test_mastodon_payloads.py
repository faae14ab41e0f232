"""Mastodon responses as servers send them: single statuses, contexts, notifications, old
servers' integer ids, self-replies, quotes and polls (Status entity, docs.joinmastodon.org)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from websockets.sync.server import ServerConnection

from tests.helpers.real_payloads import real_payloads
from veille.posts import Post
from veille.sources import ParseProblem, load_payload_file
from veille.sources.base import MemoryCursorStore, PostDeleted
from veille.sources.mastodon.client import MastodonClient, MastodonStream, iter_mastodon_statuses

from .servers import wait_until, ws_server


def _status(status_id: str = "113", **fields: Any) -> dict[str, Any]:
    return {
        "id": status_id,
        "created_at": "2026-03-02T09:15:00.000Z",
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "content": "<p>Un bon peintre sur Angers ?</p>",
        "account": {"id": "7", "username": "claire", "acct": "claire@piaille.fr"},
        "mentions": [],
        "tags": [],
        "media_attachments": [],
        **fields,
    }


def _posts(body: object) -> list[Post]:
    items = list(iter_mastodon_statuses(body))
    assert not [i for i in items if isinstance(i, ParseProblem)], items
    return [i for i in items if isinstance(i, Post)]


def test_a_quote_post_has_only_its_own_mentions() -> None:
    quote = _status(
        content='<p>Voyez ça <a href="https://piaille.fr/@martin/112">'
        "https://piaille.fr/@martin/112</a></p>",
        quote={"state": "accepted", "quoted_status": _status("112")},
    )
    (post,) = _posts([quote])
    assert post.is_quote and post.quote_of == "112"
    assert post.mentions == []  # not "martin" read back from the quoted post's address


def test_a_self_reply_keeps_who_it_answers() -> None:
    (post,) = _posts([_status(in_reply_to_id="112", in_reply_to_account_id="7")])
    assert post.is_reply and post.in_reply_to == "claire@piaille.fr"
    assert post.in_reply_to_id == "112"


def test_integer_ids_of_old_servers() -> None:
    old = _status(
        in_reply_to_id=5908530,
        in_reply_to_account_id=12,
        account={"id": 1111, "username": "test", "acct": "test"},
        mentions=[{"id": 12, "acct": "other", "username": "other"}],
    )
    old["id"] = 5908531
    (post,) = _posts(old)  # a single Status object, not a list
    assert post.id == "5908531" and post.in_reply_to_id == "5908530"
    assert post.in_reply_to == "other" and post.author.id == "1111"


def test_context_notifications_and_polls() -> None:
    context = {"ancestors": [_status("1")], "descendants": [_status("3"), _status("4")]}
    assert [p.id for p in _posts(context)] == ["1", "3", "4"]
    notifications = [
        {"id": "9", "type": "mention", "account": {"id": "7"}, "status": _status("5")},
        {"id": "10", "type": "follow", "account": {"id": "8"}},
    ]
    assert [p.id for p in _posts(notifications)] == ["5"]
    poll = {
        "id": "34830",
        "expires_at": "2026-03-03T09:15:00.000Z",
        "expired": False,
        "votes_count": 10,
        "options": [{"title": "oui", "votes_count": 6}, {"title": "non", "votes_count": 4}],
    }
    (post,) = _posts([_status(poll=poll)])
    assert (post.model_extra or {})["poll"]["options"][0] == {"title": "oui", "votes": 6}


def test_a_status_per_line_and_named_refusals(tmp_path: Path) -> None:
    path = tmp_path / "stream.jsonl"
    path.write_text(json.dumps(_status("1")) + "\n" + json.dumps(_status("2")) + "\n")
    assert [p.id for p in load_payload_file(path, "mastodon") if isinstance(p, Post)] == ["1", "2"]
    abridged = [{"id": "103206804533200177", "created_at": "2019-11-26T23:27:31.000Z"}]
    (problem,) = list(iter_mastodon_statuses(abridged))
    assert isinstance(problem, ParseProblem)
    assert "not a whole status (id 103206804533200177)" in problem.reason


def test_recorded_mastodon_4j_responses_keep_their_fields() -> None:
    folder = real_payloads() / "mastodon" / "mastodon4j"
    (status,) = [i for i in load_payload_file(folder / "mastodon4j_assets_status.json", "mastodon")]
    assert isinstance(status, Post) and status.id.isdigit()
    context = list(load_payload_file(folder / "mastodon4j_assets_context.json", "mastodon"))
    assert len(context) == 3 and all(isinstance(p, Post) for p in context)
    gargron = real_payloads() / "mastodon" / "entities_Status_L21.json"
    (post,) = list(load_payload_file(gargron, "mastodon"))
    assert isinstance(post, Post)
    assert post.author.username == "Gargron" and post.author.followers_count == 322930
    assert post.text.startswith('"I lost my inheritance with one wrong digit')
    assert post.mentions == [] and post.metrics.likes == 11
    assert post.urls[0].startswith("https://www.theguardian.com/money/2019/dec/07/")


def test_the_stream_hands_deletes_and_edits_to_the_store() -> None:
    release = threading.Event()

    def streaming(connection: ServerConnection) -> None:
        edited = _status("113", content="<p>Un bon peintre sur Angers ? (modifié)</p>")
        for event, payload in (("delete", "112"), ("status.update", json.dumps(edited))):
            connection.send(json.dumps({"stream": ["user"], "event": event, "payload": payload}))
        release.wait(5)

    revised: list[Post | PostDeleted] = []
    with ws_server(streaming) as ws_url:
        client = MastodonClient(
            instance_url="http://127.0.0.1:9", access_token="t", streaming_url=ws_url
        )
        stream = MastodonStream(
            client, cursors=MemoryCursorStore(), stream="user", revise=revised.append
        )
        stop = threading.Event()
        thread = threading.Thread(target=stream.listen, args=(lambda p: None, stop))
        thread.start()
        wait_until(lambda: len(revised) == 2)
        stop.set()
        release.set()
        thread.join(5)
    assert revised[0] == PostDeleted("mastodon", "112")
    edit = revised[1]
    assert isinstance(edit, Post) and edit.text.endswith("(modifié)")
    assert (edit.model_extra or {})["edited"] is True


def test_a_broken_pretty_printed_file_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "timeline.json"
    path.write_text(json.dumps([_status("1"), _status("2")], indent=2)[:-40])
    (problem,) = list(load_payload_file(path, "mastodon"))
    assert isinstance(problem, ParseProblem) and problem.where == "(document)"
    assert problem.reason.startswith("not JSON")
