"""The connectors' media helpers: image sizes read from real headers, limits refused before
any upload, bodies the JSON gateway cannot carry, and errors that name the image."""

from __future__ import annotations

import struct

import pytest

from tests.helpers.media import multipart, png
from tests.sources.servers import Request, Response, http_server
from veille.sources.base import HttpGateway, NetworkError, RateLimited, RequestRejected
from veille.sources.media import (
    BLUESKY_MAX_BYTES,
    MediaFile,
    MediaRefused,
    about,
    check_media,
    image_size,
    send_body,
)


def jpeg(width: int, height: int) -> bytes:
    """SOI, an APP0 segment, then a baseline start-of-frame with the size."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def test_image_size_reads_png_gif_jpeg_and_webp_headers() -> None:
    assert image_size(png(30, 20)) == (30, 20)
    assert image_size(b"GIF89a" + struct.pack("<HH", 640, 480) + b"\x00" * 8) == (640, 480)
    assert image_size(jpeg(1200, 800)) == (1200, 800)
    vp8x = b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x0a\x00\x00\x00" + b"\x00" * 4
    vp8x += (1023).to_bytes(3, "little") + (767).to_bytes(3, "little")
    assert image_size(vp8x) == (1024, 768)
    assert image_size(b"not an image at all") is None
    assert image_size(b"\x89PNG\r\n\x1a\n") is None  # truncated


def test_check_media_refuses_too_many_and_too_big_before_anything_is_sent() -> None:
    small = MediaFile(png(2, 2), "image/png", "", "image 1/5")
    with pytest.raises(MediaRefused, match="5 images; a post takes at most 4"):
        check_media("x", [small] * 5, max_bytes=BLUESKY_MAX_BYTES)
    big = MediaFile(b"\x89PNG" + b"\x00" * BLUESKY_MAX_BYTES, "image/png", "", 'image 1/1 "Vue"')
    with pytest.raises(MediaRefused, match=r'bluesky: image 1/1 "Vue": 1,000,004 bytes'):
        check_media("bluesky", [big], max_bytes=BLUESKY_MAX_BYTES)
    check_media("bluesky", [small] * 4, max_bytes=BLUESKY_MAX_BYTES)  # accepted


def test_about_keeps_the_error_class_and_its_details() -> None:
    item = MediaFile(b"", "image/png", "", 'image 2/2 "Façade"')
    limited = about(item, RateLimited("x", "POST /2/media/upload rate-limited", until=42.0))
    assert isinstance(limited, RateLimited) and limited.until == 42.0
    assert str(limited) == 'x: image 2/2 "Façade": upload failed: POST /2/media/upload rate-limited'
    refused = about(item, RequestRejected("mastodon", "answered 422", status=422, code="x"))
    assert isinstance(refused, RequestRejected) and refused.status == 422
    assert refused.network == "mastodon"


def test_send_body_carries_raw_and_multipart_bodies_through_the_gateway() -> None:
    def app(request: Request) -> Response:
        if request.path == "/raw":
            return Response(200, {"type": request.headers["content-type"], "n": len(request.body)})
        fields = multipart(request)
        return Response(200, {name: value[0].decode() for name, value in fields.items()})

    with http_server(app) as server:
        gateway = HttpGateway("bluesky")
        raw = send_body(
            gateway,
            "POST",
            f"{server.url}/raw",
            headers={"Content-Type": "image/png"},
            content=b"\x89PNG1234",
        )
        assert raw.json() == {"type": "image/png", "n": 8}
        form = send_body(
            gateway,
            "POST",
            f"{server.url}/form",
            headers={},
            files={"file": ("image.png", b"PNGDATA", "image/png")},
            data={"description": "Façade"},
        )
        assert form.json() == {"file": "PNGDATA", "description": "Façade"}


def test_send_body_errors_are_the_gateways_with_secrets_hidden() -> None:
    def app(request: Request) -> Response:
        return Response(500, {"error": f"broken for {request.headers['authorization']}"})

    with http_server(app) as server:
        gateway = HttpGateway("mastodon", max_attempts=1)
        gateway.hide("tok-secret-123")
        with pytest.raises(NetworkError) as caught:
            send_body(
                gateway,
                "POST",
                f"{server.url}/api/v2/media?access_token=tok-secret-123",
                headers={"Authorization": "Bearer tok-secret-123"},
                files={"file": ("image.png", b"PNG", "image/png")},
            )
    message = str(caught.value)
    assert message.startswith("mastodon: POST /api/v2/media answered 500")
    assert "tok-secret-123" not in message
