"""Finding 3: an upload the composer refuses leaves nothing on disk; one media quota for all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers.media import png
from tests.helpers.web import csrf_of, login
from veille.config import Settings
from veille.store import tables
from veille.store.db import Database
from veille.users import create_user
from veille.web.app import create_app

PHOTO = png(300, 200)


def _client(settings: Settings, db: Database) -> tuple[TestClient, int]:
    with db.session() as session:
        create_user(session, username="claire", password="bon-mot-de-passe", role="member")
        account = tables.Account(network="mastodon", handle="claire@piaille.fr")
        session.add(account)
        session.flush()
        account_id = account.id
    client = TestClient(create_app(settings, db))
    assert login(client) == 303
    return client, account_id


def _post(client: TestClient, account: int | None, files: list[tuple[str, bytes]]) -> Any:
    data: dict[str, Any] = {
        "text": "Avant / après du chantier",
        "csrf": csrf_of(client.get("/drafts").text),
    }
    if account is not None:
        data["account"] = str(account)
    data["alt"] = ["" for _ in files]
    return client.post(
        "/drafts",
        data=data,
        files=[("image", (name, body, "image/png")) for name, body in files],
        follow_redirects=False,
    )


def _media(settings: Settings) -> list[Path]:
    folder = settings.data_dir / "media"
    return sorted(folder.iterdir()) if folder.exists() else []


def _drafts(db: Database) -> int:
    with db.session() as session:
        return len(session.query(tables.Draft).all())


@pytest.mark.parametrize(
    "files",
    [
        [(f"photo{n}.png", PHOTO) for n in range(20)],  # far too many
        [("a.png", PHOTO), ("b.png", PHOTO), ("c.png", PHOTO), ("d.svg", b"<svg onload=x>")],
        [("a.png", PHOTO), ("vide.png", b"")],
    ],
)
def test_a_refused_upload_leaves_no_file(settings: Settings, db: Database, files: Any) -> None:
    client, account = _client(settings, db)
    response = _post(client, account, files)
    assert response.status_code == 400
    assert _media(settings) == [] and _drafts(db) == 0


def test_a_draft_refused_for_another_reason_leaves_no_file(
    settings: Settings, db: Database
) -> None:
    client, _ = _client(settings, db)
    response = _post(client, None, [("a.png", PHOTO), ("b.png", PHOTO)])  # no account chosen
    assert response.status_code == 400
    assert _media(settings) == [] and _drafts(db) == 0


def test_the_media_quota_holds_for_the_whole_instance(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", media_quota_mb=1, _env_file=None)  # type: ignore[call-arg]
    db = Database.from_settings(settings)
    try:
        client, account = _client(settings, db)
        big = png(1000, 500)  # compresses well: about 2 kB
        filler = settings.data_dir / "media" / "old.png"
        filler.parent.mkdir(parents=True, exist_ok=True)
        filler.write_bytes(b"\x00" * (1_000_000 - len(big) + 1))
        response = _post(client, account, [("a.png", big)])
        assert response.status_code == 400 and "VEILLE_MEDIA_QUOTA_MB" in response.text
        assert _media(settings) == [filler] and _drafts(db) == 0
        filler.write_bytes(b"\x00" * 10)
        assert _post(client, account, [("a.png", big)]).status_code == 303
        assert len(_media(settings)) == 2
    finally:
        db.engine.dispose()
