"""Search and the post list at a million posts: real tweet texts (eight languages, cycled with
fresh ids over a year) stored straight through the repository, a share of them matched, then
the post list and full-text searches timed through the real app (p50 and p95 over repeats).

    .venv/bin/python benchmarks/search.py [--posts 1000000] [--repeat 9] [--keep /tmp/veille-1m]

With ``--keep DIR`` the filled database stays in DIR and is reused by a later run with the same
size. When VEILLE_BENCH_DATABASE_URL names a PostgreSQL database, that database is emptied and used
instead of SQLite (a benchmark database only). Prints one JSON object. Never asserts a time.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench_db import bench_settings, empty_if_postgres, quantile, sign_in  # beside
from fastapi.testclient import TestClient
from firehose import END, tweets  # beside this file
from sqlalchemy.engine import make_url

from veille.config import Settings
from veille.demo.business import DEMO_BUSINESS, DEMO_WATCHES
from veille.posts import parse_post
from veille.store import counts, repository
from veille.store.db import Database
from veille.users import create_user
from veille.web.app import create_app
from veille.web.server import freeze_start_up

MARK = "search-built.json"
USER, PASSWORD = "bench", "bench-password-123"
QUERIES = (
    "peinture",
    "angers",
    "merci",
    "gobierno",
    '"très bien"',
    "renov*",
    "amor -odio",
    "de",  # in a tweet out of eight: a common word
    "love",
)
SENTIMENTS = ("negative", "neutral", "positive")


def fill(settings: Settings, count: int, *, batch: int = 5000) -> float:
    """``count`` posts over the year before END; one in 50 matched, each with a sentiment."""
    empty_if_postgres(settings)
    db = Database.from_settings(settings)
    with db.session() as session:
        repository.save_profile(session, DEMO_BUSINESS)
        watch_ids = []
        for watch in DEMO_WATCHES:
            stored = repository.upsert_watch(
                session,
                name=watch.name,
                kind=watch.kind,
                description=watch.description,
                rules=watch.rules,
            )
            watch_ids.append(stored.id)
        create_user(session, username=USER, password=PASSWORD, role="owner")
    source = tweets()
    step = timedelta(days=365) / count
    started = time.perf_counter()
    for first in range(0, count, batch):
        posts = []
        for n in range(first, min(count, first + batch)):
            _lang, body = source[n % len(source)]
            who = n % 50_000
            posts.append(
                parse_post(
                    {
                        "id": str(1_800_000_000_000_000_000 + n),
                        "network": "x",
                        "created_at": (END - timedelta(days=365) + n * step).isoformat(),
                        "text": body,
                        "author": {"id": str(who), "username": f"user{who}"},
                    }
                )
            )
        with db.session() as session:
            ids = repository.insert_posts(session, posts)
            post_ids = sorted(ids.values())
            repository.insert_enrichments(
                session,
                [
                    {
                        "post_id": i,
                        "kind": "sentiment",
                        "label": SENTIMENTS[i % 3],
                        "score": 0.6,
                        "data": {},
                        "model": "fast",
                    }
                    for i in post_ids
                ],
            )
            repository.insert_matches(
                session,
                [
                    {"post_id": i, "watch_id": watch_ids[i % len(watch_ids)], "rule_id": None}
                    for i in post_ids
                    if i % 50 == 0
                ],
            )
        print(f"{min(count, first + batch)} posts", file=sys.stderr)
    with db.session() as session:  # stored without the pipeline: its counts are rebuilt
        counts.rebuild(session)
    db.engine.dispose()
    return time.perf_counter() - started


def time_pages(settings: Settings, repeat: int) -> dict[str, Any]:
    pages = {
        "posts": "/posts",
        "posts_all": "/posts?all=1",
        "posts_all_page_100": "/posts?all=1&page=100",
        "posts_negative": "/posts?sentiment=negative",
    }
    for query in QUERIES:
        pages[f"search_all {query}"] = f"/posts?all=1&q={query}"
        pages[f"search_matched {query}"] = f"/posts?q={query}"
    db = Database.from_settings(settings)
    out: dict[str, Any] = {}
    with TestClient(create_app(settings, db)) as client:
        sign_in(client, USER, PASSWORD)
        freeze_start_up()  # as `veille serve` does once the app is built
        # The first request warms SQLite's page cache and the app's lazy imports: timed and
        # printed on its own, once, so each page's p95 is the one users meet afterwards.
        started = time.perf_counter()
        client.get("/posts")
        out["first_request_ms"] = round(1000 * (time.perf_counter() - started), 1)
        for name, path in pages.items():
            seconds = []
            status = 0
            for _ in range(repeat):
                started = time.perf_counter()
                status = client.get(path).status_code
                seconds.append(time.perf_counter() - started)
            out[name] = {
                "status": status,
                "p50_ms": round(1000 * statistics.median(seconds), 1),
                "p95_ms": round(1000 * quantile(seconds, 0.95), 1),
            }
            print(f"{name}: {out[name]}", file=sys.stderr)
    db.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--keep", type=Path, default=None, help="data folder kept between runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.keep or Path(tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        settings = bench_settings(data_dir)
        backend = make_url(settings.sqlalchemy_url).get_backend_name()
        mark = data_dir / MARK
        built = json.loads(mark.read_text()) if mark.exists() else {}
        if built.get("posts") != args.posts or built.get("backend") != backend:
            seconds = fill(settings, args.posts)
            built = {"posts": args.posts, "backend": backend, "fill_s": round(seconds, 1)}
            mark.write_text(json.dumps(built))
        result = {
            "database": backend,
            "build": built,
            "repeat": args.repeat,
            "pages": time_pages(settings, args.repeat),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
