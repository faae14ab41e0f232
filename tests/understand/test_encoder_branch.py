"""The encoder's French branch: its graph wiring, the shipped file, and where it is used."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from veille.understand import Analyzer
from veille.understand.cascade import EMBED_ALL
from veille.understand.embeddings import BRANCH, EmbeddingCache
from veille.understand.encoder import Encoder, ModelFileError
from veille.understand.encoder.modelfile import ModelFile, dequantise
from veille.understand.intents import (
    GENERIC,
    TUNED_HEAD,
    blended,
    from_generic,
    generic_probabilities,
    mixed,
    tuned_weight,
)
from veille.understand.linear import LinearHead
from veille.understand.sentiment import accurate_probabilities, branched, encode
from veille.understand.types import SENTIMENT_LABELS

TEXTS = [
    "Franchement déçu, le plombier n'est jamais venu et personne ne rappelle.",
    "Merci à toute l'équipe, la terrasse est magnifique !",
    "Le salon est ouvert le lundi de 9h à 18h.",
    "Great coffee and friendly staff, see you tomorrow.",
    "",
]
KEYS = {"q": (384, 384), "k": (384, 384), "v": (384, 384), "ao": (384, 384)}
KEYS |= {"fi": (1536, 384), "fo": (384, 1536)}


def e5_own_top_layers(first: int) -> dict[str, np.ndarray]:
    """A branch holding e5's own layers from `first` up, written as the training script does."""
    model = ModelFile()
    arrays = {"first": np.array(first)}
    for n in range(first, model.sizes.layers):
        for key, (rows, cols) in KEYS.items():
            w = dequantise(model.blocks(f"l{n}.{key}.w", rows, cols)).T
            scale = np.maximum(np.abs(w).max(axis=0), 1e-12) / 127.0
            arrays[f"l{n}.{key}.q"] = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
            arrays[f"l{n}.{key}.cs"] = scale.astype(np.float32)
            arrays[f"l{n}.{key}.b"] = model.floats(f"l{n}.{key}.b")
        for name in ("aln", "oln"):
            for part in ("w", "b"):
                arrays[f"l{n}.{name}.{part}"] = model.floats(f"l{n}.{name}.{part}")
    return arrays


@lru_cache(maxsize=1)
def shipped() -> Encoder:
    return Encoder(threads=2, branch=BRANCH)


def test_a_branch_of_the_models_own_layers_gives_its_own_vectors(tmp_path: Path) -> None:
    path = tmp_path / "same.npz"
    np.savez(path, **e5_own_top_layers(9))
    vectors, tuned = Encoder(threads=2, branch=path).embed_tuned(TEXTS)
    assert (vectors * tuned).sum(axis=1).min() > 0.9999


def test_the_shipped_branch_shares_the_lower_layers_and_changes_the_top() -> None:
    plain = shipped().embed(TEXTS)
    vectors, tuned = shipped().embed_tuned(TEXTS)
    np.testing.assert_allclose(vectors, plain, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(tuned, axis=1), 1.0, atol=1e-5)
    similarity = (vectors * tuned).sum(axis=1)
    assert similarity.max() < 0.99  # fine-tuned: not the original top layers


def test_long_posts_are_read_in_windows_by_the_branch_too() -> None:
    praise = [
        "Merci à toute l'équipe, la terrasse est magnifique !",
        "Travail soigné, ponctuels et très aimables, je recommande.",
        "Bravo pour le chantier, le résultat dépasse nos attentes.",
    ]
    complaint = [
        "Franchement déçu, le plombier n'est jamais venu et personne ne rappelle.",
        "Trois semaines de retard et aucune excuse, c'est honteux.",
        "Facture gonflée et travail bâclé, je déconseille.",
    ]
    posts = [" ".join(praise * 40), " ".join(complaint * 40)]  # over 512 tokens each
    assert all(len(shipped().tokenizer.content(p)) > 1024 for p in posts)
    probabilities = accurate_probabilities(posts, langs=["fr", "fr"])
    assert [SENTIMENT_LABELS[k] for k in probabilities.argmax(axis=1)] == ["positive", "negative"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.pop("l10.fi.q"), "l10.fi.q missing"),
        (lambda a: a.update({"first": np.array(12)}), "starts at layer 12"),
        (lambda a: a.update({"l11.q.cs": np.ones(3, np.float32)}), "l11.q is not 384 by 384"),
        (lambda a: a.pop("first"), "not an encoder branch"),
    ],
)
def test_a_broken_branch_file_is_named_with_what_is_wrong(
    tmp_path: Path, change: object, message: str
) -> None:
    arrays = e5_own_top_layers(10)
    change(arrays)  # type: ignore[operator]
    path = tmp_path / "broken.npz"
    np.savez(path, **arrays)
    with pytest.raises(ModelFileError, match=message):
        Encoder(threads=1, branch=path).embed_tuned(["un texte"])


