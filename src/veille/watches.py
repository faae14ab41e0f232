"""Editing watches: validate rules, preview what they would match, save and re-match."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from veille.posts import Post, parse_post
from veille.rules import compile_rules, parse_rule
from veille.rules.errors import RuleError
from veille.store import counts, tables, visibility
from veille.translations import N_, Refusal

WATCH_KINDS = ("brand", "owner", "competitor", "leads", "sector", "local", "other")


class WatchError(Refusal):
    """A watch that cannot be saved; the message says why."""


@dataclass(frozen=True)
class RuleProblem:
    line: int  # 1-based line of the rules text
    message: str
    caret: str


def split_rules(text: str) -> list[str]:
    """One rule per non-blank line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def check_rules(rules: Sequence[str], *, lang: str, max_length: int) -> list[RuleProblem]:
    problems = []
    for number, rule in enumerate(rules, start=1):
        try:
            parse_rule(rule, max_length=max_length)
        except RuleError as exc:
            said = exc.message_in("en" if lang == "en" else "fr")
            problems.append(RuleProblem(number, said, exc.caret(rule)))
    return problems


def _stored_posts(session: Session, limit: int | None) -> list[tuple[int, Post]]:
    stmt = select(tables.Post.id, tables.Post.payload).order_by(tables.Post.created_at.desc())
    if limit:
        stmt = stmt.limit(limit)
    out = []
    for post_id, payload in session.execute(stmt):
        out.append((post_id, parse_post(_as_post_json(payload))))
    return out


def _as_post_json(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k != "veille"}


def preview(
    session: Session, rules: Sequence[str], *, max_length: int, scan: int = 5000
) -> tuple[int, int, list[int]]:
    """(posts scanned, posts matched, ids of the newest matches) among stored posts."""
    matcher = compile_rules([(str(i), r) for i, r in enumerate(rules)], max_length=max_length)
    posts = _stored_posts(session, scan)
    hits = [post_id for post_id, post in posts if matcher.match(post)]
    return len(posts), len(hits), hits[:20]


def save_watch(
    session: Session,
    *,
    watch_id: int | None,
    name: str,
    kind: str,
    description: str,
    rules: Sequence[str],
    max_length: int,
) -> tables.Watch:
    """Create or update a watch, replace its rules and re-match every stored post."""
    same_name = select(tables.Watch.id).where(tables.Watch.name == name)
    if watch_id is not None:
        same_name = same_name.where(tables.Watch.id != watch_id)
    if session.scalar(same_name) is not None:
        raise WatchError(N_("name: a watch already has this name; choose another"))
    if watch_id is None:
        watch = tables.Watch(name=name, kind=kind, description=description)
        session.add(watch)
    else:
        found = session.get(tables.Watch, watch_id)
        if found is None:
            raise LookupError(f"watch {watch_id} not found")
        watch = found
        watch.name, watch.kind, watch.description = name, kind, description
        session.execute(delete(tables.WatchRule).where(tables.WatchRule.watch_id == watch.id))
    session.flush()
    rows = [tables.WatchRule(watch_id=watch.id, query=rule) for rule in rules]
    session.add_all(rows)
    session.flush()
    rematch_watch(session, watch.id, [(row.id, row.query) for row in rows], max_length=max_length)
    return watch


def match_counts(session: Session) -> dict[int, int]:
    """watch id -> how many stored posts it matches."""
    rows = session.execute(
        select(tables.Match.watch_id, func.count())
        .where(*visibility.own_watches(session))
        .group_by(tables.Match.watch_id)
    )
    return {watch_id: count for watch_id, count in rows}


def rules_by_watch(session: Session) -> dict[int, list[str]]:
    """watch id -> its rules, in the order they were written."""
    rules: dict[int, list[str]] = {}
    for watch_id, query in session.execute(
        select(tables.WatchRule.watch_id, tables.WatchRule.query).order_by(tables.WatchRule.id)
    ):
        rules.setdefault(watch_id, []).append(query)
    return rules


def rematch_watch(
    session: Session, watch_id: int, rules: Sequence[tuple[int, str]], *, max_length: int
) -> int:
    """Replace the watch's matches with what its rules match among stored posts (and recount
    the hours of the matches gone and come)."""
    touched = list(
        session.scalars(
            select(tables.Post.created_at)
            .join(tables.Match, tables.Match.post_id == tables.Post.id)
            .where(tables.Match.watch_id == watch_id)
        )
    )
    session.execute(delete(tables.Match).where(tables.Match.watch_id == watch_id))
    if not rules:
        counts.recount(session, touched)
        return 0
    matcher = compile_rules([(str(rid), q) for rid, q in rules], max_length=max_length)
    rows = []
    for post_id, post in _stored_posts(session, None):
        hit = matcher.match(post)
        if hit:
            rows.append({"post_id": post_id, "watch_id": watch_id, "rule_id": int(hit[0])})
            touched.append(post.created_at)
    if rows:
        session.execute(insert(tables.Match), rows)
    counts.recount(session, touched)
    return len(rows)
