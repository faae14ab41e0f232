"""Images sent with a post: what the connectors upload, the per-network limits, and the
helpers their uploads share (image size for Bluesky's aspect ratio, bodies the JSON-only
gateway cannot send, errors that name the image)."""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import httpx

from veille.sources.base import ConnectorError, HttpGateway

MAX_IMAGES = 4  # Mastodon, Bluesky (app.bsky.embed.images) and X all take four photos
BLUESKY_MAX_BYTES = 1_000_000  # the images lexicon's blob maxSize, which older PDSes enforce
X_MAX_BYTES = 5_000_000  # X's limit for a photo
MASTODON_MAX_BYTES = 16_000_000  # Mastodon's default image limit (instances may set less)


@dataclass(frozen=True)
class MediaFile:
    """One image ready to upload. ``name`` is how error messages refer to it."""

    data: bytes
    mime: str
    alt: str = ""
    name: str = "image"


class MediaRefused(ConnectorError):
    """An image this network will not take (too many, too big): retrying cannot help."""


def check_media(network: str, media: Sequence[MediaFile], *, max_bytes: int) -> None:
    """Refuse before anything is uploaded, so a post is never sent with part of its images."""
    if len(media) > MAX_IMAGES:
        raise MediaRefused(network, f"{len(media)} images; a post takes at most {MAX_IMAGES}")
    for item in media:
        if not item.data:
            raise MediaRefused(network, f"{item.name}: the file is empty")
        if len(item.data) > max_bytes:
            raise MediaRefused(
                network,
                f"{item.name}: {len(item.data):,} bytes; {network} takes at most "
                f"{max_bytes:,} bytes per image (resize it and attach it again)",
            )


def about(item: MediaFile, exc: ConnectorError) -> ConnectorError:
    """The same error (same class, so the scheduler retries or not alike) naming the image."""
    cls = type(exc)
    named = cls.__new__(cls)  # not copy.copy: the subclasses' __init__ take extra arguments
    named.__dict__.update(exc.__dict__)
    prefix = f"{exc.network}: "
    text = str(exc).removeprefix(prefix)
    named.args = (f"{prefix}{item.name}: upload failed: {text}",)
    return named


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) read from a PNG, GIF, JPEG or WebP header; None when not found."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
        elif data[:6] in (b"GIF87a", b"GIF89a"):
            width, height = struct.unpack("<HH", data[6:10])
        elif data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
        elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp_size(data)
        else:
            return None
    except struct.error:
        return None
    return (int(width), int(height)) if width and height else None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        # Start-of-frame markers (not DHT C4, JPG C8, DAC CC) carry height then width.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return (width, height) if width and height else None
        at += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return (width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and data[20:21] == b"\x2f":
        bits = int.from_bytes(data[21:25], "little")
        return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return (width, height)
    return None


def send_body(
    gateway: HttpGateway,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    files: Mapping[str, tuple[str, bytes, str]] | None = None,
    content: bytes | None = None,
    data: Mapping[str, str] | None = None,
    timeout: float | None = None,
    allow: frozenset[int] = frozenset(),
) -> httpx.Response:
    """``gateway.request`` with a multipart (``files`` and ``data``) or raw (``content``) body."""
    return gateway.request(
        method,
        url,
        headers=headers,
        files=files,
        content=content,
        data=data,
        timeout=timeout,
        allow=allow,
    )
