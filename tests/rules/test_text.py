"""Text folding: the fast paths give exactly what the character-by-character definition gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from veille.rules.text import (
    case_words,
    fold,
    fold_slow,
    post_case_text,
    post_case_words,
    post_text,
    strip_urls,
    words,
)

# Letters French posts are made of, plus the troublemakers: other scripts, emoji with
# variation selectors and skin tones, combining accents, typographic spaces and quotes.
PLAIN = "abcdeéèêàçôûïœæßABCÉÈÀÇŒ0123456789 _$#@'’«»\u00a0\u202f\t\n.,;:!?…-–()\""
ODD = ["\u0301", "\ufe0f", "\u200d", "😀", "🎨", "❤", "🏻", "ℌ", "ﬁ", "Ⅻ", "Ж", "ж", "中", "ł"]
ALPHABET = st.sampled_from([*PLAIN, *ODD])
texts = st.text(alphabet=ALPHABET, max_size=60)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_fast_fold_equals_the_definition(text: str) -> None:
    assert fold(text) == fold_slow(text)
    assert words(text) == fold(text).split()


@settings(max_examples=300, deadline=None)
@given(texts)
def test_token_caches_equal_whole_text_folding(text: str) -> None:
    assert post_text(text) == " " + "".join(w + " " for w in fold(strip_urls(text)).split())
    assert post_case_text(text) == " " + "".join(w + " " for w in post_case_words(text))


def test_french_folding() -> None:
    assert words("L’Entreprise d'Élodie, qu’on aime !") == [
        "l",
        "entreprise",
        "d",
        "elodie",
        "qu",
        "on",
        "aime",
    ]
    assert words("Cœur œuvre Æther straße") == ["coeur", "oeuvre", "aether", "strasse"]
    assert words("super🎨🎨 ❤️ 👍🏻") == ["super", "🎨", "🎨", "❤", "👍"]
    assert words("«\u00a0Peinture\u202f» – #Rénovation @dupont_peinture $ORA") == [
        "peinture",
        "renovation",
        "dupont_peinture",
        "$ora",
    ]
    assert case_words("Orange, l’orange ÉTÉ") == ["Orange", "l", "orange", "ÉTÉ"]


def test_links_are_taken_out() -> None:
    assert post_text("Devis sur https://dupont-peinture.fr/devis et www.martin.fr !") == (
        " devis sur et "
    )
