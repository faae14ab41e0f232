"""Connecting accounts from the browser: X by OAuth 2.0 with PKCE, a Mastodon instance by its
OAuth (the app registered on the instance, then the authorization code), Bluesky by app
password (checked by logging in), a news feed by its URL (checked to be a feed).

The web side (``veille.web.pages_connect``) is network-blind: it reads ``FLOWS`` and calls
:func:`start`, :func:`finish` and :func:`check` with the network's name and the form.

A flow that leaves for the network keeps what the callback needs (the PKCE verifier, the
Mastodon app's secret) in the settings table under ``connect:<state>``, encrypted, for 15
minutes and for the user who started it; the callback checks the state and deletes it.
Tokens end in the account's encrypted credentials, through ``AccountTokenStore`` for X.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from sqlalchemy import delete
from sqlalchemy.orm import Session

from veille.accounts import HANDLE_REQUIRED, AccountError, connect_account
from veille.crypto import SecretBox
from veille.outbound import RefusedAddress, check_url
from veille.sources.base import ConnectorError, MemoryTokenStore
from veille.sources.bluesky.client import PDS_URL, BlueskyClient
from veille.sources.rss.client import parse_feed
from veille.sources.x.client import API_URL, AUTHORIZE_URL, XUserAuth, authorization_url
from veille.store import tables
from veille.store.repository import get_setting, put_setting
from veille.timeutil import utcnow
from veille.translations import N_

PENDING_PREFIX = "connect:"
PENDING_LIFETIME = timedelta(minutes=15)
MASTODON_SCOPES = "read write"
TIMEOUT = 15.0


@dataclass(frozen=True)
class Endpoints:
    """Where the networks are; tests point them at local servers."""

    x_api: str = API_URL
    x_authorize: str = AUTHORIZE_URL
    bluesky_pds: str = PDS_URL


@dataclass(frozen=True)
class Finished:
    """What the callback learned, for the account to be saved."""

    network: str
    handle: str
    kind: str
    label: str
    credentials: dict[str, str]
    token_key: str = ""  # a token set to save through the account's token store
    token: dict[str, str] | None = None


def _remember(
    session: Session, box: SecretBox, *, user_id: int, data: dict[str, str], state: str = ""
) -> str:
    state = state or secrets.token_urlsafe(24)
    sealed = box.encrypt(json.dumps(data))
    put_setting(
        session,
        PENDING_PREFIX + state,
        {"user": user_id, "expires": (utcnow() + PENDING_LIFETIME).isoformat(), "data": sealed},
    )
    return state


def _recall(session: Session, box: SecretBox, *, state: str, user_id: int) -> dict[str, str]:
    """The flow this state started, once: unknown, expired or someone else's is refused."""
    key = PENDING_PREFIX + state[:48]
    value = get_setting(session, key) if state else None
    session.execute(delete(tables.Setting).where(tables.Setting.key == key))
    if not value or value.get("user") != user_id:
        raise AccountError(
            N_("connection: this connection was not started here, or was used already; start again")
        )
    if str(value.get("expires", "")) < utcnow().isoformat():
        raise AccountError(N_("connection: the connection took more than 15 minutes; start again"))
    data: dict[str, str] = json.loads(box.decrypt(str(value["data"])))
    return data


def _clean(handle: str) -> str:
    handle = handle.strip().lstrip("@")
    if not handle:
        raise AccountError(HANDLE_REQUIRED)
    return handle


# ---------------------------------------------------------------- X (OAuth 2.0 with PKCE)


def start_x(
    session: Session,
    box: SecretBox,
    *,
    user_id: int,
    handle: str,
    kind: str,
    label: str,
    client_id: str,
    bearer_token: str,
    redirect_uri: str,
    endpoints: Endpoints,
) -> str:
    """The X authorization page to send the user to."""
    if not client_id.strip():
        raise AccountError(N_("client_id: give the OAuth 2.0 client id of your app on X"))
    start = authorization_url(
        client_id=client_id.strip(), redirect_uri=redirect_uri, authorize_url=endpoints.x_authorize
    )
    data = {
        "network": "x",
        "handle": _clean(handle),
        "kind": kind,
        "label": label,
        "client_id": client_id.strip(),
        "bearer_token": bearer_token.strip(),
        "verifier": start.code_verifier,
        "redirect_uri": redirect_uri,
    }
    # authorization_url chose the state: the key the callback finds the flow under.
    _remember(session, box, user_id=user_id, data=data, state=start.state)
    return start.url


def finish_x(
    session: Session,
    box: SecretBox,
    *,
    user_id: int,
    state: str,
    code: str,
    endpoints: Endpoints,
) -> Finished:
    data = _recall(session, box, state=state, user_id=user_id)
    if data.get("network") != "x":
        raise AccountError(N_("connection: this is not an X connection; start again"))
    key = f"x:{data['handle']}"
    tokens = MemoryTokenStore()
    auth = XUserAuth(client_id=data["client_id"], tokens=tokens, key=key, api_url=endpoints.x_api)
    try:
        auth.exchange_code(
            code=code, code_verifier=data["verifier"], redirect_uri=data["redirect_uri"]
        )
    except ConnectorError as exc:
        raise AccountError(
            N_("x: X refused the connection (%(detail)s)"), detail=str(exc)
        ) from None
    credentials = {"client_id": data["client_id"], "bearer_token": data["bearer_token"]}
    return Finished(
        "x", data["handle"], data["kind"], data["label"], credentials, key, tokens.load(key)
    )


