"""Contracts shared by every network connector: errors, stores, clock, HTTP gateway, listeners.

A connector is small and isolated: it parses its network's wire format into ``Post`` and
talks HTTP or websocket through the helpers here, so rate limits, secrets and errors behave
the same way everywhere.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

import httpx

from veille.posts import Post

log = logging.getLogger("veille.sources")


# ---------------------------------------------------------------- errors


class ConnectorError(Exception):
    """Anything a network connector could not do; the message never holds a secret."""

    def __init__(self, network: str, message: str) -> None:
        super().__init__(f"{network}: {message}")
        self.network = network


class RateLimited(ConnectorError):
    """The network refuses more requests until ``until`` (epoch seconds)."""

    def __init__(self, network: str, message: str, *, until: float) -> None:
        super().__init__(network, message)
        self.until = until


class AuthExpired(ConnectorError):
    """The credentials were refused and could not be refreshed: reconnect the account."""


class NetworkError(ConnectorError):
    """The network could not be reached, timed out, or answered with a server error."""


class PublishTimeout(NetworkError):
    """A publish request timed out; it may or may not have been applied."""


class RequestRejected(ConnectorError):
    """The network understood the request and refused it (4xx other than 401/429)."""

    def __init__(self, network: str, message: str, *, status: int, code: str = "") -> None:
        super().__init__(network, message)
        self.status = status
        self.code = code


class MalformedPayload(ConnectorError):
    """A payload is not in the network's documented shape; the message says where and why."""


@dataclass(frozen=True)
class ParseProblem:
    """One item of a payload that could not become a Post, and why."""

    where: str  # "line 3", "data[2]", "item 5"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class PostDeleted:
    """A network said a post was deleted: what is stored of it goes too."""

    network: str
    post_id: str


@dataclass(frozen=True)
class PublishedPost:
    """What a publish returned: the network's id and a link the user can open."""

    network: str
    id: str
    url: str
    already_existed: bool = False  # found by the check-before-retry, not created again


# ---------------------------------------------------------------- time


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


@dataclass
class Backoff:
    """Growing delays between reconnects; ``reset`` after a healthy connection."""

    initial: float = 1.0
    maximum: float = 60.0
    factor: float = 2.0
    _next: float = field(default=0.0, init=False)

    def next(self) -> float:
        delay = self._next or self.initial
        self._next = min(self.maximum, delay * self.factor)
        return delay

    def reset(self) -> None:
        self._next = 0.0


# ---------------------------------------------------------------- stores


