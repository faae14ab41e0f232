"""Ingest throughput on the demo stream: posts/s through the whole pipeline into SQLite.

    .venv/bin/python benchmarks/ingest.py [--seed 7] [--repeat-ingest]

Prints one JSON object. Never asserts a time.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from veille.config import Settings
from veille.demo.business import save_demo_business
from veille.demo.generator import generate_demo, write_demo
from veille.ingest import ingest_posts, parse_post_lines
from veille.runtime import build_pipeline
from veille.store.db import Database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url="", _env_file=None)  # type: ignore[call-arg]
        db = Database.from_settings(settings)
        with db.session() as session:
            save_demo_business(session)
        stream = generate_demo(seed=args.seed)
        posts_path, _ = write_demo(stream, Path(tmp) / "demo")
        pipeline = build_pipeline(db)
        pipeline.understander.analyze(["échauffement du modèle"], tier="accurate")
        started = time.perf_counter()
        with posts_path.open(encoding="utf-8") as handle:
            first = ingest_posts(pipeline, parse_post_lines(handle))
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        with posts_path.open(encoding="utf-8") as handle:
            again = ingest_posts(pipeline, parse_post_lines(handle))
        again_s = time.perf_counter() - started
    result = {
        "posts": first.read,
        "matched": first.matched,
        "seconds": round(first_s, 2),
        "posts_per_s": round(first.read / first_s, 1),
        "replay_duplicates": again.duplicate,
        "replay_posts_per_s": round(again.read / again_s, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
