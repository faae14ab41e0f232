"""E-mail to a real SMTP server and signed webhooks to a real HTTP server, both on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import socket
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from tests.report.conftest import Mailbox, Received
from veille.notify import (
    EmailError,
    WebhookError,
    send_email,
    send_webhook,
    sign,
    verify_signature,
)

SECRET = "whsec-7d1f0c2a9b"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mail(port: int, box: Mailbox, **overrides: object) -> None:
    arguments: dict[str, object] = {
        "host": "127.0.0.1",
        "port": port,
        "username": box.username,
        "password": box.password,
        "use_tls": False,
        "sender": "veille@peinture-martin.fr",
        "to": ["patron@peinture-martin.fr", "equipe@peinture-martin.fr"],
        "subject": "Alerte : pic de mentions négatives",
        "html": "<p>12 messages négatifs depuis 14&nbsp;h</p>",
        "text": "12 messages négatifs depuis 14 h",
    }
    arguments.update(overrides)
    send_email(**arguments)  # type: ignore[arg-type]


def test_email_reaches_the_smtp_server_with_both_parts(smtp_server: tuple[int, Mailbox]) -> None:
    port, box = smtp_server
    mail(port, box)
    assert box.logins == ["patron"]
    [(sender, recipients, raw)] = box.messages
    assert sender == "veille@peinture-martin.fr"
    assert recipients == ["patron@peinture-martin.fr", "equipe@peinture-martin.fr"]
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert message["Subject"] == "Alerte : pic de mentions négatives"
    assert message["To"] == "patron@peinture-martin.fr, equipe@peinture-martin.fr"
    html = message.get_body(("html",))
    text = message.get_body(("plain",))
    assert html is not None and text is not None
    assert "12 messages négatifs depuis 14&nbsp;h" in html.get_content()
    assert text.get_content().strip() == "12 messages négatifs depuis 14 h"


def test_email_errors_are_clear_and_never_show_the_password(
    smtp_server: tuple[int, Mailbox],
) -> None:
    port, box = smtp_server
    with pytest.raises(EmailError) as refused:
        mail(port, box, password="wrong-Pa55word")
    assert "refused the login of 'patron'" in str(refused.value)
    assert "wrong-Pa55word" not in str(refused.value)
    closed = free_port()
    with pytest.raises(EmailError, match=f"cannot reach SMTP server 127.0.0.1:{closed}") as down:
        mail(closed, box)
    assert box.password not in str(down.value)
    with pytest.raises(EmailError, match="does not offer STARTTLS"):
        mail(port, box, use_tls=True)
    with pytest.raises(EmailError, match="subject must be one line"):
        mail(port, box, subject="Alerte\r\nBcc: everyone@example.org")
    assert box.messages == []


def test_webhook_body_is_signed_and_the_receiver_can_check_it(
    hook_server: tuple[str, list[Received]],
) -> None:
    base, received = hook_server
    payload = {"event": "alert.opened", "watch": "Ma marque", "alert": {"score": 7.5}}
    result = send_webhook(base + "/hooks/veille", payload, secret=SECRET, allow_private=True)
    assert result.status_code == 204
    [request] = received
    assert request.json() == payload
    assert request.headers["content-type"].startswith("application/json")
    timestamp = request.headers["x-veille-timestamp"]
    assert abs(int(timestamp) - time.time()) < 60
    # What a receiver computes from the documentation alone.
    expected = hmac.new(SECRET.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256)
    assert request.headers["x-veille-signature"] == "sha256=" + expected.hexdigest()
    signature = request.headers["x-veille-signature"]
    assert verify_signature(request.body, secret=SECRET, timestamp=timestamp, signature=signature)
    assert not verify_signature(
        request.body + b" ", secret=SECRET, timestamp=timestamp, signature=signature
    )
    assert not verify_signature(
        request.body, secret="other", timestamp=timestamp, signature=signature
    )
    # A replay ten minutes later is refused even with the right signature.
    later = int(timestamp) + 600
    assert not verify_signature(
        request.body, secret=SECRET, timestamp=timestamp, signature=signature, now=later
    )


def test_webhook_errors_name_the_problem_without_the_secret(
    hook_server: tuple[str, list[Received]],
) -> None:
    base, _ = hook_server
    with pytest.raises(WebhookError) as failed:
        send_webhook(
            base + "/fail/T0KEN-in-path", {"event": "test"}, secret=SECRET, allow_private=True
        )
    assert failed.value.status_code == 500
    assert str(failed.value) == f"webhook {base} answered HTTP 500"
    refused_url = f"http://127.0.0.1:{free_port()}/hook"
    with pytest.raises(WebhookError, match=r"cannot reach webhook .*: connection refused") as down:
        send_webhook(refused_url, {"event": "test"}, secret=SECRET, allow_private=True)
    with pytest.raises(WebhookError, match=r"did not answer within 0\.2 s") as slow:
        send_webhook(
            base + "/slow", {"event": "test"}, secret=SECRET, allow_private=True, timeout=0.2
        )
    for error in (failed.value, down.value, slow.value):
        assert SECRET not in str(error) and "T0KEN" not in str(error)
    with pytest.raises(WebhookError, match="secret must not be empty"):
        send_webhook(base, {}, secret="", allow_private=True)
    with pytest.raises(WebhookError, match="only http"):
        send_webhook("ftp://127.0.0.1/x", {}, secret=SECRET, allow_private=True)
    with pytest.raises(WebhookError, match="private or local address"):
        send_webhook(base + "/hooks/veille", {}, secret=SECRET, allow_private=False)


def test_sign_is_deterministic_for_a_given_timestamp() -> None:
    assert sign(b"{}", secret="k", timestamp=1) == sign(b"{}", secret="k", timestamp=1)
    assert sign(b"{}", secret="k", timestamp=1) != sign(b"{}", secret="k", timestamp=2)
