"""Images attached to drafts: checked by their first bytes (never by name or declared type),
kept under ``data_dir/media`` with a random name, listed on ``drafts.media`` with alt text."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veille.sources import registry
from veille.translations import N_, Refusal

MAX_IMAGE_BYTES = 5_000_000  # X's limit for images; Mastodon allows more, Bluesky less
# The most images every publishing network takes in one post (each declares its own).
MAX_IMAGES = min(
    p.max_images for n in registry.publishing_networks() if (p := registry.publishing(n))
)
MAX_ALT_CHARS = 1000  # X's alt-text limit, the lowest of the three
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


class MediaError(Refusal):
    """A refused image; the message names the file and the reason."""


@dataclass(frozen=True)
class Image:
    file: str  # random name under the media folder
    mime: str
    alt: str

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "type": self.mime, "alt": self.alt}


def sniff_image(data: bytes) -> str | None:
    """The image type from its magic bytes, or None when it is none of PNG/JPEG/GIF/WebP."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def media_dir(data_dir: Path) -> Path:
    return data_dir / "media"


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed every check, not yet written."""

    data: bytes
    image: Image


def check_image(data: bytes, *, name: str, alt: str) -> CheckedImage:
    """Check one uploaded image and choose its file name; nothing is written.
    ``name`` is only used in error messages."""
    if not data:
        raise MediaError(N_("image %(name)s: the file is empty"), name=repr(name))
    if len(data) > MAX_IMAGE_BYTES:
        raise MediaError(
            N_("image %(name)s: %(size)s bytes; at most %(most)s (5 MB)"),
            name=repr(name),
            size=len(data),
            most=MAX_IMAGE_BYTES,
        )
    mime = sniff_image(data)
    if mime is None:
        raise MediaError(N_("image %(name)s: not a PNG, JPEG, GIF or WebP image"), name=repr(name))
    alt = alt.strip()
    if len(alt) > MAX_ALT_CHARS:
        raise MediaError(
            N_("image %(name)s: alt text longer than %(most)s characters"),
            name=repr(name),
            most=MAX_ALT_CHARS,
        )
    return CheckedImage(data, Image(f"{secrets.token_hex(16)}.{EXTENSIONS[mime]}", mime, alt))


def media_bytes(data_dir: Path) -> int:
    """What the media folder holds now, in bytes."""
    folder = media_dir(data_dir)
    if not folder.is_dir():
        return 0
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file())


def write_images(data_dir: Path, images: Sequence[CheckedImage], *, quota_bytes: int) -> None:
    """Write checked images, all or none, within the instance's media quota."""
    incoming = sum(len(c.data) for c in images)
    if not incoming:
        return
    held = media_bytes(data_dir)
    if held + incoming > quota_bytes:
        raise MediaError(
            N_(
                "images: the media folder holds %(held)s MB of the %(quota)s MB allowed "
                "(VEILLE_MEDIA_QUOTA_MB); delete old drafts' images or raise the quota"
            ),
            held=held // 1_000_000,
            quota=quota_bytes // 1_000_000,
        )
    folder = media_dir(data_dir)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for checked in images:
            path = folder / checked.image.file
            path.write_bytes(checked.data)
            written.append(path)
    except OSError as error:
        for path in written:
            path.unlink(missing_ok=True)
        raise MediaError(
            N_("images: could not be saved (%(reason)s)"), reason=error.strerror
        ) from None


def remove_images(data_dir: Path, images: Sequence[Image]) -> None:
    """Take back images written for a draft that was then refused."""
    for image in images:
        (media_dir(data_dir) / image.file).unlink(missing_ok=True)


def images_of(media: list[Any]) -> list[Image]:
    """The images listed on a draft (entries that are not images are skipped)."""
    return [
        Image(str(m["file"]), str(m.get("type", "")), str(m.get("alt", "")))
        for m in media
        if isinstance(m, dict) and m.get("file")
    ]


def read_image(data_dir: Path, image: Image) -> bytes:
    """The stored bytes; the name must be one we generated, so no path can escape the folder."""
    folder = media_dir(data_dir).resolve()
    path = (folder / image.file).resolve()
    if path.parent != folder or not path.is_file():
        raise MediaError(
            N_("image %(file)r: missing from %(folder)s"), file=image.file, folder=folder
        )
    return path.read_bytes()
