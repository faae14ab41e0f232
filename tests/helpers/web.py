"""Forms through the test client: the CSRF token of a page, a new draft, signing in as someone."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.inbox.seed import PASSWORD
from tests.web.conftest import login
from veille.store import tables
from veille.store.db import Database


def csrf_of(page: str) -> str:
    """The CSRF token of a page's first form."""
    return page.split('name="csrf" value="')[1].split('"')[0]


def csrf_at(client: TestClient, path: str = "/inbox") -> str:
    """The CSRF token of the page at `path`."""
    return csrf_of(client.get(path).text)


def new_draft(client: TestClient, text: str, *accounts: int) -> str:
    """Compose a draft for `accounts`; its page's address."""
    csrf = csrf_of(client.get("/drafts").text)
    response = client.post(
        "/drafts",
        data={"text": text, "account": [str(a) for a in accounts], "csrf": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def sign_in_as(client: TestClient, username: str) -> str:
    """Log in as a user of the seeded inbox (claire keeps her own password); a CSRF token."""
    client.cookies.clear()
    assert login(client, username, PASSWORD if username != "claire" else "bon-mot-de-passe") == 303
    return csrf_at(client)


def company_accounts(db: Database, handles: dict[str, str]) -> dict[str, int]:
    """A company account per network ({network: handle}), their ids by network."""
    with db.session() as session:
        made = {
            network: tables.Account(network=network, handle=handle, kind="company")
            for network, handle in handles.items()
        }
        session.add_all(made.values())
        session.flush()
        return {network: account.id for network, account in made.items()}
