"""Finding 5: login throttling that holds under concurrency and locks out nobody else."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi.testclient import TestClient

from veille.config import Settings
from veille.store.db import Database
from veille.web.app import create_app
from veille.web.throttle import ADDRESS_LIMIT, PAIR_LIMIT


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _login(client: httpx.Client | TestClient, username: str, password: str) -> int:
    form = client.get("/login")
    data = {"username": username, "password": password, "csrf": _csrf(form.text), "next": "/"}
    response = client.post("/login", data=data, follow_redirects=False)
    client.cookies.clear()
    return response.status_code


def test_thirty_concurrent_guesses_check_at_most_the_limit(live_url: str) -> None:
    def guess(n: int) -> int:
        with httpx.Client(base_url=live_url, timeout=60) as client:
            return _login(client, "claire", f"faux-{n}")

    with ThreadPoolExecutor(max_workers=30) as pool:
        codes = list(pool.map(guess, range(30)))
    assert codes.count(401) <= PAIR_LIMIT, codes  # passwords actually checked
    assert codes.count(429) >= 30 - PAIR_LIMIT and set(codes) <= {401, 429}
    with httpx.Client(base_url=live_url, timeout=60) as client:
        assert _login(client, "claire", "bon-mot-de-passe") == 429


def test_forwarded_for_is_not_believed_by_default(live_url: str) -> None:
    """Without a configured proxy, X-Forwarded-For cannot make each guess a new address."""
    codes = []
    for n in range(PAIR_LIMIT + 1):
        with httpx.Client(
            base_url=live_url, timeout=60, headers={"X-Forwarded-For": f"203.0.113.{n}"}
        ) as client:
            codes.append(_login(client, "claire", f"faux-{n}"))
    assert codes == [401] * PAIR_LIMIT + [429]


def test_one_persons_typos_do_not_lock_out_colleagues(settings: Settings, users: Database) -> None:
    with TestClient(create_app(settings, users)) as client:
        for _ in range(PAIR_LIMIT):
            assert _login(client, "claire", "faux") == 401
        assert _login(client, "claire", "bon-mot-de-passe") == 429
        # Paul works behind the same office router: his login goes through.
        assert _login(client, "paul", "autre-mot-de-passe") == 303


def test_a_success_does_not_reset_the_address_counter(settings: Settings, users: Database) -> None:
    with TestClient(create_app(settings, users)) as client:
        for n in range(ADDRESS_LIMIT - 2):  # one address sprays many names
            assert _login(client, f"inconnu{n}", "faux") == 401
        assert _login(client, "paul", "autre-mot-de-passe") == 303
        assert _login(client, "inconnu-a", "faux") == 401
        assert _login(client, "inconnu-b", "faux") == 401
        # The limit is reached: the success in between did not wipe the spray.
        assert _login(client, "inconnu-c", "faux") == 429
        assert _login(client, "paul", "autre-mot-de-passe") == 429
