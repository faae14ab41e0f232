"""End to end in a real browser: Debian's chromium driven by Playwright against a live server."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import sync_playwright

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    found = os.environ.get("VEILLE_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail("chromium is missing: run `sh scripts/ensure-chromium.sh` (Debian's chromium)")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_url(app: FastAPI) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_log_in_search_and_see_results(live_url: str, tmp_path: Path) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.goto(f"{live_url}/posts")
            assert "/login" in page.url  # sent to the login page first
            page.fill("input[name=username]", "claire")
            page.fill("input[name=password]", "bon-mot-de-passe")
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_url}/posts")
            page.fill("input[name=q]", "renovation ANGERS")
            page.press("input[name=q]", "Enter")
            page.wait_for_url("**/posts?q=*")
            assert page.inner_text("#result-count").startswith("1 ")
            assert "Rénovation terminée à Angers" in page.inner_text(".results")
            # Hostile text stays text: no script ran, no element was injected.
            page.goto(f"{live_url}/posts?q=martin")
            assert page.locator(".results img").count() == 0
            assert "<script>" in page.inner_text(".results")
            page.screenshot(path=str(tmp_path / "search.png"))
        finally:
            browser.close()
