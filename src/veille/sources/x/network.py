"""X, declared once: API v2 payloads, the filtered stream, mentions and searches, publishing
with the user's OAuth 2.0 (PKCE) token, posts counted the twitter-text way, paid per post."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from veille.posts import Post
from veille.sources.base import AuthExpired, Listener, PublishedPost, TokenStore
from veille.sources.media import MAX_IMAGES, X_MAX_BYTES
from veille.sources.network import (
    AccountListening,
    AccountPublishing,
    BrowserCount,
    Listening,
    Network,
    Publishing,
    PublishJob,
    SourcesFile,
)
from veille.sources.payloads import Item, json_payloads
from veille.sources.polling import CursorPoll, IntervalPoller
from veille.sources.x.client import (
    API_URL,
    XClient,
    XFilteredStream,
    XUserAuth,
    estimate_post_cost,
    iter_x_response,
)
from veille.sources.x.rules import translate_rule
from veille.sources.x.text import LIGHT_RANGES, MAX_LENGTH, URL_WEIGHT, x_length
from veille.translations import N_

NAME = "x"


def load_payload(path: Path) -> Iterator[Item]:
    """An API v2 response body (``data`` with ``includes``), or one body per line as saved
    from the filtered stream."""
    return json_payloads(path.read_bytes(), iter_x_response, one_per_line=True)


def listeners(account: AccountListening) -> list[Listener]:
    """Mentions of this account; for the first X account, also the app-wide stream and the
    searches (X allows one filtered stream per app, and searches do not depend on the
    account)."""
    handle = account.handle
    options = account.options
    client = XClient(
        bearer_token=account.credentials["bearer_token"],
        api_url=options.endpoint(NAME, API_URL),
    )
    user_ids: list[str] = []

    def mentions(since: str | None) -> tuple[list[Post], str | None]:
        if not user_ids:
            user_ids.append(client.user_id(handle))
        return client.mentions(user_ids[0], since_id=since, max_pages=5 if since else 1)

    built: list[Listener] = [
        IntervalPoller(
            f"x:mentions:{handle}",
            [CursorPoll(account.cursors, f"x:mentions:{handle}", mentions)],
            interval=options.mentions_interval,
            on_health=account.reporter("mentions"),
        )
    ]
    if not account.first:
        return built
    built.append(
        XFilteredStream(client, on_health=account.reporter("stream"), rules=account.current_rules)
    )
    searches = []
    for tag, rule in account.rules.items():
        translation = translate_rule(rule)
        if translation.x_rule is None:
            continue

        def search(
            since: str | None, query: str = translation.x_rule
        ) -> tuple[list[Post], str | None]:
            return client.recent_search(query, since_id=since, max_pages=5 if since else 1)

        searches.append(CursorPoll(account.cursors, f"x:search:{tag}", search))
    if searches:
        built.append(
            IntervalPoller(
                "x:search",
                list(searches),
                interval=options.search_interval,
                on_health=account.reporter("search"),
            )
        )
    return built


class _AccountPageTokens:
    """The token store, seeded with the tokens typed on the accounts page until the first
    refresh stores a token set of its own."""

    def __init__(self, tokens: TokenStore, credentials: Mapping[str, str]) -> None:
        self.tokens = tokens
        self.credentials = credentials

    def load(self, key: str) -> dict[str, str] | None:
        token = self.tokens.load(key)
        if token is None and "access_token" in self.credentials:
            creds = self.credentials
            token = {k: creds[k] for k in ("access_token", "refresh_token") if k in creds}
            token.setdefault("expires_at", "0" if "refresh_token" in token else "9e18")
        return token

    def save(self, key: str, token: dict[str, str]) -> None:
        self.tokens.save(key, token)


def publish(account: AccountPublishing, job: PublishJob) -> PublishedPost:
    """Create the post; after an attempt that may have gone through, look for it first among
    the account's recent posts."""
    creds = account.credentials
    if not creds.get("client_id"):
        raise AuthExpired(NAME, "client id missing; reconnect the account")
    api = account.endpoint or API_URL
    user = XUserAuth(
        client_id=creds["client_id"],
        tokens=_AccountPageTokens(account.tokens, creds),
        key=f"x:{account.handle}",
        gateway=account.gateway,
        api_url=api,
    )
    client = XClient(
        bearer_token=creds.get("bearer_token"), user=user, api_url=api, gateway=account.gateway
    )
    if job.unknown_since is not None:
        found = client.find_own_post(
            job.text, reply_to_id=job.in_reply_to, since=job.unknown_since.timestamp() - 120
        )
        if found is not None:
            return found
    # Images are read only now: a post found online needs none of them.
    return client.create_post(job.text, reply_to_id=job.in_reply_to, media=account.media())


def check_reply_target(target: str) -> str | None:
    if not target.isdigit():
        return f"post: {target!r} is not an X post id; cannot reply to it"
    return None


def from_sources_file(sections: Sequence[dict[str, Any]], file: SourcesFile) -> list[Listener]:
    found: list[Listener] = []
    for section in sections:
        where = f"{file.path} [x]"
        token = file.secret_from_env(section, "bearer_token_env", where)
        if token is None:
            raise file.error(f"{where}: 'bearer_token_env' is required")
        client = XClient(bearer_token=token, api_url=str(section.get("api_url", API_URL)))
        found.append(XFilteredStream(client))
    return found


def post_link(username: str, post_id: str, payload: Mapping[str, Any]) -> str | None:
    return f"https://x.com/{username}/status/{post_id}"


NETWORK = Network(
    name=NAME,
    display_name="X",
    network=NAME,
    credential_fields=("bearer_token", "client_id", "access_token", "refresh_token"),
    connect_flow="oauth2_pkce",  # veille.sources.x.client.authorization_url / XUserAuth
    ingest_help=N_("x (API v2 answer)"),
    load_payload=load_payload,
    sources_section="x",
    from_sources_file=from_sources_file,
    listening=Listening(requires=("bearer_token",), missing="bearer token", build=listeners),
    publishing=Publishing(
        publish=publish,
        text_length=x_length,
        max_length=MAX_LENGTH,
        max_hashtags=2,
        max_images=MAX_IMAGES,
        max_image_bytes=X_MAX_BYTES,
        check_reply_target=check_reply_target,
        post_cost=estimate_post_cost,
        links_cost_more=True,
        browser_count=BrowserCount(url_weight=URL_WEIGHT, light_ranges=LIGHT_RANGES),
    ),
    post_link=post_link,
)
