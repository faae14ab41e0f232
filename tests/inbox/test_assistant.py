"""Suggestions from an OpenAI-compatible endpoint on 127.0.0.1, and the fallback to the
built-in suggestion when it fails or is slow."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.helpers.chat import chat_completions
from tests.sources.servers import Handler, Request, Response, http_server
from veille.business import BusinessProfile
from veille.crypto import SecretBox
from veille.inbox import assistant, replies
from veille.store import repository, tables
from veille.store.db import Database

BOX = SecretBox("test-secret-key-0123456789")
KEY = "sk-local-very-secret-key"
POST = "Bonjour, vous faites les façades à Angers ? Combien pour une maison de 100 m² ?"


def chat(answer: str) -> tuple[Handler, list[dict[str, Any]]]:
    return chat_completions(answer, KEY)


OWNER = {"role": "owner", "allow_private": True}


def setup(db: Database, base_url: str) -> tables.Author:
    with db.session() as session:
        repository.save_profile(
            session,
            BusinessProfile(name="Peintures Martin", trade="peintre en bâtiment", city="Angers"),
        )
        assistant.save(
            session,
            BOX,
            base_url=base_url,
            model="petit-modele",
            api_key=KEY,
            role="owner",
            allow_private=True,
        )
    return tables.Author(username="claire_49", name="Claire")


def suggest(db: Database, author: tables.Author, timeout: float = 2.0) -> str:
    with db.session() as session:
        return replies.suggest(
            session,
            intent="lead",
            author=author,
            text=POST,
            box=BOX,
            allow_private=True,
            timeout=timeout,
        )


def test_endpoint_drafts_the_suggestion_from_the_post_intent_and_profile(db: Database) -> None:
    app, seen = chat("Bonjour Claire, oui ! Demandez votre devis gratuit sur notre site.")
    with http_server(app) as server:
        author = setup(db, server.url + "/v1/")
        assert suggest(db, author).startswith("Bonjour Claire, oui !")
    [body] = seen
    assert body["model"] == "petit-modele"
    roles = [m["role"] for m in body["messages"]]
    assert roles == ["system", "user"]
    assert "Peintures Martin" in body["messages"][0]["content"]
    assert POST in body["messages"][1]["content"] and "lead" in body["messages"][1]["content"]
    with db.session() as session:  # the key is stored encrypted
        assert KEY not in str(repository.get_setting(session, "assistant"))


@pytest.mark.parametrize("failure", ["500", "slow", "malformed"])
def test_failing_endpoint_falls_back_without_logging_the_key(
    db: Database, failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    def app(req: Request) -> Response:
        if failure == "500":
            return Response(500, {"error": {"message": "overloaded"}})
        if failure == "slow":
            return Response(body={"choices": [{"message": {"content": "trop tard"}}]}, delay=1.0)
        return Response(body={"choices": []})

    caplog.set_level(logging.DEBUG)
    with http_server(app) as server:
        author = setup(db, server.url + "/v1")
        text = suggest(db, author, timeout=0.3)
    assert text.startswith("Bonjour Claire, merci de penser à nous") and "trop tard" not in text
    assert "assistant suggestion failed" in caplog.text and KEY not in caplog.text


def test_without_the_setting_nothing_is_called(db: Database) -> None:
    author = tables.Author(username="claire_49", name="Claire")
    with db.session() as session:
        text = replies.suggest(session, intent="question", author=author, text=POST, box=BOX)
    assert text.startswith("Bonjour Claire, merci pour votre question")


def test_bad_settings_are_refused_by_name(db: Database) -> None:
    with db.session() as session:
        with pytest.raises(assistant.AssistantError, match="base_url"):
            assistant.save(session, BOX, **OWNER, base_url="ftp://x", model="m", api_key="")
        with pytest.raises(assistant.AssistantError, match="model"):
            assistant.save(
                session, BOX, **OWNER, base_url="http://127.0.0.1:1", model="", api_key=""
            )


def test_where_the_key_goes_is_the_owners_decision(db: Database) -> None:
    setup(db, "https://llm.example.fr/v1")
    with db.session() as session:
        moved = {"base_url": "https://ailleurs.example.net/v1", "model": "petit-modele"}
        with pytest.raises(assistant.AssistantError, match="only the owner"):
            assistant.save(session, BOX, **moved, api_key="", role="manager", allow_private=False)
        with pytest.raises(assistant.AssistantError, match="type the key again"):
            assistant.save(session, BOX, **moved, api_key="", role="owner", allow_private=False)
        # A manager may change the model, and the stored key stays.
        assistant.save(
            session,
            BOX,
            base_url="https://llm.example.fr/v1",
            model="grand-modele",
            api_key="",
            role="manager",
            allow_private=False,
        )
        kept = assistant.load(session, BOX)
        assert kept is not None and kept.api_key == KEY and kept.model == "grand-modele"
        assistant.save(session, BOX, **moved, api_key="new-key", role="owner", allow_private=False)
        moved_to = assistant.load(session, BOX)
        assert moved_to is not None and moved_to.api_key == "new-key"


def test_a_local_endpoint_is_refused_unless_allowed(db: Database) -> None:
    with db.session() as session, pytest.raises(assistant.AssistantError, match="private"):
        assistant.save(
            session,
            BOX,
            base_url="http://169.254.169.254/v1",
            model="m",
            api_key="k",
            role="owner",
            allow_private=False,
        )
