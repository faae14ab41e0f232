"""Cross-validation folds of the training scripts keep a post and its near-copies together,
and the sparse rows they cut out are the rows asked for."""

from __future__ import annotations

import importlib.util
import random
import string
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from veille.understand.features import featurize, sparse_dot

ROOT = Path(__file__).resolve().parents[2]


def script(name: str) -> ModuleType:
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(name, ROOT / f"scripts/{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def random_texts(count: int) -> list[str]:
    rng = random.Random(5)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(400)]
    return [" ".join(words[10 * i : 10 * i + 10]) for i in range(count)]


def test_near_copies_and_templates_share_a_fold_and_every_fold_is_used() -> None:
    texts = [
        "Je cherche un boulanger ouvert le dimanche matin à Lyon 7e, des idées ?",
        "Je cherche un boulanger ouvert le dimanche matin à Lyon 7e, des idées ? 🙏",
        "Vous connaissez un garagiste honnête vers Roubaix pour une vidange rapide ?",
        "Vous connaissez un garagiste honnête vers Tourcoing pour une vidange rapide ?",
    ]
    texts += random_texts(40)
    folds = script("crossval").grouped_folds(texts)
    assert folds[0] == folds[1]
    assert folds[2] == folds[3]
    assert set(folds.tolist()) == {0, 1, 2, 3, 4}


def test_cut_and_stacked_sparse_rows_score_as_the_rows_they_came_from() -> None:
    crossval, training = script("crossval"), script("train_sentiment")
    texts = random_texts(12)
    csr = featurize(texts)
    weights = np.random.default_rng(3).normal(size=(1 << 16, 3)).astype(np.float32)
    whole = sparse_dot(csr, weights)
    first, second = np.array([7, 2, 9]), np.array([0, 11])
    stacked = training.stack_csr([crossval.csr_rows(csr, first), crossval.csr_rows(csr, second)])
    assert np.allclose(sparse_dot(stacked, weights), whole[np.concatenate([first, second])])


def test_a_business_or_an_author_block_and_its_near_copies_stay_in_one_fold() -> None:
    crossval = script("crossval")
    texts = [
        *random_texts(40),
        "Vous connaissez un garagiste honnête vers Roubaix pour une vidange rapide ?",
        "Vous connaissez un garagiste honnête vers Tourcoing pour une vidange rapide ?",
    ]
    blocks = [*(f"b{i % 8}" for i in range(40)), "garage", "bakery"]
    groups = crossval.merged_groups(texts, blocks)
    assert groups[3] == groups[35] != groups[2]
    # A near-copy joins the two blocks it straddles.
    assert groups[40] == groups[41]
    folds = crossval.balanced_folds(groups)
    for block in set(blocks):
        assert len({folds[i] for i, b in enumerate(blocks) if b == block}) == 1
    sizes = np.bincount(folds)
    assert len(sizes) == 5 and sizes.max() - sizes.min() <= 5
    # Texts without a block are grouped by their near-copies alone.
    assert len(set(crossval.merged_groups(texts, [""] * len(texts)).tolist())) == 41
