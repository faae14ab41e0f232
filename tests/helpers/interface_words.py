"""Crawling the interface and finding words of the wrong language in what it shows.

A page's interface text is what it shows outside user content: the text of its elements and the
placeholder, title, aria-label and button value attributes. User content (posts, names, rules,
drafts, what a person typed) is skipped: elements marked `translate="no"` (HTML's own way to
say "not interface words") or with the class `text` (a post's text), and <code>, <textarea>,
<pre>, <script>, <style>."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from veille.translations import catalog_path

SKIPPED_TAGS = {"script", "style", "code", "textarea", "pre"}
USER_CLASSES = {"text"}
ATTRIBUTES = {"placeholder", "title", "aria-label"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class InterfaceText(HTMLParser):
    """The interface text of one page (user content left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is it user content?
        self.parts: list[str] = []
        self.links: list[str] = []

    def hidden(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = set(values.get("class", "").split())
        user = (
            tag in SKIPPED_TAGS or bool(classes & USER_CLASSES) or values.get("translate") == "no"
        )
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if not self.hidden() and not user:
            self.parts += [values[a] for a in ATTRIBUTES if values.get(a)]
            if tag == "input" and values.get("type") in {"submit", "button"}:
                self.parts.append(values.get("value", ""))
        if tag not in VOID:
            self.stack.append(user)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden():
            self.parts.append(data)


def interface_text(html: str) -> tuple[str, list[str]]:
    parser = InterfaceText()
    parser.feed(html)
    return " ".join(parser.parts), parser.links


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(client: TestClient, start: list[str], *, per_shape: int = 2) -> dict[str, str]:
    """Interface text of every page reachable by links from `start` (GET, same site), at most
    `per_shape` pages per URL shape (/inbox/N ...) so the demo's hundreds of posts stay quick."""
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    found: dict[str, str] = {}
    queue = deque(start)
    while queue:
        url = queue.popleft().partition("#")[0]
        parts = urlsplit(url)
        if parts.netloc or not parts.path.startswith("/") or url in seen:
            continue
        if parts.path.startswith(("/static", "/lang", "/logout")) or parts.path.endswith(
            (".pdf", ".csv", ".json", ".png", ".svg")
        ):
            continue
        key = shape(parts.path) + ("?" if parts.query else "")
        if shapes.get(key, 0) >= per_shape:
            continue
        seen.add(url)
        shapes[key] = shapes.get(key, 0) + 1
        response = client.get(url, follow_redirects=False)
        # Error pages are interface too; a redirect is followed through its link, not here.
        if response.is_redirect or "text/html" not in response.headers["content-type"]:
            continue
        text, links = interface_text(response.text)
        found[url] = text
        queue.extend(urljoin(url, link) for link in links)
    return found


WORD = re.compile(r"[A-Za-zÀ-ÿ']+")


def words(text: str) -> list[str]:
    return WORD.findall(text)


# Words of each language's interface that cannot be the other's, beyond the catalogs' own.
_ENGLISH = """
about above account accounts all and answer answered any approved are back baseline be been
below brand cancel choose competitor complaint created crisis days delete done draft drafts
each edit edited empty error every failed for from grew had has have hours ignored image
inbox into invalid is job lead leads least manager member minutes missing negative neutral
new no none not of open other over owner pending please positive post posts praise published
question queued rejected replies reply request save scheduled sector send sent settings
snoozed spike status still text that the these this those to today under unknown update
viewer was watch watches week weeks were with yesterday yet you your
"""
_FRENCH = """
annuler aucun aucune aujourd'hui avec avoir brouillon brouillons ces cette compte comptes
dans des du enregistrer envoyer erreur est et faire fait heures hier invalide jours la le
les modifier nos notre ou par pas pour publications requête réglages répondre réponse
semaine sont supprimer sur un une veilles vos votre été être
"""
COMMON = {"en": set(_ENGLISH.split()), "fr": set(_FRENCH.split())}
ACCENTED = re.compile(r"[àâçéèêëîïôûùüÿœæ]", re.IGNORECASE)
# What a sentence quotes is the user's ("« escrocs »" in a guard explanation), not interface.
QUOTED = re.compile(r'"[^"]*"|«[^»]*»|“[^”]*”')
NOT_WORDS = re.compile(r"\S*[@#/:=&.]\S*\w\S*|\S*\d\S*")


def vocabulary(of: str, catalog_words: dict[str, set[str]]) -> set[str]:
    """Words that belong to language `of` and not to the other one."""
    other = "fr" if of == "en" else "en"
    return (catalog_words[of] - catalog_words[other]) | (COMMON[of] - catalog_words[other])


def foreign_words(text: str, language: str, *, vocabulary: set[str], allowed: set[str]) -> set[str]:
    """Words of the other language in `text`, shown in `language`."""
    text = NOT_WORDS.sub(" ", QUOTED.sub(" ", text))
    found = set()
    for word in words(text):
        low = word.lower().strip("'")
        if low in allowed or len(low) < 2:
            continue
        if low in vocabulary or (language == "en" and ACCENTED.search(low)):
            found.add(word)
    return found


# Names that are the same in both languages: products, networks, protocols, the brand.
_ALLOWED = """
api app atom bearer bluesky csv e-mail email hmac id json mastodon mérignac oauth ok pdf rss
sha smtp tls token url veille web webhook webhooks x
"""
ALLOWED = set(_ALLOWED.split())


def catalog_words() -> dict[str, set[str]]:
    """The words of the catalogs: the English msgids and the French translations."""
    with catalog_path("fr").open("rb") as po:
        french = read_po(po)
    found: dict[str, set[str]] = {"en": set(), "fr": set()}
    for message in french:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found["en"] |= {w.lower() for text in ids for w in words(text)}
        found["fr"] |= {w.lower() for text in strings for w in words(text)}
    return found
