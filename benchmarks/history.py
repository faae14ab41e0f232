"""Pages and exports on a long history: N days of the demo stream through the pipeline, then
every page and export timed through the real app (p50 and p95 over repeats).

    .venv/bin/python benchmarks/history.py --days 365 [--repeat 7] [--keep /tmp/veille-365]

With ``--keep DIR`` the built database stays in DIR and a later run with the same DIR and days
reuses it (building a year takes minutes). When VEILLE_BENCH_DATABASE_URL names a PostgreSQL
database, that database is emptied and used instead of SQLite (a benchmark database only).
Prints one JSON object. Never asserts a time.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench_db import BENCH_URL, bench_settings, empty_if_postgres, quantile, sign_in  # beside
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from veille.config import Settings
from veille.demo.business import save_demo_business
from veille.demo.generator import generate_demo, write_demo
from veille.demo.run import DEMO_PASSWORD, DEMO_USER, replay_alerts
from veille.ingest import ingest_posts, parse_post_lines
from veille.runtime import build_pipeline
from veille.store import tables
from veille.store.db import Database
from veille.timeutil import utcnow
from veille.users import create_user
from veille.web.app import create_app

BUILT_MARK = "history-built.json"


def build(settings: Settings, *, days: int, seed: int) -> dict[str, float]:
    """The demo business with ``days`` days of posts ingested through the pipeline."""
    empty_if_postgres(settings)
    db = Database.from_settings(settings)
    with db.session() as session:
        save_demo_business(session)
        create_user(session, username=DEMO_USER, password=DEMO_PASSWORD, role="owner")
    started = time.perf_counter()
    stream = generate_demo(seed=seed, days=days)
    posts_path, _ = write_demo(stream, settings.data_dir / "demo")
    generated = time.perf_counter() - started
    pipeline = build_pipeline(db)
    started = time.perf_counter()
    with posts_path.open(encoding="utf-8") as handle:
        summary = ingest_posts(pipeline, parse_post_lines(handle))
    ingested = time.perf_counter() - started
    started = time.perf_counter()
    replay_alerts(db, settings, days=7)
    alerts = time.perf_counter() - started
    db.engine.dispose()
    return {
        "posts": summary.new,
        "matched": summary.matched,
        "generate_s": round(generated, 1),
        "ingest_s": round(ingested, 1),
        "ingest_posts_per_s": round(summary.read / ingested, 1),
        "alerts_replay_s": round(alerts, 1),
    }


def _pages(db: Database, zone_today: str) -> dict[str, str]:
    """Every page and export worth timing, with ids taken from the built database."""
    with db.session() as session:
        post_id = session.scalar(
            select(tables.Match.post_id).order_by(tables.Match.post_id.desc()).limit(1)
        )
        item_id = session.scalar(
            select(tables.InboxItem.id).order_by(tables.InboxItem.id.desc()).limit(1)
        )
        watch_id = session.scalar(select(func.min(tables.Watch.id)))
        alert_id = session.scalar(select(func.max(tables.Alert.id)))
    today = zone_today
    year_ago = (utcnow() - timedelta(days=364)).date().isoformat()
    pages = {
        "home": "/",
        "inbox": "/inbox",
        "inbox_closed": "/inbox?view=closed",
        "inbox_figures": "/inbox/figures",
        "posts": "/posts",
        "posts_all": "/posts?all=1",
        "posts_page_20": "/posts?page=20",
        "posts_watch": f"/posts?watch={watch_id}",
        "posts_negative": "/posts?sentiment=negative",
        "posts_lead": "/posts?intent=lead",
        "posts_search": "/posts?q=peinture",
        "posts_search_all": "/posts?all=1&q=angers",
        "post": f"/posts/{post_id}",
        "watches": "/watches",
        "watch": f"/watches/{watch_id}",
        "alerts": "/alerts",
        "calendar": "/calendar",
        "drafts": "/drafts",
        "report_30": "/reports",
        "report_30_csv": "/reports.csv",
        "report_30_pdf": "/reports.pdf",
        "report_365": f"/reports?start={year_ago}&end={today}",
        "report_365_csv": f"/reports.csv?start={year_ago}&end={today}",
        "report_365_pdf": f"/reports.pdf?start={year_ago}&end={today}",
        "brief_pdf": "/reports/brief.pdf",
    }
    if item_id is not None:
        pages["inbox_item"] = f"/inbox/{item_id}"
    if alert_id is not None:
        pages["alert"] = f"/alerts/{alert_id}"
    return pages


def time_pages(settings: Settings, *, repeat: int, only: str | None) -> dict[str, object]:
    db = Database.from_settings(settings)
    app = create_app(settings, db)
    today = utcnow().astimezone(settings.zone).date().isoformat()
    timings: dict[str, object] = {}
    with TestClient(app) as client:
        sign_in(client, DEMO_USER, DEMO_PASSWORD)
        for name, path in _pages(db, today).items():
            if only and not re.search(only, name):
                continue
            seconds: list[float] = []
            status = 0
            size = 0
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.get(path)
                seconds.append(time.perf_counter() - started)
                status, size = response.status_code, len(response.content)
            timings[name] = {
                "path": path,
                "status": status,
                "bytes": size,
                "p50_ms": round(1000 * statistics.median(seconds), 1),
                "p95_ms": round(1000 * quantile(seconds, 0.95), 1),
                "max_ms": round(1000 * max(seconds), 1),
            }
            print(f"{name}: {timings[name]}", file=sys.stderr)
    with db.session() as session:
        timings["_posts_stored"] = session.scalar(select(func.count(tables.Post.id)))
    db.engine.dispose()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None, help="data folder kept between runs")
    parser.add_argument("--only", default=None, help="regular expression on page names")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.keep or Path(tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        settings = bench_settings(data_dir)
        mark = data_dir / BUILT_MARK
        backend = make_url(settings.sqlalchemy_url).get_backend_name()
        built: dict[str, object] = {}
        if mark.exists():
            built = json.loads(mark.read_text())
        if built.get("days") != args.days or built.get("backend") != backend:
            built = {"days": args.days, "backend": backend, "reused": False}
            built.update(build(settings, days=args.days, seed=args.seed))
            mark.write_text(json.dumps(built))
        else:
            built["reused"] = True
        result = {
            "database": backend,
            "build": built,
            "repeat": args.repeat,
            "pages": time_pages(settings, repeat=args.repeat, only=args.only),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "bench_database_url_set": bool(BENCH_URL),
        }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
