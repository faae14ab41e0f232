"""What a file handed to `veille ingest` seems to be, when nothing in it could be read.

Each registered network's own reader is tried on it (so nothing here names a network), then
the file is described by its shape: empty, binary, XML of some root, JSON of some keys.
"""

from __future__ import annotations

import json
import re
from itertools import islice
from pathlib import Path

from veille.posts import Post, parse_post
from veille.sources.payloads import load_json

_SNIFF_LIMIT = 50_000_000  # bytes; past this, only the shape is described
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)[\s>/]")


def describe_file(path: Path) -> str:
    """A French phrase: what the file seems to be, and the format that reads it if one does."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(min(size, _SNIFF_LIMIT))
    except OSError as exc:
        return f"illisible ({exc.strerror})"
    if not head.strip():
        return "un fichier vide"
    if size <= _SNIFF_LIMIT:
        readable = _readable_by(path)
        if readable:
            return f"lisible avec --format {' ou '.join(readable)}"
    return _shape(head)


def _readable_by(path: Path) -> list[str]:
    from veille.sources.registry import SOURCES  # the networks import this package

    found: list[str] = []
    with path.open("rb") as handle:
        if any(_is_post_json(line) for line in islice(handle, 1000)):
            found.append("post")
    for source in SOURCES:
        if source.load_payload is None:
            continue
        if any(isinstance(item, Post) for item in islice(source.load_payload(path), 1000)):
            found.append(source.name)
    return found


def _is_post_json(line: bytes) -> bool:
    try:
        parse_post(load_json(line.decode("utf-8")))
    except ValueError:  # UnicodeDecodeError and PostError are ValueErrors
        return False
    return True


def _shape(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "un texte UTF-16 (à convertir en UTF-8)"
    if b"\x00" in head[:4096]:
        return "un fichier binaire, pas du texte"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
        roots = [r for r in _XML_ROOT.findall(start[:65536]) if not r.startswith((b"?", b"!"))]
        if roots and roots[0].lower() == b"html":
            return "une page HTML, pas un flux"
        root = roots[0].decode("ascii", "replace") if roots else "?"
        return (
            f"un document XML (élément racine <{root}>) qui n'est pas un flux RSS ou Atom lisible"
        )
    text = start.decode("utf-8", "replace")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        first = text.splitlines()[0] if text.splitlines() else ""
        try:
            value = json.loads(first)
        except (ValueError, RecursionError):
            return "ni du JSON ni du XML"
        return f"des lignes JSON dont la première est {_json_shape(value)}"
    return f"du JSON : {_json_shape(value)}"


def _json_shape(value: object) -> str:
    if isinstance(value, dict):
        keys = ", ".join(str(k) for k in list(value)[:8])
        return f"un objet aux clés {keys}" if keys else "un objet vide"
    if isinstance(value, list):
        inner = f" d'éléments comme {_json_shape(value[0])}" if value else ""
        return f"une liste de {len(value)} éléments{inner}"
    return f"une valeur {type(value).__name__}"
