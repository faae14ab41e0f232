"""A text too long for a network: split into a numbered thread at sentence ends, within every
chosen network's limit, or refused with the offers; never cut silently."""

from __future__ import annotations

import re

import pytest

from veille.publish.length import split_thread
from veille.sources.bluesky.text import bluesky_length
from veille.sources.x.text import x_length

SENTENCES = [f"Phrase numéro {n} sur la rénovation de la façade rue Saint-Laud." for n in range(40)]


def test_a_thread_cuts_at_sentence_ends_within_the_limit_and_numbers_its_parts() -> None:
    text = " ".join(SENTENCES)
    parts = split_thread(text, limit=300, length=bluesky_length)
    assert len(parts) > 1
    assert all(bluesky_length(p) <= 300 for p in parts)
    assert [re.search(r" (\d+)/(\d+)$", p).groups() for p in parts] == [  # type: ignore[union-attr]
        (str(n), str(len(parts))) for n in range(1, len(parts) + 1)
    ]
    bodies = [re.sub(r" \d+/\d+$", "", p) for p in parts]
    assert all(b.endswith(".") for b in bodies)  # every cut at the end of a sentence
    assert " ".join(bodies) == text  # nothing lost, nothing added


def test_a_sentence_longer_than_a_post_is_cut_between_words_and_a_huge_word_in_runs() -> None:
    sentence = "mot " * 200 + "https://exemple.fr/" + "x" * 700
    parts = split_thread(sentence, limit=280, length=x_length)
    assert all(x_length(p) <= 280 for p in parts)
    assert "".join(re.sub(r" \d+/\d+$", "", p).replace(" ", "") for p in parts) == (
        sentence.replace(" ", "")
    )


@pytest.mark.parametrize("text", ["Court.", "Une phrase. Et une autre !"])
def test_a_text_that_fits_is_one_part_without_a_number(text: str) -> None:
    assert split_thread(text, limit=300, length=bluesky_length) == [text]
