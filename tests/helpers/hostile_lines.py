"""Lines of Post JSON that must each be rejected, with a piece of the reason `veille ingest`
gives: bad bytes, bad JSON, values the store cannot hold, invalid posts."""

from __future__ import annotations

import json

from tests.factories import post_json


def _line(data: object) -> bytes:
    return json.dumps(data).encode()


HOSTILE: list[tuple[bytes, str]] = [
    (b'{"id": "x\xff\xfe", "network": "x"}', "UTF-8 invalide (octet 0xff"),
    (b"[" * 100_000 + b"]" * 100_000, "JSON"),
    (b'{"id": ' + b"9" * 5000 + b"}", "JSON illisible"),
    (
        _line(
            post_json(
                "f", "gros compte", author={"id": "1", "username": "a", "followers_count": 10**30}
            )
        ),
        "author.followers_count",
    ),
    (_line(post_json("s", "surrogate \ud800 seul")), "lone surrogate (U+D800)"),
    (_line(post_json("n", "nul \x00 ici")), "NUL"),
    (b'{"id": "nan", "network": "x", "score": NaN}', "score: nan"),
    (_line(post_json("m", "médias", media=[1, "photo", {"type": None}])), "media.0"),
    (_line(post_json("a", "auteur", author=["pas", "un", "objet"])), "author"),
    (_line(post_json("d", "profond", extra=json.loads("[" * 70 + "]" * 70))), "nested deeper"),
    (_line(post_json("l", "likes", metrics={"likes": 2**40})), "metrics.likes"),
    (_line(post_json("u", "x" * 10, author={"id": "1", "username": "u" * 300})), "username"),
    (_line([1, 2, 3]), "expected a JSON object"),
]
