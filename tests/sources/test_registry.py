"""The network seam: every network is declared once, in its folder, and nothing outside
``veille.sources`` (and the demo) names one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from veille.sources import registry

SRC = Path(__file__).parents[2] / "src" / "veille"
DOCS = Path(__file__).parents[2] / "docs" / "networks.md"
FIXTURES = Path(__file__).parent / "fixtures"

# String constants that are the same letters as a network's name but mean something else.
ALLOWED = {
    ("understand/leads.py", "x"),  # French plurals end in -s or -x ("peintres", "travaux")
    ("publish/importer.py", "x"),  # a spreadsheet cell ticked with an "x" means yes
    ("understand/encoder/modelfile.py", "x"),  # "{rows}x{cols}" in an error message
}


def _names() -> set[str]:
    names = set()
    for source in registry.SOURCES:
        names |= {source.name, source.network or source.name, source.display_name}
    return names


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def network_mentions(path: Path) -> list[str]:
    """Where a module names a network: a string constant equal to one of its names (or with
    a long one as a word in it), or an import of a network's folder."""
    relative = path.relative_to(SRC).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _names()
    words = re.compile(
        r"(?i)\b(" + "|".join(re.escape(n) for n in sorted(names) if len(n) >= 7) + r")\b"
    )
    folders = {s.name for s in registry.SOURCES}
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in docstrings or (relative, node.value) in ALLOWED:
                continue
            if node.value in names or words.search(node.value):
                found.append(f"{relative}:{node.lineno}: {node.value[:60]!r}")
        elif isinstance(node, ast.ImportFrom | ast.Import):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            modules += [alias.name for alias in node.names]
            for module in modules:
                parts = module.split(".")
                if parts[:2] == ["veille", "sources"] and len(parts) > 2 and parts[2] in folders:
                    found.append(f"{relative}:{node.lineno}: import {module}")
    return found


def test_no_module_outside_the_sources_names_a_network() -> None:
    modules = [
        p
        for p in sorted(SRC.rglob("*.py"))
        if p.relative_to(SRC).parts[0] not in ("sources", "demo")
    ]
    assert len(modules) > 50
    found = [mention for path in modules for mention in network_mentions(path)]
    assert found == []


def test_the_check_finds_a_network_named_in_code(tmp_path: Path) -> None:
    # The check itself can fail: a chain on a network's name, and an import of its folder.
    module = SRC / "ingest.py"
    text = module.read_text(encoding="utf-8")
    assert network_mentions(module) == []
    planted = SRC / "_planted_for_test.py"
    planted.write_text(
        text + '\nfrom veille.sources.x.client import XClient\nIS_X = lambda n: n == "mastodon"\n',
        encoding="utf-8",
    )
    try:
        found = network_mentions(planted)
    finally:
        planted.unlink()
    assert [m.split(": ", 1)[1] for m in found] == [
        "import veille.sources.x.client",
        "'mastodon'",
    ]


def test_each_network_is_one_folder_with_fixtures_and_a_docs_section() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    sections = set(re.findall(r"^## .*\(`([a-z0-9_]+)`\)\s*$", docs, flags=re.MULTILINE))
    for source in registry.SOURCES:
        folder = SRC / "sources" / source.name
        assert (folder / "network.py").is_file(), source.name
        fixtures = [p for p in (FIXTURES / source.name).glob("*") if p.is_file()]
        assert fixtures, f"tests/sources/fixtures/{source.name}/ holds no recorded payload"
        assert source.name in sections, f"docs/networks.md has no section for {source.name}"
    assert sections == {s.name for s in registry.SOURCES}


def test_the_registry_lists_what_each_network_declares() -> None:
    assert registry.post_networks() == ("x", "bluesky", "mastodon", "news")
    assert registry.publishing_networks() == ("x", "bluesky", "mastodon")
    assert registry.ingest_formats() == ("x", "bluesky", "mastodon", "rss")
    assert set(registry.account_networks()) == {"x", "bluesky", "mastodon", "news"}
    names = [s.name for s in registry.SOURCES]
    assert len(names) == len(set(names))
    for network in registry.publishing_networks():
        publishing = registry.publishing(network)
        assert publishing is not None
        assert publishing.text_length("Bonjour Angers") == 14
        assert publishing.max_length >= 280


def test_a_sources_file_is_read_through_the_registry(tmp_path: Path) -> None:
    import threading

    from veille.posts import Post
    from veille.sources.base import MemoryCursorStore
    from veille.sources.commands import build_listeners

    (tmp_path / "posts.jsonl").write_bytes((FIXTURES / "replay" / "posts.jsonl").read_bytes())
    sources = tmp_path / "sources.toml"
    sources.write_text('[replay]\nfiles = ["posts.jsonl"]\n', encoding="utf-8")
    [listener] = build_listeners(sources, cursors=MemoryCursorStore())
    received: list[Post] = []
    listener.listen(received.append, threading.Event())
    assert [(p.network, p.author.username) for p in received] == [
        ("x", "claire_angers"),
        ("bluesky", "claire.bsky.social"),
    ]
