"""Train both sentiment heads from the XLM-T tweets and write them into the package.

    .venv/bin/python scripts/train_sentiment.py [--data ../shared/data/xlmt-sentiment]

For each of French and English: fits heads on that language's train split or on both,
chooses the data, hyper-parameters and blend weight on that language's val split, prints the
figures and writes src/veille/understand/models/. The test split is never read.
Deterministic: same data, same heads. --cache keeps the embeddings between runs.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from veille.understand.embeddings import DIM as EMB_DIM
from veille.understand.embeddings import embed
from veille.understand.features import DIM, featurize, sparse_dot, sparse_transpose_dot
from veille.understand.linear import LinearHead, fit
from veille.understand.metrics import macro_f1
from veille.understand.sentiment import (
    BLEND,
    HEAD_LANGUAGES,
    accurate_head_path,
    fast_head_path,
)
from veille.understand.types import SENTIMENT_LABELS

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "xlmt-sentiment"


def load_split(data: Path, lang: str, split: str) -> tuple[list[str], np.ndarray]:
    texts = (data / lang / f"{split}_text.txt").read_text(encoding="utf-8").split("\n")
    labels = (data / lang / f"{split}_labels.txt").read_text(encoding="utf-8").split("\n")
    if len(texts) != len(labels):
        raise SystemExit(f"{data / lang}: {split} has {len(texts)} texts, {len(labels)} labels")
    return texts, np.array([int(v) for v in labels])


def embed_cached(texts: list[str], cache: Path | None, name: str) -> np.ndarray:
    path = cache / f"{name}.npy" if cache else None
    if path and path.exists():
        stored = np.load(path)
        if stored.shape == (len(texts), EMB_DIM):
            return stored  # type: ignore[no-any-return]
    vectors = embed(texts)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def train_fast(texts: list[str], y: np.ndarray, l2: float, epochs: int) -> LinearHead:
    csr = featurize(texts)
    return fit(
        lambda w: sparse_dot(csr, w),
        lambda g: sparse_transpose_dot(csr, g),
        DIM,
        np.eye(3)[y],
        SENTIMENT_LABELS,
        l2=l2,
        epochs=epochs,
        learning_rate=0.02,
    )


def train_dense(x: np.ndarray, y: np.ndarray, l2: float, epochs: int) -> LinearHead:
    return fit(
        lambda w: x @ w,
        lambda g: x.T @ g,
        x.shape[1],
        np.eye(3)[y],
        SENTIMENT_LABELS,
        l2=l2,
        epochs=epochs,
        learning_rate=0.01,
    )


def train_language(
    lang: str,
    splits: dict[str, tuple[list[str], np.ndarray]],
    emb: dict[str, np.ndarray],
) -> dict[str, object]:
    """Choose and write the fast and accurate heads for one language, on its val split."""
    own, both = (lang,), ("fr", "en")
    val_x, val_y = splits[f"{lang}_val"]
    val_rows = featurize(val_x)

    def stacked(langs: tuple[str, ...]) -> tuple[list[str], np.ndarray, np.ndarray]:
        texts = [t for code in langs for t in splits[f"{code}_train"][0]]
        labels = np.concatenate([splits[f"{code}_train"][1] for code in langs])
        return texts, labels, np.vstack([emb[f"{code}_train"] for code in langs])

    best_fast: tuple[float, LinearHead, str] | None = None
    for langs in (own, both):
        texts, labels, _ = stacked(langs)
        for l2 in (1e-4, 3e-5):
            head = train_fast(texts, labels, l2, 300)
            score = macro_f1(val_y, head.scores(sparse_dot(val_rows, head.weights)).argmax(1), 3)
            print(f"{lang} fast {'+'.join(langs)} l2={l2}: val macro-F1 {score:.3f}", flush=True)
            if best_fast is None or score > best_fast[0]:
                best_fast = (score, head, f"{'+'.join(langs)} l2={l2} epochs=300")
    assert best_fast is not None
    fast_head = best_fast[1]
    fast_val_p = fast_head.scores(sparse_dot(val_rows, fast_head.weights))

    best: tuple[float, LinearHead, float, str] | None = None
    for langs in (own, both):
        _, labels, vectors = stacked(langs)
        for l2 in (1e-4, 3e-5):
            for epochs in (600, 1200):
                head = train_dense(vectors, labels, l2, epochs)
                emb_p = head.predict_dense(emb[f"{lang}_val"])
                for weight in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5):
                    blended = weight * emb_p + (1 - weight) * fast_val_p
                    score = macro_f1(val_y, blended.argmax(1), 3)
                    if best is None or score > best[0]:
                        chosen = f"{'+'.join(langs)} l2={l2} epochs={epochs} weight={weight}"
                        best = (score, head, weight, chosen)
                print(f"{lang} accurate {'+'.join(langs)} l2={l2} epochs={epochs}", flush=True)
    assert best is not None
    fast_head.save(fast_head_path(lang))
    best[1].save(accurate_head_path(lang))
    return {
        "fast": {"val_macro_f1": round(best_fast[0], 4), "chosen": best_fast[2]},
        "accurate": {"val_macro_f1": round(best[0], 4), "chosen": best[3]},
        "embedding_weight": best[2],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep embeddings in")
    args = parser.parse_args()
    started = time.time()
    splits = {
        f"{lang}_{split}": load_split(args.data, lang, split)
        for lang in HEAD_LANGUAGES
        for split in ("train", "val")
    }
    emb = {name: embed_cached(texts, args.cache, name) for name, (texts, _) in splits.items()}
    report = {lang: train_language(lang, splits, emb) for lang in HEAD_LANGUAGES}
    blend = {lang: figures["embedding_weight"] for lang, figures in report.items()}
    BLEND.write_text(json.dumps(blend) + "\n")
    print(json.dumps({"heads": report, "seconds": round(time.time() - started, 1)}))


if __name__ == "__main__":
    main()
