"""The composer never cuts silently: a text too long for a chosen account is refused beside
the field, kept as typed, with the offer of a thread or a shorter variant."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.helpers.web import company_accounts, csrf_at, sign_in_as
from veille.sources.bluesky.text import bluesky_length
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_publish import DraftVariant

SENTENCE = "Nous avons terminé la façade de la maison rue Saint-Laud, avec un enduit à la chaux. "
LONG = (SENTENCE * 240).strip()  # about 20,000 characters


@pytest.fixture
def accounts(app: FastAPI, client: TestClient) -> dict[str, int]:
    return company_accounts(app.state.db, {"bluesky": "martin.bsky.social", "mastodon": "martin"})


def _compose(client: TestClient, text: str, accounts: list[int], fit: str = "") -> str | int:
    data = {"text": text, "account": [str(a) for a in accounts], "csrf": csrf_at(client, "/drafts")}
    if fit:
        data["fit"] = fit
    response = client.post("/drafts", data=data, follow_redirects=False)
    return response.headers["location"] if response.status_code == 303 else response.text


def _drafts(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(tables.Draft)) or 0)


def test_a_long_text_is_refused_as_typed_with_the_offers(
    client: TestClient, db: Database, accounts: dict[str, int]
) -> None:
    sign_in_as(client, "claire")
    assert len(LONG) > 20_000
    page = _compose(client, LONG, [accounts["bluesky"], accounts["mastodon"]])
    assert isinstance(page, str) and _drafts(db) == 0
    refusal = page.split('id="error-text"')[1].split("</div>")[0]
    assert f"martin.bsky.social : {bluesky_length(LONG)} caractères sur 300 permis" in refusal
    assert "@martin : " in refusal and "sur 500 permis" in refusal
    assert "Rien n&#39;a été coupé" in refusal
    assert re.search(r"Un fil en ferait \d+ messages, 25 au plus", refusal)  # 20,000: too many
    assert 'name="fit" value="shorten"' in refusal
    textarea = page.split('name="text"')[1].split("</textarea>")[0]
    assert textarea.endswith(LONG.replace("'", "&#x27;"))  # the whole text, kept
    assert page.count('checked="checked"') == 2  # both accounts still ticked
    # A shorter text gets the thread offered, with its parts to read first.
    page = _compose(client, (SENTENCE * 12).strip(), [accounts["bluesky"]])
    assert isinstance(page, str)
    assert re.search(r'name="fit" value="thread">En faire un fil de \d+ messages', page)
    assert page.count("<li>Nous avons terminé") > 1


def test_the_thread_is_one_draft_of_numbered_posts_within_every_limit(
    client: TestClient, db: Database, accounts: dict[str, int]
) -> None:
    sign_in_as(client, "claire")
    text = (SENTENCE * 12).strip()
    chosen = [accounts["bluesky"], accounts["mastodon"]]
    first = _compose(client, text, chosen, fit="thread")
    assert isinstance(first, str) and first.startswith("/drafts/")
    with db.session() as session:
        (draft,) = session.scalars(select(tables.Draft)).all()
        variants = session.scalars(select(DraftVariant).order_by(DraftVariant.id)).all()
        parts = {v.network: [v.text, *draft.thread] for v in variants}
    assert parts["bluesky"] == parts["mastodon"]  # one thread that fits both networks
    thread = parts["bluesky"]
    assert len(thread) > 1 and _drafts(db) == 1
    assert all(bluesky_length(t) <= 300 and "…" not in t for t in thread)
    assert thread[0].endswith(f" 1/{len(thread)}") and thread[-1].endswith(f"/{len(thread)}")
    # Its page shows every post of the thread, each checked by the guard; the list says so.
    page = client.get(first).text
    assert page.count("en réponse au précédent") == 2 * (len(thread) - 1)
    assert f"fil de {len(thread)} messages" in client.get("/drafts").text


def test_the_shorter_variant_is_made_only_when_chosen(
    client: TestClient, db: Database, accounts: dict[str, int]
) -> None:
    sign_in_as(client, "claire")
    text = (SENTENCE * 5).strip()
    assert isinstance(_compose(client, text, [accounts["bluesky"]]), str) and _drafts(db) == 0
    assert _compose(client, text, [accounts["bluesky"]], fit="shorten") != 0
    with db.session() as session:
        (variant,) = session.scalars(select(DraftVariant)).all()
    assert bluesky_length(variant.text) <= 300 and variant.text.endswith("…")
    # A text that fits goes through at once, untouched.
    assert _compose(client, SENTENCE.strip(), [accounts["bluesky"]]) != 0
    assert _drafts(db) == 2