def test_a_file_that_is_not_a_branch_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.npz"
    path.write_bytes(b"not a zip archive")
    with pytest.raises(ModelFileError, match=r"junk\.npz"):
        Encoder(threads=1, branch=path)


def test_only_languages_with_a_tuned_head_go_through_the_branch() -> None:
    langs = ["fr", "fr", "fr", "en", "fr"]
    assert branched(langs).tolist() == [True, True, True, False, True]
    vectors, tuned = encode(TEXTS, langs)
    assert not tuned[3].any() and tuned[0].any()
    np.testing.assert_allclose(vectors, shipped().embed(TEXTS), atol=1e-6)


def test_the_cache_keeps_branch_vectors_and_fills_those_it_lacks() -> None:
    cache = EmbeddingCache(size=10)
    plain = cache.embed(TEXTS[:2])
    assert (cache.hits, cache.misses) == (0, 2)
    vectors, tuned = cache.embed_tuned(TEXTS[:3])  # the first two lack a branch vector
    assert (cache.hits, cache.misses) == (0, 5)
    np.testing.assert_allclose(vectors[:2], plain, atol=1e-6)
    _, tuned_again = cache.embed_tuned([TEXTS[2], TEXTS[0]])
    assert (cache.hits, cache.misses) == (2, 5)
    np.testing.assert_array_equal(tuned_again, tuned[[2, 0]])
    np.testing.assert_array_equal(cache.embed([TEXTS[1]]), vectors[[1]])


def test_the_analyzer_reads_french_posts_with_the_branch() -> None:
    langs = ["fr", "fr", "fr", "en"]
    expected = accurate_probabilities(TEXTS[:4], langs=langs).argmax(axis=1)
    results = Analyzer(cascade=EMBED_ALL).analyze(TEXTS[:4])
    assert [r.lang for r in results] == langs
    assert [r.sentiment.label for r in results] == [SENTIMENT_LABELS[k] for k in expected]
    assert [r.sentiment.label for r in results] == ["negative", "positive", "neutral", "positive"]


def test_the_branch_ships_an_intents_head_for_the_generic_intents() -> None:
    head = LinearHead.load(TUNED_HEAD)
    assert head.labels == GENERIC and head.multilabel
    assert head.weights.shape == (384, len(GENERIC))
    assert 0 < tuned_weight() <= 1


def test_french_intents_blend_the_branchs_head_in_and_english_ones_do_not() -> None:
    langs = ["fr", "fr", "fr", "en"]
    vectors, tuned = encode(TEXTS[:4], langs)
    with_branch = generic_probabilities(TEXTS[:4], vectors, tuned=tuned)
    without = generic_probabilities(TEXTS[:4], vectors)
    branch = LinearHead.load(TUNED_HEAD).predict_dense(tuned[:3])
    np.testing.assert_allclose(
        with_branch[:3], mixed(without[:3], branch, tuned_weight()), rtol=1e-5
    )
    assert np.abs(with_branch[:3] - without[:3]).max() > 0.01
    np.testing.assert_array_equal(with_branch[3], without[3])


def test_the_analyzer_reads_french_intents_with_the_branch() -> None:
    texts = [
        "On recrute un apprenti boulanger pour la rentrée, CV en message privé",
        "Trois semaines d'attente et toujours pas de devis, vous vous moquez de nous ?",
        "Merci pour la réparation express, le vélo roule comme neuf !",
    ]
    vectors, tuned = encode(texts, ["fr"] * 3)
    fast = generic_probabilities(texts, None)
    expected = from_generic(
        texts, None, blended(fast, generic_probabilities(texts, vectors, tuned=tuned))
    )
    results = Analyzer(cascade=EMBED_ALL).analyze(texts)
    assert [r.intents for r in results] == expected
    named = [{k for k, v in r.intents.items() if v >= 0.5} for r in results]
    assert "job" in named[0] and "complaint" in named[1] and "praise" in named[2]
