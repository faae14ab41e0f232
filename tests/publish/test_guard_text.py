"""How each network counts a post, as the guard counts it."""

from __future__ import annotations

from veille.publish.guard_text import fold, grapheme_count
from veille.sources.bluesky.text import bluesky_length
from veille.sources.mastodon.text import mastodon_length
from veille.sources.x.text import x_length


def test_graphemes_keep_emoji_sequences_flags_and_accents_whole() -> None:
    assert grapheme_count("🇫🇷") == 1
    assert grapheme_count("👍🏽") == 1
    assert grapheme_count("👩‍🎨") == 1
    assert grapheme_count("e\u0301te\u0301") == 3
    assert grapheme_count("a\r\nb") == 3
    assert grapheme_count("abc") == 3


def test_x_weights_urls_emoji_and_wide_characters() -> None:
    assert x_length("Voir https://martin-peinture.fr/une/tres/longue/adresse") == 5 + 23
    assert x_length("www.martin-peinture.fr") == 23
    assert x_length("🎨") == 2
    assert x_length("👩‍🎨") == 2
    assert x_length("漢字") == 4
    assert x_length("e\u0301") == 1  # counted after NFC
    assert x_length("’«»") == 3


def test_bluesky_counts_links_in_full_and_mastodon_counts_them_23() -> None:
    link = "https://martin-peinture.fr/" + "x" * 50
    assert bluesky_length(link) == len(link)
    assert mastodon_length(link) == 23


def test_mastodon_counts_a_remote_mention_by_its_username() -> None:
    assert mastodon_length("@claire@piaille.fr merci") == len("@claire merci")


def test_fold_maps_every_character_back_to_the_original() -> None:
    text = "Œuvre d’ÉTÉ…"
    folded = fold(text)
    assert folded.text == "oeuvre d'ete..."
    start = folded.text.index("ete")
    assert folded.span(start, start + 3) == (text.index("ÉTÉ"), text.index("ÉTÉ") + 3)
    assert folded.span(0, 2) == (0, 1)  # "oe" comes from the single "Œ"
