"""Secrets encrypted at rest (network credentials, the assistant's key, e-mail and webhook
secrets) with a key derived from the settings' secret key."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# A fixed, public context: it only separates this key from others derived from the same secret.
_CONTEXT = b"veille/credentials/v1"


class SecretBox:
    """Encrypts small strings (tokens, app passwords) with Fernet (AES-128-CBC + HMAC-SHA256)."""

    def __init__(self, secret_key: str) -> None:
        if len(secret_key) < 16:
            raise ValueError("the secret key must be at least 16 characters")
        raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_CONTEXT).derive(
            secret_key.encode("utf-8")
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(raw))

    def __repr__(self) -> str:
        return "SecretBox(***)"

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError):
            # Never echo the ciphertext: the usual cause is a changed VEILLE_SECRET_KEY.
            raise ValueError(
                "stored credentials cannot be decrypted (was the secret key changed?)"
            ) from None
