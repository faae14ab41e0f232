"""Alert channels: e-mail through SMTP, and webhooks with a signed JSON body.

Webhook signature (docs/alerts.md shows how to verify it):

- ``X-Veille-Timestamp``: Unix time in seconds when the request was signed;
- ``X-Veille-Signature``: ``sha256=`` + hex HMAC-SHA256, keyed with the shared secret, of
  ``<timestamp>.<raw body bytes>``. Signing the timestamp lets a receiver refuse replays: reject
  a request whose timestamp is more than five minutes away from its own clock.

Errors name the server and what went wrong, never the password, the secret or a URL's path
(webhook URLs often carry a token in the path).
"""

from __future__ import annotations

import base64
import errno
import hashlib
import hmac
import json
import smtplib
import socket
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import urlsplit

import httpx

from veille.outbound import RefusedAddress, check_url
from veille.translations import N_, Refusal, Words

SIGNATURE_HEADER = "X-Veille-Signature"
TIMESTAMP_HEADER = "X-Veille-Timestamp"
REPLAY_TOLERANCE_SECONDS = 300


class NotifyError(Refusal):
    """A notification could not be delivered. The message never holds a secret."""


class EmailError(NotifyError):
    pass


class WebhookError(NotifyError):
    def __init__(self, message: str, *, status_code: int | None = None, **fields: object) -> None:
        super().__init__(message, **fields)
        self.status_code = status_code


@dataclass(frozen=True)
class WebhookResult:
    status_code: int
    elapsed_seconds: float
    body: str  # the start of the receiver's answer, for the delivery log


def send_email(
    *,
    host: str,
    port: int,
    username: str,
    password: str,
    use_tls: bool,
    sender: str,
    to: str | Sequence[str],
    subject: str,
    html: str,
    text: str,
    timeout: float = 10.0,
    ssl_context: ssl.SSLContext | None = None,
) -> None:
    """Send one HTML e-mail with a plain-text part.

    ``use_tls``: implicit TLS on port 465, STARTTLS on any other port. ``username`` empty
    means no login. Raises EmailError.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        raise EmailError(N_("no recipient given"))
    for name, value in (("subject", subject), ("sender", sender), *(("to", r) for r in recipients)):
        if "\r" in value or "\n" in value:
            raise EmailError(N_("e-mail %(part)s must be one line"), part=name)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    where = Words(N_("SMTP server %(address)s"), address=f"{host}:{port}")
    context = ssl_context or ssl.create_default_context()
    try:
        client: smtplib.SMTP
        if use_tls and port == 465:
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if use_tls and port != 465:
                client.ehlo()
                if not client.has_extn("starttls"):
                    raise EmailError(
                        N_("%(where)s does not offer STARTTLS; refusing to send in clear"),
                        where=where,
                    )
                client.starttls(context=context)
                client.ehlo()
            if username:
                client.login(username, password)
            client.send_message(message, from_addr=sender, to_addrs=recipients)
    except EmailError:
        raise
    except smtplib.SMTPAuthenticationError as error:
        raise EmailError(
            N_("%(where)s refused the login of %(user)r (%(code)s)"),
            where=where,
            user=username,
            code=error.smtp_code,
        ) from None
    except smtplib.SMTPRecipientsRefused as error:
        refused = ", ".join(sorted(error.recipients))
        raise EmailError(
            N_("%(where)s refused the recipients %(refused)s"), where=where, refused=refused
        ) from None
    except smtplib.SMTPException as error:
        detail = _scrub(str(error), username, password)
        raise EmailError(N_("%(where)s failed: %(detail)s"), where=where, detail=detail) from None
    except TimeoutError:
        raise EmailError(
            N_("%(where)s did not answer within %(seconds)s s"), where=where, seconds=f"{timeout:g}"
        ) from None
    except ssl.SSLError as error:
        raise EmailError(
            N_("TLS with %(where)s failed: %(detail)s"), where=where, detail=error.reason or error
        ) from None
    except OSError as error:
        raise EmailError(
            N_("cannot reach %(where)s: %(reason)s"), where=where, reason=_os_reason(error)
        ) from None


def _scrub(detail: str, username: str, password: str) -> str:
    """Remove the password, raw or as sent by AUTH PLAIN/LOGIN, from a server's message."""
    if not password:
        return detail
    forms = {
        password,
        base64.b64encode(password.encode()).decode(),
        base64.b64encode(f"\0{username}\0{password}".encode()).decode(),
    }
    for form in forms:
        detail = detail.replace(form, "***")
    return detail


def sign(body: bytes, *, secret: str, timestamp: int) -> str:
    """The X-Veille-Signature value for a body sent at ``timestamp`` (Unix seconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify_signature(
    body: bytes,
    *,
    secret: str,
    timestamp: str,
    signature: str,
    tolerance: int = REPLAY_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """What a receiver does: check the HMAC over ``timestamp.body`` and the timestamp's age."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - sent) > tolerance:
        return False
    return hmac.compare_digest(sign(body, secret=secret, timestamp=sent), signature)


def send_webhook(
    url: str,
    payload: dict[str, Any],
    *,
    secret: str,
    allow_private: bool,
    timeout: float = 10,
) -> WebhookResult:
    """POST ``payload`` as JSON, signed; raises WebhookError unless the answer is 2xx, or
    when the address is one Veille may not call (``veille.outbound``)."""
    try:
        check_url(url, allow_private=allow_private)
    except RefusedAddress as refused:
        raise WebhookError(N_("webhook %(refused)s"), refused=refused) from None
    parts = urlsplit(url)
    if not secret:
        raise WebhookError(N_("webhook secret must not be empty"))
    where = Words(
        N_("webhook %(address)s"), address=f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
    )
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Veille-Webhook/1",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(body, secret=secret, timestamp=timestamp),
    }
    started = time.monotonic()
    try:
        # No redirects: a signed alert goes where it was configured to go, nowhere else.
        response = httpx.post(
            url, content=body, headers=headers, timeout=timeout, follow_redirects=False
        )
    except httpx.TimeoutException:
        raise WebhookError(
            N_("%(where)s did not answer within %(seconds)s s"), where=where, seconds=f"{timeout:g}"
        ) from None
    except httpx.ConnectError as error:
        raise WebhookError(
            N_("cannot reach %(where)s: %(reason)s"), where=where, reason=_connect_reason(error)
        ) from None
    except httpx.HTTPError as error:
        raise WebhookError(
            N_("%(where)s failed: %(detail)s"), where=where, detail=type(error).__name__
        ) from None
    elapsed = time.monotonic() - started
    if not 200 <= response.status_code < 300:
        raise WebhookError(
            N_("%(where)s answered HTTP %(status)s"),
            status_code=response.status_code,
            where=where,
            status=response.status_code,
        )
    return WebhookResult(response.status_code, round(elapsed, 3), response.text[:500])


def _connect_reason(error: httpx.ConnectError) -> Words | str:
    cause: BaseException | None = error.__cause__ or error.__context__
    while cause is not None:
        if isinstance(cause, OSError) and (cause.strerror or isinstance(cause, socket.gaierror)):
            return _os_reason(cause)
        cause = cause.__cause__ or cause.__context__
    return Words(N_("connection failed"))


def _os_reason(error: OSError) -> Words | str:
    """Why the network refused, in the reader's words for the usual causes; else the
    system's own message."""
    if isinstance(error, socket.gaierror):
        return Words(N_("unknown host name"))
    if isinstance(error, ConnectionRefusedError):
        return Words(N_("connection refused"))
    if error.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
        return Words(N_("network unreachable"))
    return error.strerror or type(error).__name__
