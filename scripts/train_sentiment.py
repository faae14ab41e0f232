"""Train both sentiment heads from the XLM-T tweets and write them into the package.

    .venv/bin/python scripts/train_sentiment.py [--data ../shared/data/xlmt-sentiment]

Fits on the FR and EN train splits, chooses hyper-parameters and the blend weight on the FR
val split (the target), prints the figures and writes src/veille/understand/models/. The
test split is never read. Deterministic: same data, same heads.
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
from veille.understand.sentiment import ACCURATE_HEAD, BLEND, FAST_HEAD
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep embeddings in")
    args = parser.parse_args()
    fr_x, fr_y = load_split(args.data, "fr", "train")
    en_x, en_y = load_split(args.data, "en", "train")
    val_x, val_y = load_split(args.data, "fr", "val")
    train_x, train_y = fr_x + en_x, np.concatenate([fr_y, en_y])

    started = time.time()
    fast_val = featurize(val_x)
    best_fast: tuple[float, LinearHead, str] | None = None
    for langs, (xs, ys) in {"fr": (fr_x, fr_y), "fr+en": (train_x, train_y)}.items():
        for l2 in (1e-4, 3e-5):
            head = train_fast(xs, ys, l2, 300)
            score = macro_f1(val_y, head.scores(sparse_dot(fast_val, head.weights)).argmax(1), 3)
            print(f"fast {langs} l2={l2}: FR val macro-F1 {score:.3f}", flush=True)
            if best_fast is None or score > best_fast[0]:
                best_fast = (score, head, f"{langs} l2={l2} epochs=300")
    assert best_fast is not None
    fast_head = best_fast[1]
    fast_val_p = fast_head.scores(sparse_dot(fast_val, fast_head.weights))

    emb_train = embed_cached(train_x, args.cache, "train_fr_en")
    emb_val = embed_cached(val_x, args.cache, "val_fr")
    emb_sets = {"fr": (emb_train[: len(fr_x)], fr_y), "fr+en": (emb_train, train_y)}
    best: tuple[float, LinearHead, float, str] | None = None
    for langs, (xs_emb, ys) in emb_sets.items():
        for l2 in (1e-4, 3e-5):
            for epochs in (600, 1200):
                head = train_dense(xs_emb, ys, l2, epochs)
                emb_p = head.predict_dense(emb_val)
                for weight in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5):
                    blended = weight * emb_p + (1 - weight) * fast_val_p
                    score = macro_f1(val_y, blended.argmax(1), 3)
                    if best is None or score > best[0]:
                        chosen = f"{langs} l2={l2} epochs={epochs} weight={weight}"
                        best = (score, head, weight, chosen)
                print(f"accurate {langs} l2={l2} epochs={epochs}: best {best[0]:.3f}", flush=True)
    assert best is not None
    FAST_HEAD.parent.mkdir(parents=True, exist_ok=True)
    fast_head.save(FAST_HEAD)
    best[1].save(ACCURATE_HEAD)
    BLEND.write_text(json.dumps({"embedding_weight": best[2]}) + "\n")
    print(
        json.dumps(
            {
                "fast": {"fr_val_macro_f1": round(best_fast[0], 4), "chosen": best_fast[2]},
                "accurate": {"fr_val_macro_f1": round(best[0], 4), "chosen": best[3]},
                "seconds": round(time.time() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