class CursorStore(Protocol):
    """Where a listener keeps its resume point (one string per source key)."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...


class TokenStore(Protocol):
    """Where a network session or OAuth token set lives; the caller encrypts at rest."""

    def load(self, key: str) -> dict[str, str] | None: ...

    def save(self, key: str, token: dict[str, str]) -> None: ...


class MemoryCursorStore:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            return self.values.get(key)

    def set(self, key: str, value: str) -> None:
        with self._lock:
            self.values[key] = value


class MemoryTokenStore:
    def __init__(self) -> None:
        self.tokens: dict[str, dict[str, str]] = {}
        self.saves = 0

    def load(self, key: str) -> dict[str, str] | None:
        token = self.tokens.get(key)
        return dict(token) if token is not None else None

    def save(self, key: str, token: dict[str, str]) -> None:
        self.tokens[key] = dict(token)
        self.saves += 1


def write_json_atomically(path: Path, data: object) -> None:
    """Write then rename, so a crash never leaves half a file (mode 0600: it may hold secrets)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1, sort_keys=True)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json_object(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object of key → value")
    return data


class JsonFileCursorStore:
    """Cursors in one JSON file, rewritten atomically on every ``set``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._values = {str(k): str(v) for k, v in read_json_object(path).items()}

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._values.get(key)

    def set(self, key: str, value: str) -> None:
        with self._lock:
            if self._values.get(key) == value:
                return
            self._values[key] = value
            write_json_atomically(self.path, self._values)


# ---------------------------------------------------------------- secrets in logs


class RedactingFilter(logging.Filter):
    """Drops credential header lines some libraries log at debug level (websockets does)."""

    _MARKERS = ("authorization", "cookie", "access_token", "password")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage().lower()
        return not any(marker in message for marker in self._MARKERS)


def quiet_logger(name: str) -> logging.Logger:
    """A logger for third-party libraries that never lets a credential header through."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
    return logger


# ---------------------------------------------------------------- HTTP with rate limits


def reset_time(headers: Mapping[str, str], now: float) -> float | None:
    """When a rate limit resets, read from any of the headers X, Bluesky and Mastodon send."""
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in ("x-rate-limit-reset", "ratelimit-reset", "x-ratelimit-reset", "retry-after"):
        raw = lowered.get(name)
        if not raw:
            continue
        raw = raw.strip()
        try:
            number = float(raw)
        except ValueError:
            pass
        else:
            # Big numbers are epoch seconds (X, Bluesky); small ones a delay (Retry-After).
            return number if number > 1e9 else now + number
        try:
            when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            try:
                when = parsedate_to_datetime(raw)
            except (TypeError, ValueError):
                continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.timestamp()
    return None


def _remaining(headers: Mapping[str, str]) -> int | None:
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in ("x-rate-limit-remaining", "ratelimit-remaining", "x-ratelimit-remaining"):
        raw = lowered.get(name)
        if raw is not None:
            try:
                return int(raw)
            except ValueError:
                return None
    return None


def _error_detail(response: httpx.Response) -> tuple[str, str]:
    """A short human reason and a machine code from an error body of any of our networks."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip(), ""
    if not isinstance(body, dict):
        return "", ""
    code = str(body.get("error") or body.get("type") or body.get("title") or "")
    parts = [
        str(body[k]) for k in ("title", "detail", "message", "error_description") if body.get(k)
    ]
    errors = body.get("errors")
    if isinstance(errors, list):
        parts += [str(e.get("message", "")) for e in errors[:3] if isinstance(e, dict)]
    if not parts and body.get("error"):
        parts.append(str(body["error"]))
    return "; ".join(p for p in parts if p)[:300], code


class HttpGateway:
    """One place where requests are sent: rate limits waited out, errors mapped, secrets hidden.

    ``max_wait`` caps how long a 429 is waited out in-line; a longer reset raises RateLimited so
    the caller can show "rate-limited until ..." instead of hanging.
    """

    def __init__(
        self,
        network: str,
        *,
        http: httpx.Client | None = None,
        clock: Clock | None = None,
        max_wait: float = 900.0,
        max_attempts: int = 3,
    ) -> None:
        self.network = network
        self.http = http or httpx.Client(timeout=httpx.Timeout(30.0, connect=10.0))
        self.clock = clock or SystemClock()
        self.max_wait = max_wait
        self.max_attempts = max_attempts
        self._exhausted_until: dict[str, float] = {}
        self._secrets: set[str] = set()
        self.rate_limited_until: float | None = None

    def hide(self, *values: str | None) -> None:
        """Remember secrets so that no message built here can contain them."""
        self._secrets.update(v for v in values if v and len(v) >= 4)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def fail(self, cls: type[ConnectorError], message: str, **extra: Any) -> ConnectorError:
        return cls(self.network, self.redact(message), **extra)

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Any = None,
        json_body: Any = None,
        data: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        content: bytes | None = None,
        timeout: float | None = None,
        allow: frozenset[int] = frozenset(),
    ) -> httpx.Response:
        """Send, waiting out rate limits; return a 2xx (or ``allow``ed) response, else raise.

        The body is JSON (``json_body``), a form (``data``), multipart (``files`` with ``data``)
        or raw bytes (``content``, with its Content-Type in ``headers``).
        """
        path = httpx.URL(url).path  # never the query: it may carry a token
        where = f"{method} {path}"
        for attempt in range(1, self.max_attempts + 1):
            self._wait_if_exhausted(where)
            try:
                response = self.http.request(
                    method,
                    url,
                    headers=headers,
                    params=params,
                    json=json_body,
                    data=data,
                    files=files,
                    content=content,
                    timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
                )
            except httpx.TimeoutException:
                cls = PublishTimeout if method == "POST" else NetworkError
                raise self.fail(cls, f"{where} timed out") from None
            except httpx.HTTPError as exc:
                raise self.fail(NetworkError, f"{where} failed: {type(exc).__name__}") from None
            self._note_limits(where, response)
            if response.status_code == 429:
                until = reset_time(response.headers, self.clock.now())
                until = until if until is not None else self.clock.now() + 60.0
                self.rate_limited_until = until
                wait = until - self.clock.now() + 1.0
                if wait > self.max_wait or attempt == self.max_attempts:
                    stamp = datetime.fromtimestamp(until, UTC).isoformat(timespec="seconds")
                    raise self.fail(RateLimited, f"{where} rate-limited until {stamp}", until=until)
                log.info("%s: %s rate-limited, waiting %.0f s", self.network, where, wait)
                self.clock.sleep(max(0.0, wait))
                continue
            self.rate_limited_until = None
            if response.is_success or response.status_code in allow:
                return response
            detail, code = _error_detail(response)
            message = f"{where} answered {response.status_code}" + (f": {detail}" if detail else "")
            if response.status_code == 401 or code in {"ExpiredToken", "InvalidToken"}:
                raise self.fail(AuthExpired, message)
            if response.status_code >= 500:
                raise self.fail(NetworkError, message)
            raise self.fail(RequestRejected, message, status=response.status_code, code=code)
        raise AssertionError("unreachable")  # pragma: no cover

    def _note_limits(self, where: str, response: httpx.Response) -> None:
        remaining = _remaining(response.headers)
        if remaining == 0 and response.status_code != 429:
            until = reset_time(response.headers, self.clock.now())
            if until is not None:
                self._exhausted_until[where] = until
        else:
            self._exhausted_until.pop(where, None)

    def _wait_if_exhausted(self, where: str) -> None:
        until = self._exhausted_until.pop(where, None)
        if until is None:
            return
        wait = until - self.clock.now() + 1.0
        if wait > self.max_wait:
            stamp = datetime.fromtimestamp(until, UTC).isoformat(timespec="seconds")
            raise self.fail(RateLimited, f"{where} rate-limited until {stamp}", until=until)
        if wait > 0:
            self.clock.sleep(wait)


def json_object(response: httpx.Response, network: str, where: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise MalformedPayload(network, f"{where}: response is not JSON") from None
    if not isinstance(body, dict):
        raise MalformedPayload(network, f"{where}: expected a JSON object")
    return body


# ---------------------------------------------------------------- listening


OnPost = Callable[[Post], None]
# A post and the workspace whose source heard it (None: the command line's own workspace).
OnHeard = Callable[[Post, int | None], None]
OnProblem = Callable[[ParseProblem], None]
# Told after each connection or poll: None when it worked, else the error that stopped it.
OnHealth = Callable[[ConnectorError | None], None]


def report_health(on_health: OnHealth | None, error: ConnectorError | None = None) -> None:
    """Tell ``on_health``; a failing report (database down) must not stop the listener."""
    if on_health is None:
        return
    try:
        on_health(error)
    except Exception as exc:
        log.warning("could not record the account state (%s)", type(exc).__name__)


class Listener(Protocol):
    """A source that runs until ``stop`` is set, handing each post to ``on_post``.

    It reconnects by itself, persists its resume point through its CursorStore, and returns
    (after saving) once ``stop`` is set.
    """

    name: str

    def listen(self, on_post: OnPost, stop: threading.Event) -> None: ...


def log_problem(network: str, problem: ParseProblem, on_problem: OnProblem | None) -> None:
    log.warning("%s: skipped a malformed message (%s)", network, problem)
    if on_problem is not None:
        on_problem(problem)
