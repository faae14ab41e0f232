"""A small Mastodon instance for the demo, on 127.0.0.1: the part of the real API Veille
publishes and replies with (``POST /api/v1/statuses`` with its Idempotency-Key and
``in_reply_to_id``, ``POST /api/v2/media``, ``verify_credentials``), so that answering from
the inbox and scheduling a post work end to end in `veille demo` with no network account.

What it received is public on its own pages: ``/`` lists the statuses, newest first, and each
status's ``url`` (``/@handle/ID``) opens it, as it would on a real instance.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEMO_TOKEN = "demo-instance-token"  # only this local instance accepts it
HANDLE = "peinturesmartin"


class _Statuses:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: list[dict[str, Any]] = []
        self.by_key: dict[str, dict[str, Any]] = {}
        self.next_id = 110_000_000_000_000_000

    def create(self, base: str, form: dict[str, Any], key: str) -> dict[str, Any]:
        with self.lock:
            if key and key in self.by_key:
                return self.by_key[key]  # the retry gets the status already created
            self.next_id += 1
            status_id = str(self.next_id)
            status = {
                "id": status_id,
                "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                "in_reply_to_id": form.get("in_reply_to_id"),
                "visibility": form.get("visibility", "public"),
                "language": form.get("language"),
                "uri": f"{base}/users/{HANDLE}/statuses/{status_id}",
                "url": f"{base}/@{HANDLE}/{status_id}",
                "content": f"<p>{escape(str(form.get('status', '')))}</p>",
                "text": str(form.get("status", "")),
                "media_attachments": [{"id": m} for m in form.get("media_ids", [])],
                "account": {"id": "1", "username": HANDLE, "acct": HANDLE},
            }
            self.items.append(status)
            if key:
                self.by_key[key] = status
            return status


class DemoInstance:
    """The instance, served from a thread; ``url`` is its base address."""

    def __init__(self, port: int) -> None:
        self.statuses = _Statuses()
        handler = type("Handler", (_Handler,), {"instance": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> DemoInstance:
        self.thread.start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    instance: DemoInstance

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the demo prints its own
        return

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value).encode(), "application/json; charset=utf-8")

    def _authorized(self) -> bool:
        if self.headers.get("Authorization") == f"Bearer {DEMO_TOKEN}":
            return True
        self._json(401, {"error": "The access token is invalid"})
        return False

    def _body(self) -> dict[str, Any]:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if "json" in (self.headers.get("Content-Type") or ""):
            value = json.loads(raw or b"{}")
            return value if isinstance(value, dict) else {}
        return {}

    def do_POST(self) -> None:
        if self.path == "/api/v1/statuses":
            if not self._authorized():
                return
            form = self._body()
            if not str(form.get("status", "")).strip() and not form.get("media_ids"):
                self._json(422, {"error": "Validation failed: Text can't be blank"})
                return
            key = self.headers.get("Idempotency-Key") or ""
            self._json(200, self.instance.statuses.create(self.instance.url, form, key))
        elif self.path == "/api/v2/media":
            if self._authorized():
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                media = {"id": "1", "type": "image", "url": f"{self.instance.url}/media/1"}
                self._json(200, media)
        else:
            self._json(404, {"error": "Record not found"})

    def do_GET(self) -> None:
        if self.path == "/api/v1/accounts/verify_credentials":
            if self._authorized():
                self._json(200, {"id": "1", "username": HANDLE, "acct": HANDLE})
        elif self.path == "/":
            self._page(list(reversed(self.instance.statuses.items)))
        elif self.path.startswith(f"/@{HANDLE}/"):
            wanted = self.path.rsplit("/", 1)[-1]
            found = [s for s in self.instance.statuses.items if s["id"] == wanted]
            if found:
                self._page(found)
            else:
                self._send(404, b"Not found", "text/plain; charset=utf-8")
        else:
            self._json(404, {"error": "Record not found"})

    def _page(self, statuses: list[dict[str, Any]]) -> None:
        rows = "".join(
            f"<article><p>{s['content']}</p><small>{escape(s['created_at'])}"
            + (f" · en réponse à {escape(str(s['in_reply_to_id']))}" if s["in_reply_to_id"] else "")
            + "</small></article>"
            for s in statuses
        )
        body = (
            "<!doctype html><html lang='fr'><meta charset='utf-8'>"
            f"<title>@{HANDLE} — instance de démonstration</title>"
            f"<h1>@{HANDLE} — instance Mastodon de démonstration</h1>"
            f"{rows or '<p>Rien de publié pour l’instant.</p>'}</html>"
        )
        self._send(200, body.encode(), "text/html; charset=utf-8")
