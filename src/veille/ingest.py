"""Reading Post JSON lines into the pipeline, with a line-numbered account of what was refused."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from veille.pipeline import Pipeline
from veille.posts import Post, PostError, parse_post
from veille.sources.base import ParseProblem
from veille.sources.payloads import load_payload_file


@dataclass(frozen=True)
class Rejection:
    where: str  # "ligne 12", "data[3]", "item 5"
    reason: str

    def __str__(self) -> str:
        return f"{self.where} rejetée : {self.reason}"


@dataclass
class IngestSummary:
    read: int = 0
    new: int = 0
    duplicate: int = 0
    matched: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.rejected)

    def as_dict(self) -> dict[str, object]:
        return {
            "read": self.read,
            "new": self.new,
            "duplicate": self.duplicate,
            "matched": self.matched,
            "rejected": len(self.rejected),
        }


def parse_post_lines(lines: Iterable[str]) -> Iterator[tuple[int, Post | Rejection]]:
    """Yield (line number, Post or Rejection) for each non-blank line of Post JSON."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield (
                number,
                Rejection(f"ligne {number}", f"JSON invalide : {exc.msg} (colonne {exc.colno})"),
            )
            continue
        try:
            yield number, parse_post(data)
        except PostError as exc:
            yield number, Rejection(f"ligne {number}", str(exc))


def parse_payload_items(path: Path, fmt: str) -> Iterator[tuple[int, Post | Rejection]]:
    """Posts of a saved network payload (``fmt``: a registered network), problems named."""
    for number, item in enumerate(load_payload_file(path, fmt), start=1):
        if isinstance(item, ParseProblem):
            yield number, Rejection(item.where, item.reason)
        else:
            yield number, item


def ingest_posts(
    pipeline: Pipeline,
    items: Iterable[tuple[int, Post | Rejection]],
    *,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Run parsed items through the pipeline in batches; rejections are kept, not fatal."""
    summary = IngestSummary()
    batch: list[Post] = []

    def flush() -> None:
        result = pipeline.process(batch)
        summary.new += result.new
        summary.duplicate += result.duplicate
        summary.matched += result.matched
        if progress:
            progress(len(batch))
        batch.clear()

    for _, item in items:
        if isinstance(item, Rejection):
            summary.read += 1
            summary.rejected.append(item)
            if progress:
                progress(1)
            continue
        summary.read += 1
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return summary
