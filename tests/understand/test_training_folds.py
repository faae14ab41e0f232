"""Cross-validation folds of the intent heads keep a post and its copies together."""

from __future__ import annotations

import importlib.util
import random
import string
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def train_intents() -> ModuleType:
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(
        "train_intents", ROOT / "scripts/train_intents.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_near_duplicates_share_a_fold_and_every_fold_is_used() -> None:
    texts = [
        "Je cherche un boulanger ouvert le dimanche matin à Lyon 7e, des idées ?",
        "Je cherche un boulanger ouvert le dimanche matin à Lyon 7e, des idées ? 🙏",
    ]
    rng = random.Random(5)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(400)]
    texts += [" ".join(words[10 * i : 10 * i + 10]) for i in range(40)]
    folds = train_intents().grouped_folds(texts)
    assert folds[0] == folds[1]
    assert set(folds.tolist()) == {0, 1, 2, 3, 4}
