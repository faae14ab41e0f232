"""The language model's second opinion on a draft: asked over real HTTP (a chat-completions
server on 127.0.0.1), read into the guard's flags, and said plainly when it fails."""

from __future__ import annotations

import json
import socket
from typing import Any

from tests.helpers.chat import chat_completions
from tests.sources.servers import Handler, Response, http_server

from veille.inbox.assistant import Assistant
from veille.publish.guard_second_opinion import ask, read_answer

KEY = "sk-guard-second-opinion-key"
DRAFT = "Belle saison à tous ! Dimanche, votez Morel : enfin un maire qui aime les artisans."


def answering(content: str) -> tuple[Handler, list[dict[str, Any]]]:
    return chat_completions(content, KEY)


def endpoint(url: str) -> Assistant:
    return Assistant(base_url=url, model="petit-modele", api_key=KEY)


def test_the_models_risks_become_flags_on_the_quoted_words() -> None:
    content = json.dumps(
        {
            "risks": [
                {
                    "category": "politics",
                    "quote": "votez Morel",
                    "reason": "Soutenir un candidat divise la clientèle.",
                },
                {"category": "astrology", "quote": "Belle saison", "reason": "?"},
                {"category": "crisis_promo", "quote": "Belle saison", "reason": "promo"},
            ]
        },
        ensure_ascii=False,
    )
    app, seen = answering(content)
    with http_server(app) as server:
        opinion = ask(endpoint(f"{server.url}/v1"), DRAFT, allow_private=True, timeout=5)
    assert opinion.error == ""
    [flag] = opinion.flags  # an invented category, and promotion outside a crisis, left out
    assert (flag.kind, flag.severity) == ("politics", "medium")
    assert DRAFT[flag.start : flag.end] == "votez Morel"
    assert "Second avis du modèle de langue" in flag.explanation
    assert "Soutenir un candidat divise la clientèle." in flag.explanation
    assert opinion.risk == "medium"
    # What was asked: the draft, the ten risks by name, the key in the header only.
    [request] = seen
    system, user = request["messages"][0]["content"], request["messages"][1]["content"]
    assert DRAFT in user and "Aucune crise en cours" in user
    for category in ("politics", "mockery", "denigration", "legal", "crisis_promo"):
        assert category in system
    assert KEY not in json.dumps(request)


def test_a_fenced_answer_is_read_and_an_empty_list_means_nothing_to_flag() -> None:
    fenced = (
        '```json\n{"risks": [{"category": "Mockery", "quote": "VOTEZ MOREL", "reason": ""}]}\n```'
    )
    [flag] = read_answer(fenced, DRAFT, "en")
    assert flag.kind == "mockery" and DRAFT[flag.start : flag.end] == "votez Morel"
    assert flag.explanation.startswith("Second opinion of the language model: a joke at")
    assert read_answer('{"risks": []}', DRAFT, "fr") == []
    # A quote that is not in the draft: the flag is about the whole draft (no span).
    [loose] = read_answer('{"risks": [{"category": "irony", "quote": "ailleurs"}]}', DRAFT, "fr")
    assert (loose.start, loose.end) == (0, 0)


def test_the_models_words_lose_control_characters_and_stay_short() -> None:
    reason = "Texte\u202e inversé\x07 " + "x" * 1000
    content = json.dumps({"risks": [{"category": "insult", "quote": "", "reason": reason}]})
    [flag] = read_answer(content, DRAFT, "fr")
    assert "\u202e" not in flag.explanation and "\x07" not in flag.explanation
    assert "Texte inversé" in flag.explanation and len(flag.explanation) < 500


def test_an_answer_that_is_not_the_json_asked_for_gives_no_flag_and_says_so() -> None:
    app, _ = answering("Ce message me semble risqué, je ne le publierais pas.")
    with http_server(app) as server:
        opinion = ask(endpoint(f"{server.url}/v1"), DRAFT, allow_private=True, timeout=5)
    assert opinion.flags == [] and opinion.risk == "low"
    assert "format JSON demandé" in opinion.error


def test_an_endpoint_down_or_failing_is_named_and_nothing_is_raised() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    down = ask(endpoint(f"http://127.0.0.1:{port}/v1"), DRAFT, allow_private=True, timeout=2)
    assert down.flags == []
    assert f"127.0.0.1:{port}/v1/chat/completions" in down.error and "ConnectError" in down.error
    with http_server(lambda req: Response(500, {"error": "boom"})) as server:
        failing = ask(endpoint(f"{server.url}/v1"), DRAFT, lang="en", allow_private=True)
    assert "HTTP 500" in failing.error and KEY not in failing.error
    # An address on this machine is refused unless the instance allows private addresses.
    app, seen = answering('{"risks": []}')
    with http_server(app) as server:
        refused = ask(endpoint(f"{server.url}/v1"), DRAFT, allow_private=False)
    assert refused.error and seen == []