# ---------------------------------------------------------------- Mastodon


def _instance(url: str, *, allow_private: bool) -> str:
    url = url.strip().rstrip("/")
    if not url:
        raise AccountError(
            N_("instance_url: give your Mastodon instance's address (e.g. mastodon.social)")
        )
    if "://" not in url:
        url = f"https://{url}"
    try:
        httpx.URL(url)  # a host no DNS name can be ("«x»") is refused here, not as a crash
    except httpx.InvalidURL:
        raise AccountError(
            N_("instance_url: %(url)r is not a web address (e.g. mastodon.social)"), url=url
        ) from None
    try:
        return check_url(url, allow_private=allow_private)
    except RefusedAddress as refused:
        raise AccountError(N_("instance_url: %(refused)s"), refused=refused) from None


def _json(response: httpx.Response, what: str) -> dict[str, Any]:
    if response.status_code != 200:
        raise AccountError(
            N_("%(where)s: the server answered HTTP %(code)s"),
            where=what,
            code=response.status_code,
        )
    try:
        body = response.json()
    except ValueError:
        raise AccountError(N_("%(where)s: the answer is not JSON"), where=what) from None
    if not isinstance(body, dict):
        raise AccountError(N_("%(where)s: the answer is not a JSON object"), where=what)
    return body


def start_mastodon(
    session: Session,
    box: SecretBox,
    *,
    user_id: int,
    instance_url: str,
    kind: str,
    label: str,
    redirect_uri: str,
    website: str,
    allow_private: bool,
) -> str:
    """Register Veille as an app on the instance; the instance's authorization page."""
    instance = _instance(instance_url, allow_private=allow_private)
    form = {
        "client_name": "Veille",
        "redirect_uris": redirect_uri,
        "scopes": MASTODON_SCOPES,
        "website": website,
    }
    try:
        answer = httpx.post(f"{instance}/api/v1/apps", data=form, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        reason = type(exc).__name__
        raise AccountError(
            N_("instance_url: %(instance)s cannot be reached (%(reason)s)"),
            instance=instance,
            reason=reason,
        ) from None
    app = _json(answer, f"{instance}/api/v1/apps")
    if not app.get("client_id") or not app.get("client_secret"):
        raise AccountError(
            N_("%(where)s: no client_id or client_secret in the answer"),
            where=f"{instance}/api/v1/apps",
        )
    data = {
        "network": "mastodon",
        "instance": instance,
        "kind": kind,
        "label": label,
        "client_id": str(app["client_id"]),
        "client_secret": str(app["client_secret"]),
        "redirect_uri": redirect_uri,
    }
    state = _remember(session, box, user_id=user_id, data=data)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": data["client_id"],
            "redirect_uri": redirect_uri,
            "scope": MASTODON_SCOPES,
            "state": state,
        }
    )
    return f"{instance}/oauth/authorize?{query}"


def finish_mastodon(
    session: Session,
    box: SecretBox,
    *,
    user_id: int,
    state: str,
    code: str,
    allow_private: bool,
) -> Finished:
    data = _recall(session, box, state=state, user_id=user_id)
    if data.get("network") != "mastodon":
        raise AccountError(N_("connection: this is not a Mastodon connection; start again"))
    instance = _instance(data["instance"], allow_private=allow_private)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": data["client_id"],
        "client_secret": data["client_secret"],
        "redirect_uri": data["redirect_uri"],
        "scope": MASTODON_SCOPES,
    }
    try:
        token = _json(httpx.post(f"{instance}/oauth/token", data=form, timeout=TIMEOUT), "token")
        access = str(token.get("access_token") or "")
        if not access:
            raise AccountError(
                N_("%(where)s: no access_token in the answer"), where=f"{instance}/oauth/token"
            )
        me = _json(
            httpx.get(
                f"{instance}/api/v1/accounts/verify_credentials",
                headers={"Authorization": f"Bearer {access}"},
                timeout=TIMEOUT,
            ),
            "verify_credentials",
        )
    except httpx.HTTPError as exc:
        raise AccountError(
            N_("%(instance)s: cannot be reached (%(reason)s)"),
            instance=instance,
            reason=type(exc).__name__,
        ) from None
    handle = f"{me.get('username') or me.get('acct')}@{urlsplit(instance).hostname}"
    credentials = {"instance_url": instance, "access_token": access}
    return Finished("mastodon", handle, data["kind"], data["label"], credentials)


# ---------------------------------------------------------------- Bluesky and feeds


