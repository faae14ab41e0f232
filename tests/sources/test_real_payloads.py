"""Every file of ``../shared/data/real-payloads`` (recordings and test feeds written by others)
is read, or refused with a message naming what it is; the fields read are checked on samples,
and for the feedparser test feeds against the expectation each file states about itself.

The counts per network are printed by ``python scripts/real_payloads.py``.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers.real_payloads import real_payloads
from veille.posts import Post
from veille.sources import ParseProblem, load_payload_file
from veille.sources.base import PostDeleted

# How a refusal names what the file (or item) is, whatever the network.
NAMED = re.compile(r"^(not posts|not a whole status|refused unsafe XML|not an RSS or Atom feed)")
FOLDERS = {
    "x": ["x/tweepy", "x/twitter-dart"],
    "mastodon": ["mastodon", "mastodon/mastodon4j"],
    "bluesky": ["bluesky"],
    "rss": ["rss/feedparser-wellformed", "rss/feedparser-entities"],
}
INDEXES = {"index.json", "docs-index.json", "README.md"}
# Fewer files read than this is a regression (measured when each network was fixed).
AT_LEAST_READ = {"x": 1, "mastodon": 19, "bluesky": 1, "rss": 537}


def _files(root: Path, fmt: str) -> list[Path]:
    found: list[Path] = []
    for folder in FOLDERS[fmt]:
        pattern = "**/*" if fmt == "rss" else "*"
        found += [p for p in sorted((root / folder).glob(pattern)) if p.is_file()]
    return [p for p in found if p.name not in INDEXES]


@pytest.mark.parametrize("fmt", sorted(FOLDERS))
def test_every_file_is_read_or_refused_by_name(fmt: str) -> None:
    root = real_payloads()
    verdicts: Counter[str] = Counter()
    unnamed: list[str] = []
    for path in _files(root, fmt):
        items = list(load_payload_file(path, fmt))  # nothing may raise
        posts = [i for i in items if isinstance(i, Post | PostDeleted)]
        problems = [i for i in items if isinstance(i, ParseProblem)]
        verdicts["read" if posts else "refused"] += 1
        if not items:
            unnamed.append(f"{path.relative_to(root)}: nothing read and nothing said")
        unnamed += [f"{path.relative_to(root)}: {p}" for p in problems if not NAMED.match(p.reason)]
    assert unnamed == []
    assert verdicts["read"] >= AT_LEAST_READ[fmt], verdicts


_EXPECT = re.compile(
    r"entries\[0\]\['(title|link|id|guid|description|summary)'\] == (u?'(?:[^'\\]|\\.)*')"
    r"(?!\s*\+)"  # a whole literal, not the first piece of a concatenation
)


def _expectations(path: Path) -> list[tuple[str, str]]:
    head = path.read_bytes()[:2000].decode("utf-8", "replace")
    if "Header:" in head:
        return []  # the expectation needs the HTTP headers feedparser's own tests send
    line = next((x for x in head.splitlines() if x.strip().startswith("Expect:")), "")
    return [(field, ast.literal_eval(value)) for field, value in _EXPECT.findall(line)]


def test_feeds_read_what_each_test_feed_expects() -> None:
    """The feedparser test feeds state their expected fields; plain-text ones are checked on
    the posts (titles and summaries unescaped, HTML read as text, links and ids kept)."""
    root = real_payloads()
    checked: Counter[str] = Counter()
    wrong: list[str] = []
    for path in _files(root, "rss"):
        expected = [
            (f, v)
            for f, v in _expectations(path)
            if "<" not in v and "&" not in v and "//127.0.0.1" not in v  # served by their tests
        ]
        if not expected:
            continue
        items = list(load_payload_file(path, "rss"))
        first = next((i for i in items if isinstance(i, Post)), None)
        if first is None:
            continue  # refused by name (checked above): nothing to compare
        extra = first.model_extra or {}
        for field, value in expected:
            got = {
                "title": extra.get("title"),
                "link": extra.get("url"),
                "id": first.id,
                "guid": first.id,
                "description": first.text,
                "summary": first.text,
            }[field]
            ok = (
                value.strip() in (got or "")
                if field in ("description", "summary")
                else (got == value)
            )
            checked[field] += 1
            if not ok and value.strip():
                wrong.append(f"{path.relative_to(root)}: {field} {got!r} != {value!r}")
    assert wrong == [], "\n".join(wrong)
    assert sum(checked.values()) >= 130, checked


def test_entities_in_feed_titles_are_decoded() -> None:
    folder = real_payloads() / "rss" / "feedparser-entities"
    expect = re.compile(r"feed\['title'\] == (u?'(?:[^'\\]|\\.)*')")
    checked = 0
    for path in sorted(folder.glob("*.xml")):
        head = path.read_bytes()[:600].decode("utf-8", "replace")
        found = expect.search(head)
        if not found:
            continue
        title = ast.literal_eval(found.group(1))
        (problem,) = list(load_payload_file(path, "rss"))  # channel only: named, with its title
        assert isinstance(problem, ParseProblem)
        assert f"titled {title!r}" in problem.reason, (path.name, problem.reason)
        checked += 1
    assert checked >= 200


def test_samples_of_each_network_read_right() -> None:
    root = real_payloads()
    home = root / "x" / "twitter-dart" / "tweets_lookup_home_timeline.json"
    x_posts = [p for p in load_payload_file(home, "x") if isinstance(p, Post)]
    assert len(x_posts) == 5
    assert {p.author.username for p in x_posts} == {"TwitterDev"}
    assert x_posts[0].created_at.isoformat() == "2022-05-12T17:00:00+00:00"
    assert x_posts[0].mentions == ["jessicagarson", "factualcat"]  # no entities: the text
    timeline = root / "mastodon" / "mastodon4j" / "mastodon4j_assets_public_timeline.json"
    toots = [p for p in load_payload_file(timeline, "mastodon") if isinstance(p, Post)]
    assert len(toots) == 20 and all(p.author.username and p.id.isdigit() for p in toots)
    atom = root / "rss" / "feedparser-wellformed" / "atom10" / "entry_title.xml"
    (entry,) = [p for p in load_payload_file(atom, "rss") if isinstance(p, Post)]
    assert entry.text == "Example Atom"
