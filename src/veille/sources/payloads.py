"""Saved raw payloads of any network, read back for ``veille ingest --format ...``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from veille.posts import Post
from veille.sources.base import ParseProblem, PostDeleted

# What reading a saved payload yields: a post, a deletion the network reported, or a problem.
Item = Post | PostDeleted | ParseProblem


def load_payload_file(path: Path, fmt: str) -> Iterator[Item]:
    """Posts of a saved payload, in order, with a ParseProblem for each item that is not valid.

    ``fmt`` names a registered network (its folder); each network's ``load_payload`` says
    which file it reads (docs/networks.md).
    """
    from veille.sources.registry import by_name, ingest_formats  # the networks import us

    network = by_name(fmt)
    if network is None or network.load_payload is None:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(ingest_formats())}")
    yield from network.load_payload(path)


def load_json(text: str) -> object:
    """One JSON value; ValueError says why not (never RecursionError, whatever the depth)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from None
    except RecursionError:
        raise ValueError("not readable JSON (nested too deeply)") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise ValueError("not readable JSON (a number of more than 4,300 digits)") from None


def guarded(items: Iterable[Item], where: Callable[[int], str]) -> Iterator[Item]:
    """The items of a parser, a failure it did not foresee turned into a problem at ``where``
    (item number) instead of a traceback that would cost every item after it."""
    iterator = iter(items)
    number = 0
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
            yield ParseProblem(where(number), f"unreadable ({type(exc).__name__}: {exc})"[:300])
            return
        number += 1
        yield item


def json_bodies(
    document: bytes, *, one_per_line: bool
) -> Iterator[tuple[str, object] | ParseProblem]:
    """The JSON bodies of a file, each with where it starts ("" for a whole document, "line N "
    for one body per line as a stream is saved); a line that is not UTF-8 or not JSON is
    named, and the others are still read."""
    if not document.strip():
        yield ParseProblem("(document)", "not posts: an empty file")
        return
    try:
        yield ("", load_json(document.decode("utf-8-sig")))
        return
    except UnicodeDecodeError as exc:
        if not one_per_line:
            line = document.count(b"\n", 0, exc.start) + 1
            yield ParseProblem(f"line {line}", f"not UTF-8 (byte 0x{document[exc.start]:02x})")
            return
    except ValueError as exc:
        first = document.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0].strip()
        if not one_per_line or first in (b"{", b"["):  # one pretty-printed body, broken
            yield ParseProblem("(document)", str(exc))
            return
    for number, raw in enumerate(document.splitlines(), start=1):
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield ParseProblem(f"line {number}", f"not UTF-8 (byte 0x{raw[exc.start]:02x})")
            continue
        if not text.strip():
            continue
        try:
            yield (f"line {number} ", load_json(text))
        except ValueError as exc:
            yield ParseProblem(f"line {number}", str(exc))


def json_payloads(
    document: bytes,
    items: Callable[[object], Iterable[Item]],
    *,
    one_per_line: bool,
) -> Iterator[Item]:
    """The items of one JSON body, or (``one_per_line``) of one body per line; problems
    are named by line (see ``json_bodies``)."""
    for body in json_bodies(document, one_per_line=one_per_line):
        if isinstance(body, ParseProblem):
            yield body
            continue
        where, value = body
        for item in guarded(items(value), lambda n: f"item {n + 1}"):
            if isinstance(item, ParseProblem) and (where or not item.where):
                item = ParseProblem(f"{where}{item.where}".strip() or "(document)", item.reason)
            yield item
