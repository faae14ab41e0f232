"""A firehose through `veille ingest`: real public tweets in eight languages, few of which
concern the business, as Post JSON lines read and stored by the ingest command's code path.

    .venv/bin/python benchmarks/firehose.py [--posts 50000] [--batch 500] [--workers N]

The tweets are the train and validation splits of ../shared/data/xlmt-sentiment/ (never its
test split), cycled with fresh ids and authors until --posts is reached. Prints one JSON object:
posts/s end to end (and per CPU second of this process), seconds per stage (parse, known,
fast, match, rows, accurate, copies, store; with workers, "workers <stage>" adds up the workers'
seconds and "wait" is this process waiting for them), a replay of the same file (every post
already stored), the peak resident memory (of this process and of the largest worker), the
peak of all of them added up as proportional set sizes (PSS: a page a forked worker shares with
this process counts once in all, where RSS counts it in each; sampled every 0.1 s from /proc)
and the load average. --workers 0 runs everything in this process; the default is one worker
per core, as `veille ingest` does on a large file. When VEILLE_BENCH_DATABASE_URL names a
PostgreSQL database, that database is emptied and used instead of SQLite (a benchmark database
only). Never asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from bench_db import bench_settings, empty_if_postgres  # beside this file
from sqlalchemy.engine import make_url

from veille.demo.business import save_demo_business
from veille.ingest import ingest_posts, parse_post_lines
from veille.ingest_pool import default_workers, ingest_lines
from veille.runtime import build_pipeline
from veille.store.db import Database

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "xlmt-sentiment"
LANGUAGES = ("ar", "de", "en", "es", "fr", "hi", "it", "pt")
SPLITS = ("train", "val")  # the test split is held out: never read here
END = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
T = TypeVar("T")


def tweets() -> list[tuple[str, str]]:
    """(language, text) of every train and validation tweet, languages interleaved."""
    by_lang: list[list[tuple[str, str]]] = []
    for lang in LANGUAGES:
        texts: list[tuple[str, str]] = []
        for split in SPLITS:
            path = DATA / lang / f"{split}_text.txt"
            texts += [(lang, t) for t in path.read_text(encoding="utf-8").split("\n") if t.strip()]
        by_lang.append(texts)
    longest = max(len(t) for t in by_lang)
    return [texts[i] for i in range(longest) for texts in by_lang if i < len(texts)]


def write_stream(path: Path, count: int, *, authors: int = 8000) -> None:
    """``count`` Post JSON lines over the hour before END, one author in ``authors`` each."""
    source = tweets()
    step = 3600 / count
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            _lang, body = source[n % len(source)]
            who = n % authors
            post = {
                "id": str(1_900_000_000_000_000_000 + n),
                "network": "x",
                "created_at": (END - timedelta(seconds=3600 - n * step)).isoformat(),
                "text": body,
                "author": {
                    "id": str(10_000 + who),
                    "username": f"user{who}",
                    "name": f"User {who}",
                    "followers_count": (who * 37) % 5000,
                },
                "metrics": {"likes": n % 7, "reposts": n % 3, "replies": 0},
            }
            out.write(json.dumps(post, ensure_ascii=False) + "\n")


def _timed(items: Iterable[T], spent: list[float]) -> Iterator[T]:
    """Yield from ``items``, adding the time spent producing them to spent[0]."""
    iterator = iter(items)
    while True:
        started = time.perf_counter()
        try:
            item = next(iterator)
        except StopIteration:
            spent[0] += time.perf_counter() - started
            return
        spent[0] += time.perf_counter() - started
        yield item


class MemorySampler(threading.Thread):
    """The highest total PSS of this process and its children, sampled from /proc (Linux)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _family()))


def _family() -> list[int]:
    me = os.getpid()
    children: list[int] = []
    for task in Path(f"/proc/{me}/task").glob("*/children"):
        children += [int(pid) for pid in task.read_text().split()]
    return [me, *children]


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:  # a worker that has just ended
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(Path(tmp))
        backend = make_url(settings.sqlalchemy_url).get_backend_name()
        empty_if_postgres(settings)
        db = Database.from_settings(settings)
        with db.session() as session:
            save_demo_business(session)
        path = Path(tmp) / "firehose.jsonl"
        write_stream(path, args.posts)
        pipeline = build_pipeline(db)
        pipeline.understander.analyze(["échauffement du modèle"], tier="accurate")
        pipeline.understander.analyze(["warm-up"], tier="fast")
        stage_seconds = getattr(pipeline, "stage_seconds", {})  # older pipelines have none
        stage_seconds.clear()
        parse = [0.0]
        memory = MemorySampler()
        memory.start()
        started, cpu_started = time.perf_counter(), time.process_time()
        with path.open("rb") as handle:  # bytes, as `veille ingest` reads a file
            if args.workers:
                first = ingest_lines(pipeline, handle, workers=args.workers, batch_size=args.batch)
            else:
                first = ingest_posts(
                    pipeline, _timed(parse_post_lines(handle), parse), batch_size=args.batch
                )
        first_s, first_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        memory.done.set()
        stages = {"parse": parse[0], **stage_seconds} if not args.workers else dict(stage_seconds)
        stage_seconds.clear()
        started = time.perf_counter()
        with path.open("rb") as handle:
            again = ingest_lines(pipeline, handle, workers=args.workers, batch_size=args.batch)
        again_s = time.perf_counter() - started
        db.engine.dispose()
    result = {
        "database": backend,
        "workers": args.workers,
        "posts": first.read,
        "new": first.new,
        "matched": first.matched,
        "rejected": len(first.rejected),
        "seconds": round(first_s, 2),
        "posts_per_s": round(first.read / first_s, 1),
        # CPU seconds of this process alone: on a shared machine, what the ingest would reach
        # with a core to itself (the database server's work on PostgreSQL is not in it).
        "cpu_s": round(first_cpu, 2),
        "posts_per_cpu_s": round(first.read / first_cpu, 1),
        "load_average": os.getloadavg()[0],
        "stage_seconds": {k: round(v, 2) for k, v in stages.items()},
        "stage_posts_per_s": {k: round(first.read / v) for k, v in stages.items() if v > 0},
        "replay_duplicates": again.duplicate,
        "replay_posts_per_s": round(again.read / again_s, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "worker_peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
        "peak_pss_total_mb": round(memory.peak_kb / 1024, 1) if memory.peak_kb else None,
    }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
