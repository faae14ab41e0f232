"""Network credentials encrypted at rest with a key derived from the settings' secret key."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from veille.sources.base import read_json_object, write_json_atomically

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


class EncryptedFileTokenStore:
    """Token sets in one JSON file, each encrypted whole; for the CLI and tests."""

    def __init__(self, path: Path, box: SecretBox) -> None:
        self.path = path
        self.box = box

    def load(self, key: str) -> dict[str, str] | None:
        sealed = read_json_object(self.path).get(key)
        if not isinstance(sealed, str):
            return None
        token = json.loads(self.box.decrypt(sealed))
        return {str(k): str(v) for k, v in token.items()}

    def save(self, key: str, token: dict[str, str]) -> None:
        data = read_json_object(self.path)
        data[key] = self.box.encrypt(json.dumps(token, sort_keys=True))
        write_json_atomically(self.path, data)
