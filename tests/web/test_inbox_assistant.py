"""The assistant form on the inbox settings page: managers only, CSRF, the key never shown;
the item page's suggestion then comes from the endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers.web import sign_in_as
from tests.sources.servers import Request, Response, http_server
from veille.config import Settings

KEY = "sk-form-secret-key-42"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The assistant here is a server on 127.0.0.1: this instance allows local addresses."""
    return Settings(data_dir=tmp_path / "data", allow_private_urls=True, _env_file=None)  # type: ignore[call-arg]


def test_managers_set_the_assistant_and_the_key_is_never_shown(
    client: TestClient,
    ids: dict[str, int],
) -> None:
    def app(req: Request) -> Response:
        ok = req.headers.get("authorization") == f"Bearer {KEY}"
        content = "Bonjour Sophie, désolés pour l'attente : nous vous rappelons aujourd'hui."
        body: Any = {"choices": [{"message": {"role": "assistant", "content": content}}]}
        return Response(body=body) if ok else Response(401, {"error": {"message": "bad key"}})

    with http_server(app) as server:
        form = {"base_url": server.url, "model": "petit-modele", "api_key": KEY}
        for who in ("victor", "mila"):  # viewer, member
            csrf = sign_in_as(client, who)
            response = client.post("/inbox/settings/assistant", data={**form, "csrf": csrf})
            assert response.status_code == 403
        csrf = sign_in_as(client, "marc")  # manager
        assert client.post("/inbox/settings/assistant", data=form).status_code == 403
        response = client.post("/inbox/settings/assistant", data={**form, "csrf": csrf})
        assert response.status_code == 400 and "seul le propriétaire" in response.text
        csrf = sign_in_as(client, "claire")  # the owner decides where the key goes
        response = client.post("/inbox/settings/assistant", data={**form, "csrf": csrf})
        assert response.status_code == 200 and KEY not in response.text
        assert "petit-modele" in response.text
        bad = {**form, "base_url": "javascript:alert(1)", "csrf": csrf}
        response = client.post("/inbox/settings/assistant", data=bad)
        assert response.status_code == 400 and "base_url" in response.text
        page = client.get(f"/inbox/{ids['complaint']}").text
        assert "nous vous rappelons aujourd&#39;hui" in page and KEY not in page
        # A manager may change the model; saving without a key keeps the stored one.
        csrf = sign_in_as(client, "marc")
        client.post("/inbox/settings/assistant", data={**form, "api_key": "", "csrf": csrf})
        assert "nous vous rappelons" in client.get(f"/inbox/{ids['complaint']}").text