def check_bluesky(*, handle: str, app_password: str, endpoints: Endpoints) -> str:
    """Log in once with the app password: a wrong one is refused before anything is saved."""
    handle = _clean(handle)
    if not app_password.strip():
        raise AccountError(
            N_("app_password: create an app password on Bluesky (Settings › App passwords)")
        )
    client = BlueskyClient(
        identifier=handle,
        app_password=app_password.strip(),
        tokens=MemoryTokenStore(),
        pds_url=endpoints.bluesky_pds,
    )
    try:
        client.login()
    except ConnectorError as exc:
        raise AccountError(
            N_("app_password: Bluesky refused this account and app password (%(detail)s)"),
            detail=str(exc),
        ) from None
    return handle


def check_feed(url: str, *, allow_private: bool) -> str:
    """The feed's URL, once it answered with an RSS or Atom document."""
    url = url.strip()
    if not url:
        raise AccountError(N_("feed_url: give the address of an RSS or Atom feed"))
    try:
        check_url(url, allow_private=allow_private)
        response = httpx.get(url, timeout=TIMEOUT, follow_redirects=False)
    except RefusedAddress as refused:
        raise AccountError(N_("feed_url: %(refused)s"), refused=refused) from None
    except httpx.HTTPError as exc:
        raise AccountError(
            N_("feed_url: %(url)s cannot be read (%(reason)s)"), url=url, reason=type(exc).__name__
        ) from None
    if response.status_code != 200:
        raise AccountError(
            N_("feed_url: %(url)s answered HTTP %(code)s"), url=url, code=response.status_code
        )
    try:
        parse_feed(response.content, feed_url=url)
    except ConnectorError:
        raise AccountError(N_("feed_url: %(url)s is not an RSS or Atom feed"), url=url) from None
    return url


def save_connected(session: Session, box: SecretBox, finished: Finished) -> tables.Account:
    """The account, with its credentials encrypted (its token set is saved by the caller,
    through the account's token store, once the row is committed)."""
    return connect_account(
        session,
        box,
        network=finished.network,
        handle=finished.handle,
        label=finished.label,
        kind=finished.kind,
        credentials=finished.credentials,
    )


# ---------------------------------------------------------------- what the web side reads


@dataclass(frozen=True)
class Flow:
    """How the accounts page connects one network."""

    network: str
    title: str
    fields: tuple[str, ...]  # the form's fields besides kind and label
    secret: tuple[str, ...]  # those typed as passwords
    leaves: bool  # the browser leaves for the network (OAuth) and comes back to the callback


FLOWS: dict[str, Flow] = {
    "x": Flow("x", "X", ("handle", "client_id", "bearer_token"), ("bearer_token",), True),
    "mastodon": Flow("mastodon", "Mastodon", ("instance_url",), (), True),
    "bluesky": Flow("bluesky", "Bluesky", ("handle", "app_password"), ("app_password",), False),
    "news": Flow("news", "RSS / Atom", ("feed_url",), (), False),
}


@dataclass(frozen=True)
class Context:
    """What every flow may need from the instance and the person connecting."""

    user_id: int
    redirect_uri: str
    website: str
    endpoints: Endpoints
    allow_private: bool


def start(
    network: str, session: Session, box: SecretBox, form: Mapping[str, str], context: Context
) -> str:
    """Begin a flow that leaves for the network; the address to send the browser to."""
    kind, label = form.get("kind") or "company", form.get("label", "")
    if network == "x":
        return start_x(
            session,
            box,
            user_id=context.user_id,
            handle=form.get("handle", ""),
            kind=kind,
            label=label,
            client_id=form.get("client_id", ""),
            bearer_token=form.get("bearer_token", ""),
            redirect_uri=context.redirect_uri,
            endpoints=context.endpoints,
        )
    if network == "mastodon":
        return start_mastodon(
            session,
            box,
            user_id=context.user_id,
            instance_url=form.get("instance_url", ""),
            kind=kind,
            label=label,
            redirect_uri=context.redirect_uri,
            website=context.website,
            allow_private=context.allow_private,
        )
    raise AccountError(N_("network: this network is not connected by a redirection"))


def finish(
    network: str, session: Session, box: SecretBox, *, state: str, code: str, context: Context
) -> Finished:
    """The callback of a flow begun by :func:`start`."""
    if network == "x":
        return finish_x(
            session,
            box,
            user_id=context.user_id,
            state=state,
            code=code,
            endpoints=context.endpoints,
        )
    if network == "mastodon":
        return finish_mastodon(
            session,
            box,
            user_id=context.user_id,
            state=state,
            code=code,
            allow_private=context.allow_private,
        )
    raise AccountError(N_("network: this network is not connected by a redirection"))


def check(network: str, form: Mapping[str, str], context: Context) -> Finished:
    """Connect in place: the credentials are tried before anything is saved."""
    kind, label = form.get("kind") or "company", form.get("label", "")
    if network == "bluesky":
        password = form.get("app_password", "")
        handle = check_bluesky(
            handle=form.get("handle", ""), app_password=password, endpoints=context.endpoints
        )
        return Finished("bluesky", handle, kind, label, {"app_password": password.strip()})
    if network == "news":
        url = check_feed(form.get("feed_url", ""), allow_private=context.allow_private)
        host = urlsplit(url).hostname or url
        return Finished("news", host, "company", label or url, {"feed_url": url})
    raise AccountError(N_("network: this network is connected by a redirection"))
