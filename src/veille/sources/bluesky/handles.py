"""Bluesky handles for the DIDs Jetstream carries: learnt from identity events, else looked
up once on the public AppView (app.bsky.actor.getProfile) and kept, answers and failures
alike, so the firehose costs a few look-ups a second at most."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from veille.sources.base import ConnectorError, HttpGateway, json_object

log = logging.getLogger("veille.sources.bluesky.handles")

APPVIEW_URL = "https://public.api.bsky.app"


def appview_lookup(
    appview_url: str = APPVIEW_URL, gateway: HttpGateway | None = None
) -> Callable[[str], str | None]:
    """did → handle by the public AppView; None when it does not answer or has no valid one."""
    http = gateway or HttpGateway("bluesky", max_attempts=1)

    def lookup(did: str) -> str | None:
        try:
            response = http.request(
                "GET",
                f"{appview_url.rstrip('/')}/xrpc/app.bsky.actor.getProfile",
                params={"actor": did},
                timeout=5.0,
            )
            handle = json_object(response, "bluesky", "getProfile").get("handle")
        except ConnectorError as exc:
            log.info("bluesky: no handle for %s (%s)", did, exc)
            return None
        return str(handle) if handle and handle != "handle.invalid" else None

    return lookup


class HandleCache:
    """did → handle, bounded; at most ``per_second`` look-ups, the rest wait for the next
    identity event or a later post (their author keeps the DID meanwhile)."""

    def __init__(
        self,
        lookup: Callable[[str], str | None] | None = None,
        *,
        size: int = 100_000,
        per_second: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lookup = lookup
        self.size = size
        self.per_second = per_second
        self.clock = clock
        self._known: OrderedDict[str, str | None] = OrderedDict()
        self._budget = per_second
        self._last = clock()
        self.lookups = 0

    def learn(self, did: str, handle: str) -> None:
        self._keep(did, handle)

    def get(self, did: str) -> str | None:
        if did in self._known:
            self._known.move_to_end(did)
            return self._known[did]
        if self.lookup is None or not self._spend():
            return None
        self.lookups += 1
        handle = self.lookup(did)
        self._keep(did, handle)
        return handle

    def _spend(self) -> bool:
        now = self.clock()
        self._budget = min(self.per_second, self._budget + (now - self._last) * self.per_second)
        self._last = now
        if self._budget < 1:
            return False
        self._budget -= 1
        return True

    def _keep(self, did: str, handle: str | None) -> None:
        self._known[did] = handle
        self._known.move_to_end(did)
        while len(self._known) > self.size:
            self._known.popitem(last=False)
