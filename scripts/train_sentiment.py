"""Train both sentiment heads from the XLM-T tweets and write them into the package.

    .venv/bin/python scripts/train_sentiment.py [--data ../shared/data/xlmt-sentiment]

For each of French and English: fits heads on that language's train split or on both (and,
for French, with the sentiment-labelled French posts of data/intents/train.jsonl), chooses
the data, hyper-parameters and blend weight by 5-fold cross-validation on the train splits
(near-duplicates in one fold), prints the cross-validated figures and writes
src/veille/understand/models/. Neither the val splits (scripts/eval_understand.py reads them,
once) nor the XLM-T test split are read.
Deterministic: same data, same heads. --cache keeps the embeddings between runs.
"""

from __future__ import annotations

import argparse
import json
import time
import zlib
from pathlib import Path

import numpy as np

from veille.understand.duplicates import near_duplicates
from veille.understand.embeddings import DIM as EMB_DIM
from veille.understand.embeddings import embed
from veille.understand.features import DIM, featurize, sparse_dot, sparse_transpose_dot
from veille.understand.labelled import DATA as INTENTS_DATA
from veille.understand.labelled import load_posts, sentiment_labels
from veille.understand.linear import LinearHead, fit
from veille.understand.metrics import macro_f1
from veille.understand.sentiment import (
    BLEND,
    HEAD_LANGUAGES,
    accurate_head_path,
    fast_head_path,
)
from veille.understand.types import SENTIMENT_LABELS

FOLDS = 5
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


def folds_of(texts: list[str]) -> np.ndarray:
    """A fold per text, the same for a text and its near-duplicates (retweets, copies)."""
    leaders = near_duplicates(texts)
    return np.array([zlib.crc32(texts[leader].encode()) % FOLDS for leader in leaders])


def train_language(
    lang: str,
    splits: dict[str, tuple[list[str], np.ndarray]],
    emb: dict[str, np.ndarray],
) -> dict[str, object]:
    """Choose and write the fast and accurate heads for one language.

    Training sources, L2, epochs and the blend weight are chosen by 5-fold cross-validation
    on that language's train tweets (for French, the mean with the sentiment of
    data/intents/train.jsonl, posts about small businesses): each fold's heads are fitted on
    the other folds of the scored sets plus every other source whole, near-duplicates kept in
    one fold. The validation splits are not read here (scripts/eval_understand.py reads them).
    """
    scored = [lang, *(["domain"] if lang == "fr" else [])]
    sources = [(lang,), ("fr", "en")]
    if lang == "fr":
        sources += [("fr", "domain"), ("fr", "en", "domain")]
    folds = {part: folds_of(splits[f"{part}_train"][0]) for part in scored}

    def fold_data(
        parts: tuple[str, ...], held: int | None
    ) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Training texts, labels and vectors of `parts`, without fold `held` of scored sets."""
        texts: list[str] = []
        labels, vectors = [], []
        for part in parts:
            part_texts, part_labels = splits[f"{part}_train"]
            keep = np.ones(len(part_texts), dtype=bool)
            if held is not None and part in folds:
                keep = folds[part] != held
            texts += [t for t, k in zip(part_texts, keep, strict=True) if k]
            labels.append(part_labels[keep])
            vectors.append(emb[f"{part}_train"][keep])
        return texts, np.concatenate(labels), np.vstack(vectors)

    def held_rows(part: str, held: int) -> np.ndarray:
        return np.flatnonzero(folds[part] == held)

    def cv_score(oof: dict[str, np.ndarray]) -> tuple[float, dict[str, float]]:
        each = {
            part: macro_f1(splits[f"{part}_train"][1], oof[part].argmax(1), 3) for part in scored
        }
        return float(np.mean(list(each.values()))), each

    def empty() -> dict[str, np.ndarray]:
        return {part: np.zeros((len(splits[f"{part}_train"][0]), 3)) for part in scored}

    best_fast: tuple[float, tuple[str, ...], float, dict[str, float], dict[str, np.ndarray]]
    best_fast = (-1.0, (), 0.0, {}, {})
    for parts in sources:
        for l2 in (1e-4, 3e-5):
            oof = empty()
            for held in range(FOLDS):
                texts, labels, _ = fold_data(parts, held)
                head = train_fast(texts, labels, l2, 300)
                for part in scored:
                    rows = held_rows(part, held)
                    part_texts = [splits[f"{part}_train"][0][i] for i in rows]
                    oof[part][rows] = head.scores(sparse_dot(featurize(part_texts), head.weights))
            score, each = cv_score(oof)
            print(f"{lang} fast {'+'.join(parts)} l2={l2}: 5-fold CV {each}", flush=True)
            if score > best_fast[0]:
                best_fast = (score, parts, l2, each, oof)
    _, fast_parts, fast_l2, fast_each, fast_oof = best_fast

    best: tuple[float, tuple[str, ...], float, int, float, dict[str, float]] | None = None
    for parts in sources:
        for l2 in (1e-4, 3e-5):
            for epochs in (600, 1200):
                oof = empty()
                for held in range(FOLDS):
                    _, labels, vectors = fold_data(parts, held)
                    head = train_dense(vectors, labels, l2, epochs)
                    for part in scored:
                        rows = held_rows(part, held)
                        oof[part][rows] = head.predict_dense(emb[f"{part}_train"][rows])
                for weight in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5):
                    blended = {
                        part: weight * oof[part] + (1 - weight) * fast_oof[part] for part in scored
                    }
                    score, each = cv_score(blended)
                    if best is None or score > best[0]:
                        best = (score, parts, l2, epochs, weight, each)
                print(f"{lang} accurate {'+'.join(parts)} l2={l2} epochs={epochs}", flush=True)
    assert best is not None
    _, parts, l2, epochs, weight, each = best
    texts, labels, _ = fold_data(fast_parts, None)
    train_fast(texts, labels, fast_l2, 300).save(fast_head_path(lang))
    _, labels, vectors = fold_data(parts, None)
    train_dense(vectors, labels, l2, epochs).save(accurate_head_path(lang))

    def figures(values: dict[str, float]) -> dict[str, float]:
        return {f"{name}_train_cv_macro_f1": round(v, 4) for name, v in values.items()}

    return {
        "fast": {**figures(fast_each), "chosen": f"{'+'.join(fast_parts)} l2={fast_l2}"},
        "accurate": {
            **figures(each),
            "chosen": f"{'+'.join(parts)} l2={l2} epochs={epochs} weight={weight}",
        },
        "embedding_weight": weight,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep embeddings in")
    args = parser.parse_args()
    started = time.time()
    splits = {f"{lang}_train": load_split(args.data, lang, "train") for lang in HEAD_LANGUAGES}
    posts = load_posts(INTENTS_DATA / "train.jsonl")
    splits["domain_train"] = ([p.text for p in posts], sentiment_labels(posts))
    emb = {name: embed_cached(texts, args.cache, name) for name, (texts, _) in splits.items()}
    report = {lang: train_language(lang, splits, emb) for lang in HEAD_LANGUAGES}
    blend = {lang: figures["embedding_weight"] for lang, figures in report.items()}
    BLEND.write_text(json.dumps(blend) + "\n")
    print(json.dumps({"heads": report, "seconds": round(time.time() - started, 1)}))


if __name__ == "__main__":
    main()
