"""The gettext catalogs cover what the code and the templates mark, the way `pybabel extract`
(configured in pyproject.toml and babel.cfg) reads them."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from veille.accounts import AccountError
from veille.labels import LABELS, history_label, label, words
from veille.sources.connect import check_feed
from veille.translations import (
    LANGUAGES,
    N_,
    Language,
    Refusal,
    Words,
    catalog_path,
    said,
    translator,
)

ROOT = Path(__file__).resolve().parents[1]
Key = tuple[str, str | None]  # (msgid, msgctxt)


def extracted() -> dict[Key, list[str]]:
    """Every marked msgid (singular) with where it is marked."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["babel"]
    options = config["extract_messages"]
    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update(parse_keywords(options["keywords"].split()))
    with (ROOT / options["mapping_file"]).open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    found: dict[Key, list[str]] = {}
    for filename, line, message, _comments, context in extract_from_dir(
        str(ROOT / options["input_paths"]), method_map, options_map, keywords=keywords
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault((msgid, context), []).append(f"{filename}:{line}")
    return found


def catalog(lang: Language) -> Catalog:
    with catalog_path(lang).open("rb") as po:
        return read_po(po, locale=lang)


def test_extraction_finds_the_pages_the_labels_and_the_python_code() -> None:
    found = extracted()
    assert ("Your watches", None) in found  # a template's _()
    assert ("approved", "history.approved") in found  # labels.py's NP_
    assert ("Sentiment by day", None) in found  # translator(lang).gettext in a route
    assert len(found) > 300


def test_every_marked_string_has_a_french_translation() -> None:
    french = catalog("fr")
    missing = []
    for (msgid, context), where in sorted(extracted().items(), key=lambda kv: kv[1][0]):
        entry = french.get(msgid, context=context)
        strings = entry.string if entry is not None else ""
        forms = list(strings) if isinstance(strings, tuple) else [strings]
        if entry is None or entry.fuzzy or not all(forms):
            missing.append(f"{where[0]}: {msgid!r} (context {context!r})")
    assert missing == [], "no French translation for:\n" + "\n".join(missing)


def test_every_marked_string_is_in_the_english_catalog() -> None:
    english = catalog("en")
    missing = [
        f"{where[0]}: {msgid!r}"
        for (msgid, context), where in extracted().items()
        if english.get(msgid, context=context) is None
    ]
    assert missing == [], "add to en/LC_MESSAGES/veille.po (msgstr may stay empty):\n" + "\n".join(
        missing
    )


PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)[sd]|%[sd]")


def test_translations_keep_the_placeholders_of_their_msgid() -> None:
    for lang in LANGUAGES:
        for message in catalog(lang):
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            wanted = set(PLACEHOLDER.findall(ids[-1]))
            for text in filter(None, strings):
                assert set(PLACEHOLDER.findall(text)) >= wanted, (lang, message.id, text)


def test_the_compiled_catalogs_speak_each_language() -> None:
    assert translator("fr").gettext("Your watches") == "Vos veilles"
    assert translator("en").gettext("Your watches") == "Your watches"
    assert translator("fr").pgettext("login.submit", "Log in") == "Se connecter"
    assert translator("fr").gettext("Log in") == "Connexion"
    assert label("sentiment.negative", "fr") == "négatif"
    assert label("sentiment.negative", "en") == "negative"
    assert label("no.such.key", "fr") == "no.such.key"
    assert history_label("approved", "fr") == "validé"
    assert history_label("something_new", "fr") == "something new"


def test_every_label_is_translated_in_french() -> None:
    untranslated = [key for key in LABELS if label(key, "fr") == label(key, "en")]
    # Words that are the same in both languages.
    same = {"intent.question", "history.note"}
    same |= {"guard.kind.accusation", "guard.kind.religion", "rule.hashtag", "rule.mention"}
    assert [k for k in untranslated if k not in same] == []


def test_a_refusal_wrapping_another_is_said_whole_in_one_language() -> None:
    with pytest.raises(AccountError) as refused:
        check_feed("ftp://example.org/feed", allow_private=False)
    assert str(refused.value) == (
        "feed_url: 'ftp://example.org': only http:// and https:// addresses are allowed"
    )
    assert said(refused.value, "fr") == (
        "flux : 'ftp://example.org' : seules les adresses qui commencent par http:// ou "
        "https:// sont acceptées"
    )


def test_words_inside_a_refusal_are_translated_and_kept_in_a_history_as_words() -> None:
    reason = Words(
        N_("posts from %(handle)s need approval by the %(role)s"),
        handle="peinturesmartin",
        role=words("role.owner"),
    )
    assert str(reason) == "posts from peinturesmartin need approval by the owner"
    french = "les publications de peinturesmartin doivent être validées par le propriétaire"
    assert said(reason, "fr") == french
    stored = json.loads(json.dumps(reason.stored()))  # as a history's JSON column keeps it
    assert said(Words.restored(stored), "fr") == french
    assert Words.restored("an older history's text") == "an older history's text"
    listed = Refusal(
        N_("credentials: give at least one of: %(names)s"),
        names=(words("field.client_id"), words("field.bearer_token")),
    )
    assert said(listed, "fr").startswith("accès : indiquez au moins un de ces champs : identifiant")
    assert "client id, bearer token" in str(listed)
