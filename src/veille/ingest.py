"""Reading Post JSON lines into the pipeline, with a line-numbered account of what was refused."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from veille.pipeline import BatchResult, Pipeline
from veille.posts import Post, parse_post, plainly_storable_json
from veille.prepare import is_edit
from veille.sources.base import ParseProblem, PostDeleted
from veille.sources.payloads import load_payload_file
from veille.sources.revisions import apply_edits, delete_posts
from veille.translations import N_, Language, Refusal, Words, said, translator

log = logging.getLogger("veille.ingest")
T = TypeVar("T")


@dataclass(frozen=True)
class Rejection:
    """One line or item that could not be stored, where and why, said in the reader's
    language: ``where`` is words ("line 12") or a payload's own path ("data[3]"); ``reason``
    is words, or a parser's technical text kept as it is."""

    where: Words | str
    reason: Words | str

    def in_language(self, lang: Language) -> str:
        return translator(lang).gettext("%(where)s rejected: %(reason)s") % {
            "where": said(self.where, lang),
            "reason": said(self.reason, lang),
        }

    def __str__(self) -> str:
        return self.in_language("fr")


def at_line(number: int) -> Words:
    return Words(N_("line %(number)s"), number=number)


def refused_by_store(error: Exception) -> Words:
    detail = f"{type(error).__name__}: {error}"[:300]
    return Words(N_("refused by the store (%(detail)s)"), detail=detail)


def why(error: Exception) -> Words | str:
    """An error as a rejection's reason: a Refusal's words (they cross processes whole),
    anything else as its text."""
    if isinstance(error, Refusal):
        return Words(error.message, **error.fields)
    return str(error)


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


def decode_lines(
    lines: Iterable[str | bytes], *, first: int = 1
) -> Iterator[tuple[int, str | Rejection]]:
    """Each non-blank line decoded on its own (UTF-8, a leading BOM dropped), so one bad
    byte costs its line only. ``first``: the number of the first line given."""
    for number, line in enumerate(lines, start=first):
        if isinstance(line, bytes):
            if number == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                byte = line[exc.start]
                reason = Words(
                    N_("invalid UTF-8 (byte 0x%(byte)s at position %(position)s)"),
                    byte=f"{byte:02x}",
                    position=exc.start + 1,
                )
                yield number, Rejection(at_line(number), reason)
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
        raise Refusal(
            N_("invalid JSON: %(why)s (column %(column)s)"), why=exc.msg, column=exc.colno
        ) from None
    except RecursionError:
        raise Refusal(N_("JSON nested too deep")) from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise Refusal(N_("unreadable JSON: a number of more than 4,300 digits")) from None


def parse_post_lines(
    lines: Iterable[str | bytes], *, first: int = 1
) -> Iterator[tuple[int, Post | Rejection]]:
    """Yield (line number, Post or Rejection) for each non-blank line of Post JSON; no line
    can raise, whatever it holds. ``first``: the number of the first line given."""
    for number, line in decode_lines(lines, first=first):
        if isinstance(line, Rejection):
            yield number, line
            continue
        try:
            yield number, parse_post(read_json(line), storable=plainly_storable_json(line))
        except ValueError as exc:  # PostError is one
            yield number, Rejection(at_line(number), why(exc))


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


class BatchWriter(Generic[T]):
    """Stores batches of posts (or posts prepared elsewhere) through ``store``, adding up an
    IngestSummary. A batch the store refuses as a whole is tried again one post at a time, so
    the post at fault is rejected with its number (``where`` N) and the others are stored.
    Edits a network reported are applied after their batch, in the file's order."""

    def __init__(
        self,
        pipeline: Pipeline,
        store: Callable[[list[T]], BatchResult],
        *,
        progress: Callable[[int], None] | None,
        where: str,  # a msgid naming an item by its number: N_("line %(number)s")
        retry_on: tuple[type[Exception], ...] = (),
    ) -> None:
        self.pipeline = pipeline
        self.store = store
        self.progress = progress
        self.where = where
        self.retry_on = retry_on  # raised as they are: the caller retries the whole batch
        self.summary = IngestSummary()
        self.batch: list[tuple[int, T]] = []
        self.edits: list[Post] = []

    def reject(self, rejection: Rejection) -> None:
        self.summary.read += 1
        self.summary.rejected.append(rejection)
        if self.progress:
            self.progress(1)

    def add(self, number: int, item: T, edit: Post | None) -> None:
        """One post to store; ``edit``: its Post when it is an edited version."""
        self.summary.read += 1
        self.batch.append((number, item))
        if edit is not None:
            self.edits.append(edit)

    def stored_already(self, edit: Post | None) -> None:
        """One post found stored before its batch; ``edit``: its Post when it is an edited
        version."""
        self.summary.read += 1
        self.summary.duplicate += 1
        if edit is not None:
            self.edits.append(edit)
        if self.progress:
            self.progress(1)

    def _count(self, result: BatchResult) -> None:
        self.summary.new += result.new
        self.summary.duplicate += result.duplicate
        self.summary.matched += result.matched

    def flush(self) -> None:
        batch = self.batch
        try:
            if batch:
                self._count(self.store([item for _, item in batch]))
        except self.retry_on:
            raise
        except Exception:  # any failure of the batch: find the post at fault
            log.info("ingest: a batch of %d failed, storing its posts one by one", len(batch))
            for number, item in batch:
                try:
                    self._count(self.store([item]))
                except self.retry_on:
                    raise
                except Exception as exc:
                    self.summary.rejected.append(
                        Rejection(Words(self.where, number=number), refused_by_store(exc))
                    )
        if self.edits:  # posts are shared: an edit is every workspace's
            with self.pipeline.db.session(workspace_id=None) as session:
                self.summary.edited += apply_edits(session, self.edits)
            self.edits.clear()
        if self.progress:
            self.progress(len(batch))
        batch.clear()


def ingest_posts(
    pipeline: Pipeline,
    items: Iterable[tuple[int, Post | PostDeleted | Rejection]],
    *,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
    where: str = N_("line %(number)s"),
    retry_on: tuple[type[Exception], ...] = (),
    heard_by: int | None = None,
) -> IngestSummary:
    """Run parsed items through the pipeline in batches; rejections are kept, not fatal
    (BatchWriter says how). Deletions a network reported are applied in the file's order. An
    error of a ``retry_on`` type (the store out of reach, say) is raised, never turned into
    rejections: a broker worker gives its messages back rather than dropping them. The posts
    are heard by ``heard_by`` (default: the pipeline's database's workspace)."""

    def store(posts: list[Post]) -> BatchResult:
        return pipeline.process(posts, heard_by=heard_by)

    writer = BatchWriter[Post](pipeline, store, progress=progress, where=where, retry_on=retry_on)
    for number, item in items:
        if isinstance(item, PostDeleted):
            writer.flush()  # a post created then deleted in the same file goes
            with pipeline.db.session(workspace_id=None) as session:  # from every workspace
                writer.summary.deleted += delete_posts(session, [(item.network, item.post_id)])
            continue
        if isinstance(item, Rejection):
            writer.reject(item)
            continue
        writer.add(number, item, item if is_edit(item) else None)
        if len(writer.batch) >= batch_size:
            writer.flush()
    if writer.batch or writer.edits:
        writer.flush()
    return writer.summary
