"""The searches a plain-text search engine (a network's search API) can run for a rule."""

from __future__ import annotations

from veille.rules.errors import RuleError
from veille.rules.language import And, Hashtag, Node, Or, Words, leaf_text
from veille.rules.parser import parse_rule


def _simple_query(node: Node) -> str | None:
    if isinstance(node, Words):
        return f'"{node.raw.strip(chr(34))}"' if node.quoted else node.raw
    if isinstance(node, Hashtag):
        return leaf_text(node)
    if isinstance(node, And):
        parts = [_simple_query(child) for child in node.children]
        return " ".join(p for p in parts if p) if all(parts) else None
    return None


def simple_terms(rule: str) -> list[str]:
    """The searches a plain-text search engine can run for a rule: words, "phrases",
    #hashtags, all of them (AND) or any of them (OR). Anything richer gives nothing."""
    try:
        root = parse_rule(rule).root
    except RuleError:
        return []
    children = root.children if isinstance(root, Or) else (root,)
    terms = [_simple_query(child) for child in children]
    return [t for t in terms if t] if all(terms) else []
