"""Images in the composer: type from the file's first bytes, size limit, random names under
the data folder, alt text, shown on the draft page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.helpers.web import csrf_of
from tests.web.conftest import login
from veille.store import tables

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


def _account(app: FastAPI) -> int:
    with app.state.db.session() as session:
        account = tables.Account(network="mastodon", handle="claire@piaille.fr")
        session.add(account)
        session.flush()
        return account.id


def _post(client: TestClient, account: int, files: list[tuple[str, bytes]], alts: list[str]) -> Any:
    csrf = csrf_of(client.get("/drafts").text)
    return client.post(
        "/drafts",
        data={
            "text": "Avant / après du chantier",
            "account": str(account),
            "csrf": csrf,
            "alt": alts,
        },
        files=[("image", (name, data, "image/png")) for name, data in files],
        follow_redirects=False,
    )


def test_images_are_stored_with_random_names_and_shown(app: FastAPI, client: TestClient) -> None:
    account = _account(app)
    login(client)
    response = _post(
        client, account, [("avant.png", PNG), ("après.webp", WEBP)], ["Façade avant", "Après"]
    )
    assert response.status_code == 303
    url = response.headers["location"]
    with app.state.db.session() as session:
        draft = session.get(tables.Draft, int(url.rsplit("/", 1)[1]))
        assert draft is not None
        media = draft.media
    assert [m["type"] for m in media] == ["image/png", "image/webp"]
    assert [m["alt"] for m in media] == ["Façade avant", "Après"]
    folder = Path(app.state.settings.data_dir) / "media"
    assert sorted(p.name for p in folder.iterdir()) == sorted(m["file"] for m in media)
    assert "avant" not in media[0]["file"]
    page = client.get(url).text
    assert 'alt="Façade avant"' in page
    image = client.get(f"{url}/media/0")
    assert image.status_code == 200 and image.content == PNG
    assert image.headers["content-type"] == "image/png"
    assert client.get(f"{url}/media/2").status_code == 404


def test_files_that_are_not_images_or_too_big_are_refused(app: FastAPI, client: TestClient) -> None:
    account = _account(app)
    login(client)
    fake = _post(client, account, [("photo.png", b"<svg onload=alert(1)>")], [""])
    assert fake.status_code == 400 and "pas une image PNG, JPEG, GIF ou WebP" in fake.text
    big = _post(client, account, [("big.png", PNG + b"\x00" * 5_000_000)], [""])
    assert big.status_code == 400 and "5 Mo" in big.text
    folder = Path(app.state.settings.data_dir) / "media"
    assert not folder.exists() or list(folder.iterdir()) == []
