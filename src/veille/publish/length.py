"""A text too long for a network is never cut silently: the composer is told which account
it overflows, by how much, and is offered a thread (numbered parts cut at sentence ends, each
within every chosen network's limit) or the shorter variant ``fit_length`` would make."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from veille.publish.drafts import DraftError, adapt_mentions, fit_length, limit_hashtags
from veille.sources import registry
from veille.store import tables
from veille.translations import N_

MAX_THREAD_PARTS = 25  # beyond this a thread is an article: refuse rather than post 40 parts
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
Length = Callable[[str], int]


@dataclass(frozen=True)
class Overflow:
    """One chosen account the text is too long for."""

    handle: str
    network: str
    network_name: str  # as people call it ("Bluesky")
    length: int
    limit: int
    shorter: str  # the variant fit_length would publish instead


class TooLong(DraftError):
    """The text overflows some chosen accounts; the offers are the thread and the shorter
    variants (one per overflowed account)."""

    def __init__(self, overflows: list[Overflow], thread: list[str]) -> None:
        self.thread_fits = len(thread) <= MAX_THREAD_PARTS
        where = ", ".join(f"{o.handle} ({o.network}: {o.length}/{o.limit})" for o in overflows)
        super().__init__(f"text: too long for {where}; choose a thread or a shorter variant")
        self.overflows = overflows
        self.thread = thread


def _as_published(text: str, network: str, handles: Mapping[str, Mapping[str, str]]) -> str:
    """The text as the network would get it, before any shortening."""
    return limit_hashtags(adapt_mentions(text, network, handles), network)


def overflows(
    session: Session,
    text: str,
    account_ids: Sequence[int],
    handles: Mapping[str, Mapping[str, str]] | None = None,
) -> list[Overflow]:
    """The chosen publishing accounts whose network cannot take ``text`` whole."""
    found = []
    for account_id in dict.fromkeys(account_ids):
        account = session.get(tables.Account, account_id)
        publishing = registry.publishing(account.network) if account else None
        if account is None or publishing is None:
            continue  # create_draft names unknown and non-publishing accounts
        published = _as_published(text.strip(), account.network, handles or {})
        length = publishing.text_length(published)
        if length > publishing.max_length:
            shorter = fit_length(published, account.network)
            name = registry.display_name(account.network)
            limit = publishing.max_length
            found.append(Overflow(account.handle, account.network, name, length, limit, shorter))
    return found


def _pieces(text: str, room: int, length: Length) -> list[str]:
    """Sentences, and a sentence longer than ``room`` in word runs (a word in character runs)."""
    pieces: list[str] = []
    for sentence in SENTENCE_END.split(text.strip()):
        if length(sentence) <= room:
            pieces.append(sentence)
            continue
        run = ""
        for word in sentence.split():
            while length(word) > room:  # a word longer than a post (a pasted link)
                if run:
                    pieces.append(run)
                    run = ""
                pieces.append(word[:room])
                word = word[room:]
            trial = f"{run} {word}".strip()
            if length(trial) <= room:
                run = trial
            else:
                pieces.append(run)
                run = word
        if run:
            pieces.append(run)
    return [p for p in pieces if p]


def split_thread(text: str, *, limit: int, length: Length) -> list[str]:
    """``text`` as numbered parts ("… 1/3"), each at most ``limit`` long, cut at sentence ends
    where a sentence fits, else between words."""
    room = limit - len(" 99/99")
    parts: list[str] = []
    for piece in _pieces(text, room, length):
        joined = f"{parts[-1]} {piece}" if parts else piece
        if parts and length(joined) <= room:
            parts[-1] = joined
        else:
            parts.append(piece)
    if len(parts) <= 1:
        return parts
    return [f"{part} {n}/{len(parts)}" for n, part in enumerate(parts, 1)]


def thread_for(session: Session, text: str, account_ids: Sequence[int]) -> list[str]:
    """The thread that fits every chosen account's network (the strictest limit rules)."""
    limits: list[tuple[int, Length]] = []
    for account_id in dict.fromkeys(account_ids):
        account = session.get(tables.Account, account_id)
        publishing = registry.publishing(account.network) if account else None
        if publishing is not None:
            limits.append((publishing.max_length, publishing.text_length))
    if not limits:
        return [text.strip()]
    limit = min(found[0] for found in limits)

    def length(part: str) -> int:
        """The part measured on the scale of the strictest limit, by every network's count."""
        return max(math.ceil(count(part) * limit / most) for most, count in limits)

    return split_thread(text, limit=limit, length=length)


def check_thread(parts: Sequence[str]) -> None:
    """Refuse a thread too long to be read as one."""
    if len(parts) > MAX_THREAD_PARTS:
        raise DraftError(
            N_("text: a thread of %(parts)s posts; at most %(most)s, shorten the text"),
            parts=len(parts),
            most=MAX_THREAD_PARTS,
        )
