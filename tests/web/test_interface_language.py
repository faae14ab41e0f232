"""Every page of the demo speaks one language: crawled in French, no English interface word and
no untranslated msgid; crawled in English, no French one. User content (posts, names, rules,
drafts) is left out: the templates mark it `translate="no"`, and the demo's own strings (watch
names, people, accounts, the business profile) are taken out of the text before it is read."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rich.console import Console
from sqlalchemy import select

from tests.helpers.interface_words import ALLOWED, catalog_words, crawl, foreign_words, vocabulary
from tests.helpers.web import csrf_of
from tests.web.conftest import login
from veille.config import Settings
from veille.demo.instance import DemoInstance
from veille.demo.run import build_demo, demo_settings
from veille.store import tables
from veille.store.db import Database
from veille.translations import LANGUAGES, Language
from veille.web.app import create_app

START = [
    "/",
    "/inbox",
    "/inbox/figures",
    "/inbox/settings",
    "/posts",
    "/watches",
    "/watches/new",
    "/accounts",
    "/drafts",
    "/calendar",
    "/calendar?view=month",
    "/calendar/slots",
    "/reports",
    "/alerts",
    "/settings",
    "/team",
    "/setup/business",
    "/posts/999999999",  # the error page
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Database]]:
    data = tmp_path_factory.mktemp("demo") / "data"
    settings = demo_settings(Settings(data_dir=data, _env_file=None))  # type: ignore[call-arg]
    instance = DemoInstance(0).start()  # as `veille demo`: its Mastodon account is connected
    try:
        result = build_demo(settings, console=Console(quiet=True), instance_url=instance.url)
        yield settings, result.db
    finally:
        instance.close()


def user_strings(db: Database) -> re.Pattern[str]:
    """What the demo's people wrote or named (taken out of a page's text), as whole words."""
    columns = [
        tables.User.username,
        tables.User.display_name,
        tables.Account.handle,
        tables.Account.label,
        tables.Author.username,
        tables.Author.name,
        tables.Author.location,
        tables.Author.description,
        tables.Watch.name,
        tables.Watch.description,
        tables.WatchRule.query,
        tables.Post.text,
        tables.Draft.text,
    ]
    found: set[str] = set()
    with db.session() as session:
        for column in columns:
            found |= {v for v in session.scalars(select(column)) if v}
        for value in session.scalars(select(tables.Setting.value)):
            found |= set(strings_in(value))
    longest_first = sorted((s for s in found if len(s) >= 3), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, longest_first)) + r")(?!\w)")


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def draft_page(client: TestClient) -> str:
    """A draft the guard has something to say about (the demo has none), its page's address."""
    page = client.get("/drafts").text
    account = page.split('name="account" value="')[1].split('"')[0]
    text = "Nos prix cassés, les concurrents sont des escrocs !!! Votez bien dimanche."
    made = client.post(
        "/drafts",
        data={"text": text, "account": account, "csrf": csrf_of(page)},
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    return str(made.headers["location"])


def pages_in(demo: tuple[Settings, Database], lang: Language) -> dict[str, str]:
    settings, db = demo
    with TestClient(create_app(settings, db)) as client:
        assert login(client, "demo", "demo") == 303
        client.cookies.set("veille_lang", lang)
        pages = crawl(client, [*START, draft_page(client)])
    assert len(pages) >= len(START), sorted(pages)
    return pages


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_speaks_the_readers_language(
    demo: tuple[Settings, Database], lang: Language
) -> None:
    other: Language = "en" if lang == "fr" else "fr"
    foreign = vocabulary(other, catalog_words())
    user = user_strings(demo[1])
    found: dict[str, list[str]] = {}
    for url, text in pages_in(demo, lang).items():
        text = user.sub(" ", text)
        bad = foreign_words(text, lang, vocabulary=foreign, allowed=ALLOWED)
        if bad:
            found[url] = sorted(bad)
    assert found == {}, f"{other} words on {lang} pages:\n" + json.dumps(
        found, ensure_ascii=False, indent=1
    )


def test_the_detector_sees_a_foreign_word() -> None:
    """The check above can fail: an English word on a French page is found, a brand is not."""
    foreign = vocabulary("en", catalog_words())
    assert foreign_words(
        "Vos veilles · Save · Bluesky", "fr", vocabulary=foreign, allowed=ALLOWED
    ) == {"Save"}
    french = vocabulary("fr", catalog_words())
    assert foreign_words(
        "Your watches · Enregistrer · réglé", "en", vocabulary=french, allowed=ALLOWED
    ) == {
        "Enregistrer",
        "réglé",
    }
