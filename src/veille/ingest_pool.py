"""Post JSON lines through the pipeline with parsing, the fast tier and matching spread over
the cores: worker processes take raw lines and give back plain rows (veille.prepare), and this
process, the single writer, runs the deep stages for matched posts and writes the store.

A parsed Post costs as much to send between processes as to parse, so workers never send
one back, except for the few posts a later stage needs (matched or edited posts).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from veille.ingest import (
    BatchWriter,
    IngestSummary,
    Rejection,
    at_line,
    ingest_posts,
    parse_post_lines,
    refused_by_store,
)
from veille.pipeline import Pipeline
from veille.posts import Post
from veille.prepare import Prepared, Preparer, is_edit
from veille.store import repository
from veille.translations import N_

log = logging.getLogger("veille.ingest")

# Below this many lines the pool's start-up costs more than it saves: one process does it all.
POOL_THRESHOLD = 5000
# Chunks sent ahead per worker: enough to keep every worker busy, few enough to bound memory
# whatever the input's length (a stream on standard input, say).
AHEAD = 3


@dataclass(frozen=True)
class Stored:
    """A post the store already held when its worker read it: nothing to redo, except an
    edited version to apply."""

    edit: Post | None
    key: tuple[str, str]  # (network, post id): heard by this ingest's workspace too


ChunkResult = tuple[list[tuple[int, Prepared | Stored | Rejection]], dict[str, float]]


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def ingest_lines(
    pipeline: Pipeline,
    lines: Iterable[str | bytes],
    *,
    workers: int | None = None,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Post JSON lines into the store, rejections kept with their line numbers.

    ``workers``: processes that parse, run the fast tier and match (None: one per core when
    the input holds POOL_THRESHOLD lines or more; 0: everything in this process). The pool
    needs the fork start method (Linux); elsewhere everything runs in this process."""
    rest = iter(lines)
    head = list(islice(rest, POOL_THRESHOLD))
    count = default_workers() if workers is None else workers
    small = workers is None and len(head) < POOL_THRESHOLD
    if count < 1 or small or "fork" not in multiprocessing.get_all_start_methods():
        return ingest_posts(
            pipeline,
            parse_post_lines(chain(head, rest)),
            batch_size=batch_size,
            progress=progress,
        )
    return _ingest_in_pool(pipeline, chain(head, rest), count, batch_size, progress)


def _ingest_in_pool(
    pipeline: Pipeline,
    lines: Iterator[str | bytes],
    workers: int,
    batch_size: int,
    progress: Callable[[int], None] | None,
) -> IngestSummary:
    writer = BatchWriter[Prepared](
        pipeline, pipeline.process_prepared, progress=progress, where=N_("line %(number)s")
    )
    seconds = pipeline.stage_seconds
    # Forked: the workers start at once with the rules compiled and the models loaded here.
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(pipeline.preparer, pipeline.db.engine),
    )

    def take(future: Future[ChunkResult]) -> None:
        started = time.perf_counter()
        items, spent = future.result()
        seconds["wait"] += time.perf_counter() - started
        for stage, value in spent.items():
            seconds[f"workers {stage}"] += value
        stored = [item.key for _, item in items if isinstance(item, Stored)]
        if stored:
            pipeline.hear(stored)
        for number, item in items:
            if isinstance(item, Rejection):
                writer.reject(item)
            elif isinstance(item, Stored):
                writer.stored_already(item.edit)
            else:
                post = item.post
                writer.add(number, item, post if post is not None and is_edit(post) else None)
        writer.flush()

    try:
        pending: deque[Future[ChunkResult]] = deque()
        first = 1
        while chunk := list(islice(lines, batch_size)):
            pending.append(pool.submit(prepare_chunk, first, chunk))
            first += len(chunk)
            if len(pending) >= AHEAD * workers:
                take(pending.popleft())
        while pending:
            take(pending.popleft())
    finally:
        pool.shutdown(cancel_futures=True)
    return writer.summary


# A worker's own, set when it starts.
_preparer: Preparer | None = None
_engine: Engine | None = None


def _start_worker(preparer: Preparer, engine: Engine) -> None:
    global _preparer, _engine
    # The parent's database connections stay the parent's; the worker opens its own, to read.
    engine.dispose(close=False)
    preparer.seconds = {}
    _preparer, _engine = preparer, engine


def prepare_chunk(first: int, lines: list[str | bytes]) -> ChunkResult:
    """In a worker: lines numbered from ``first`` -> (line number, Prepared or Rejection)
    for each non-blank line, and the seconds spent per stage."""
    preparer = _preparer
    assert preparer is not None, "prepare_chunk runs in a worker started by _start_worker"
    started = time.perf_counter()
    parsed = list(parse_post_lines(lines, first=first))
    parse_s = time.perf_counter() - started
    posts = [(n, item) for n, item in parsed if isinstance(item, Post)]
    started = time.perf_counter()
    try:  # a replayed file: skip the models for stored posts
        with Session(_engine) as session:
            known = set(repository.existing_posts(session, (post.key for _, post in posts)))
    except Exception:  # a shortcut only: the writer checks every post again
        log.info("ingest: a worker could not look its chunk up", exc_info=True)
        known = set()
    known_s = time.perf_counter() - started
    done: dict[int, Prepared | Stored | Rejection] = {
        n: Stored(post if is_edit(post) else None, post.key)
        for n, post in posts
        if post.key in known
    }
    done.update(_prepare(preparer, [(n, p) for n, p in posts if p.key not in known]))
    out = [(n, item if isinstance(item, Rejection) else done[n]) for n, item in parsed]
    spent = {"parse": parse_s, "known": known_s, **preparer.seconds}
    preparer.seconds.clear()
    return out, spent


def _prepare(
    preparer: Preparer, posts: list[tuple[int, Post]]
) -> Iterator[tuple[int, Prepared | Rejection]]:
    """The chunk's posts prepared together; when that fails, one at a time, so a post the
    models cannot take costs its own line only (as in process)."""
    try:
        prepared = preparer.prepare([post for _, post in posts], keep_posts=False)
    except Exception:
        log.info("ingest: a chunk of %d failed to prepare, one by one", len(posts))
    else:
        yield from zip((n for n, _ in posts), prepared, strict=True)
        return
    for number, post in posts:
        try:
            (item,) = preparer.prepare([post], keep_posts=False)
        except Exception as exc:
            yield number, Rejection(at_line(number), refused_by_store(exc))
        else:
            yield number, item
