"""Addresses Veille calls on a user's word: http(s) only, no private or local address unless
the instance allows it."""

from __future__ import annotations

import pytest

from veille.outbound import RefusedAddress, check_url


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://127.9.9.9/",
        "http://10.0.0.5/",
        "http://172.16.3.4/",
        "http://192.168.1.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9000/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://100.64.0.7/",  # shared by carriers: neither private nor public
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://localhost:8080/",
    ],
)
def test_private_and_local_addresses_are_refused(url: str) -> None:
    with pytest.raises(RefusedAddress) as refused:
        check_url(url, allow_private=False)
    assert "VEILLE_ALLOW_PRIVATE_URLS" in str(refused.value)
    assert check_url(url, allow_private=True) == url


@pytest.mark.parametrize(
    "url", ["ftp://93.184.215.14/", "file:///etc/passwd", "gopher://1.1.1.1/", "https://", "x"]
)
def test_only_http_and_https_are_called(url: str) -> None:
    for allow in (False, True):
        with pytest.raises(RefusedAddress, match="only http"):
            check_url(url, allow_private=allow)


def test_a_login_in_the_address_is_refused_and_never_echoed() -> None:
    with pytest.raises(RefusedAddress) as refused:
        check_url("https://user:s3cret@93.184.215.14/hook", allow_private=True)
    assert "s3cret" not in str(refused.value)


def test_public_addresses_pass() -> None:
    for url in ("https://93.184.215.14/v1", "http://[2606:4700::1111]/"):
        assert check_url(url, allow_private=False) == url
