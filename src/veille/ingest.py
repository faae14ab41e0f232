"""Reading Post JSON lines into the pipeline, with a line-numbered account of what was refused."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from veille.pipeline import BatchResult, Pipeline
from veille.posts import Post, parse_post, plainly_storable_json
from veille.sources.base import ParseProblem, PostDeleted
from veille.sources.payloads import load_payload_file
from veille.sources.revisions import apply_edits, delete_posts

log = logging.getLogger("veille.ingest")


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
    deleted: int = 0  # stored posts their network said were deleted
    edited: int = 0  # stored posts replaced by their edited version

    @property
    def partial(self) -> bool:
        return bool(self.rejected)

    @property
    def stored_nothing(self) -> bool:
        """Nothing could be read: no line or item was a post."""
        return self.read == len(self.rejected)

    def as_dict(self) -> dict[str, int]:
        return {
            "read": self.read,
            "new": self.new,
            "duplicate": self.duplicate,
            "matched": self.matched,
            "rejected": len(self.rejected),
        } | {k: v for k, v in (("deleted", self.deleted), ("edited", self.edited)) if v}


def decode_lines(lines: Iterable[str | bytes]) -> Iterator[tuple[int, str | Rejection]]:
    """Each non-blank line decoded on its own (UTF-8, a leading BOM dropped), so one bad
    byte costs its line only."""
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            if number == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                byte = line[exc.start]
                reason = f"UTF-8 invalide (octet 0x{byte:02x} à la position {exc.start + 1})"
                yield number, Rejection(f"ligne {number}", reason)
                continue
        else:
            text = line.removeprefix("\ufeff") if number == 1 else line
        if text.strip():
            yield number, text


def read_json(text: str) -> object:
    """One JSON value; ValueError (JSONDecodeError is one) names what is wrong."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"JSON invalide : {exc.msg} (colonne {exc.colno})") from None
    except RecursionError:
        raise ValueError("JSON imbriqué trop profondément") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise ValueError("JSON illisible : un nombre de plus de 4 300 chiffres") from None


def parse_post_lines(lines: Iterable[str | bytes]) -> Iterator[tuple[int, Post | Rejection]]:
    """Yield (line number, Post or Rejection) for each non-blank line of Post JSON; no line
    can raise, whatever it holds."""
    for number, line in decode_lines(lines):
        if isinstance(line, Rejection):
            yield number, line
            continue
        try:
            yield number, parse_post(read_json(line), storable=plainly_storable_json(line))
        except ValueError as exc:  # PostError is one
            yield number, Rejection(f"ligne {number}", str(exc))


def parse_payload_items(
    path: Path, fmt: str
) -> Iterator[tuple[int, Post | PostDeleted | Rejection]]:
    """Posts (and deletions) of a saved network payload (``fmt``: a registered network),
    problems named."""
    for number, item in enumerate(load_payload_file(path, fmt), start=1):
        if isinstance(item, ParseProblem):
            yield number, Rejection(item.where, item.reason)
        else:
            yield number, item


def ingest_posts(
    pipeline: Pipeline,
    items: Iterable[tuple[int, Post | PostDeleted | Rejection]],
    *,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
    where: str = "ligne",
    retry_on: tuple[type[Exception], ...] = (),
) -> IngestSummary:
    """Run parsed items through the pipeline in batches; rejections are kept, not fatal.

    A batch the store refuses as a whole is tried again one post at a time, so the post at
    fault is rejected with its number (``where`` N) and the others are stored. Deletions and
    edits a network reported are applied in the file's order. An error of a ``retry_on`` type
    (the store out of reach, say) is raised, never turned into rejections: a broker worker
    gives its messages back rather than dropping them."""
    summary = IngestSummary()
    batch: list[tuple[int, Post]] = []
    edits: list[Post] = []

    def add(result: BatchResult) -> None:
        summary.new += result.new
        summary.duplicate += result.duplicate
        summary.matched += result.matched

    def flush() -> None:
        try:
            if batch:
                add(pipeline.process([post for _, post in batch]))
        except retry_on:
            raise
        except Exception:  # any failure of the batch: find the post at fault
            log.info("ingest: a batch of %d failed, storing its posts one by one", len(batch))
            for number, post in batch:
                try:
                    add(pipeline.process([post]))
                except retry_on:
                    raise
                except Exception as exc:
                    reason = f"refusé à l'enregistrement ({type(exc).__name__}: {exc})"
                    summary.rejected.append(Rejection(f"{where} {number}", reason[:300]))
        if edits:
            with pipeline.db.session() as session:
                summary.edited += apply_edits(session, edits)
            edits.clear()
        if progress:
            progress(len(batch))
        batch.clear()

    for number, item in items:
        if isinstance(item, PostDeleted):
            flush()  # a post created then deleted in the same file goes
            with pipeline.db.session() as session:
                summary.deleted += delete_posts(session, [(item.network, item.post_id)])
            continue
        summary.read += 1
        if isinstance(item, Rejection):
            summary.rejected.append(item)
            if progress:
                progress(1)
            continue
        batch.append((number, item))
        if (item.model_extra or {}).get("edited"):
            edits.append(item)
        if len(batch) >= batch_size:
            flush()
    if batch or edits:
        flush()
    return summary
