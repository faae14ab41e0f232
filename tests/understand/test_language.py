from __future__ import annotations

import pytest

from veille.understand import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "Quelqu'un connaît un bon peintre sur Angers ?",
        "Merci pour le chantier, c'est nickel !",
        "Les croissants étaient rassis ce matin, déçu.",
        "@martinpeinture vous passez quand pour le devis ? https://t.co/x1",
    ],
)
def test_short_french_posts_are_french(text: str) -> None:
    assert detect_language(text) == "fr"


@pytest.mark.parametrize(
    "text",
    [
        "Can anyone recommend a good painter in Angers?",
        "Thanks for the great job, looks amazing!",
        "Worst customer service ever, still waiting for a refund.",
    ],
)
def test_short_english_posts_are_english(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", ["", "ok", "https://t.co/abc @bob #angers", "42 !!!"])
def test_too_little_text_is_undetermined(text: str) -> None:
    assert detect_language(text) == "und"
