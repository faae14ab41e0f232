"""Saved raw payloads of any network, read back for ``veille ingest --format ...``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from veille.posts import Post
from veille.sources.base import ParseProblem


def load_payload_file(path: Path, fmt: str) -> Iterator[Post | ParseProblem]:
    """Posts of a saved payload, in order, with a ParseProblem for each item that is not valid.

    ``fmt`` names a registered network (its folder); each network's ``load_payload`` says
    which file it reads (docs/networks.md).
    """
    from veille.sources.registry import by_name, ingest_formats  # the networks import us

    network = by_name(fmt)
    if network is None or network.load_payload is None:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(ingest_formats())}")
    yield from network.load_payload(path)


def json_payloads(
    text: str,
    items: Callable[[object], Iterable[Post | ParseProblem]],
    *,
    one_per_line: bool,
) -> Iterator[Post | ParseProblem]:
    """The items of one JSON body, or (``one_per_line``) of one body per line as a stream is
    saved; a line that is not JSON is named, and the others are still read."""
    bodies: list[tuple[str, object]]  # (where the body starts, body)
    try:
        bodies = [("", json.loads(text))]
    except json.JSONDecodeError as exc:
        if not one_per_line:
            yield ParseProblem(f"line {exc.lineno}", f"not JSON ({exc.msg})")
            return
        bodies = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                bodies.append((f"line {number} ", json.loads(line)))
            except json.JSONDecodeError as line_exc:
                yield ParseProblem(f"line {number}", f"not JSON ({line_exc.msg})")
    for where, body in bodies:
        for item in items(body):
            if isinstance(item, ParseProblem) and where:
                item = ParseProblem(f"{where}{item.where}", item.reason)
            yield item
