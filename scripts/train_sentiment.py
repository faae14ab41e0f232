"""Train both sentiment heads from the XLM-T tweets and write them into the package.

    .venv/bin/python scripts/train_sentiment.py [--data ../shared/data/xlmt-sentiment]

For each of French and English: fits heads on that language's train split or on both (and,
for French, with the sentiment-labelled French posts of data/intents/train.jsonl), chooses
the data, hyper-parameters and blend weight on that language's val split (for French, on its
mean with data/intents/validation.jsonl), prints the figures and writes
src/veille/understand/models/. The XLM-T test split is never read.
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
    """Choose and write the fast and accurate heads for one language.

    Chosen on that language's XLM-T val split; for French, on the mean of it and the
    sentiment of data/intents/validation.jsonl (posts about small businesses, the domain
    Veille reads), with the domain's train posts as a candidate training source.
    """
    vals = [f"{lang}_val", *(["domain_val"] if lang == "fr" else [])]
    sources = [(lang,), ("fr", "en")]
    if lang == "fr":
        sources += [("fr", "domain"), ("fr", "en", "domain")]
    rows = {name: featurize(splits[name][0]) for name in vals}

    def stacked(parts: tuple[str, ...]) -> tuple[list[str], np.ndarray, np.ndarray]:
        texts = [t for part in parts for t in splits[f"{part}_train"][0]]
        labels = np.concatenate([splits[f"{part}_train"][1] for part in parts])
        return texts, labels, np.vstack([emb[f"{part}_train"] for part in parts])

    def scores(probabilities: dict[str, np.ndarray]) -> dict[str, float]:
        return {
            name: macro_f1(splits[name][1], p.argmax(1), 3) for name, p in probabilities.items()
        }

    best_fast: tuple[float, LinearHead, str, dict[str, float]] | None = None
    for parts in sources:
        texts, labels, _ = stacked(parts)
        for l2 in (1e-4, 3e-5):
            head = train_fast(texts, labels, l2, 300)
            each = scores({n: head.scores(sparse_dot(rows[n], head.weights)) for n in vals})
            score = float(np.mean(list(each.values())))
            print(f"{lang} fast {'+'.join(parts)} l2={l2}: {each}", flush=True)
            if best_fast is None or score > best_fast[0]:
                best_fast = (score, head, f"{'+'.join(parts)} l2={l2} epochs=300", each)
    assert best_fast is not None
    fast_head = best_fast[1]
    fast_p = {n: fast_head.scores(sparse_dot(rows[n], fast_head.weights)) for n in vals}

    best: tuple[float, LinearHead, float, str, dict[str, float]] | None = None
    for parts in sources:
        _, labels, vectors = stacked(parts)
        for l2 in (1e-4, 3e-5):
            for epochs in (600, 1200):
                head = train_dense(vectors, labels, l2, epochs)
                emb_p = {n: head.predict_dense(emb[n]) for n in vals}
                for weight in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5):
                    each = scores({n: weight * emb_p[n] + (1 - weight) * fast_p[n] for n in vals})
                    score = float(np.mean(list(each.values())))
                    if best is None or score > best[0]:
                        chosen = f"{'+'.join(parts)} l2={l2} epochs={epochs} weight={weight}"
                        best = (score, head, weight, chosen, each)
                print(f"{lang} accurate {'+'.join(parts)} l2={l2} epochs={epochs}", flush=True)
    assert best is not None
    fast_head.save(fast_head_path(lang))
    best[1].save(accurate_head_path(lang))

    def figures(each: dict[str, float]) -> dict[str, float]:
        return {f"{name}_macro_f1": round(v, 4) for name, v in each.items()}

    return {
        "fast": {**figures(best_fast[3]), "chosen": best_fast[2]},
        "accurate": {**figures(best[4]), "chosen": best[3]},
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
    for split, file in (("train", "train.jsonl"), ("val", "validation.jsonl")):
        posts = load_posts(INTENTS_DATA / file)
        splits[f"domain_{split}"] = ([p.text for p in posts], sentiment_labels(posts))
    emb = {name: embed_cached(texts, args.cache, name) for name, (texts, _) in splits.items()}
    report = {lang: train_language(lang, splits, emb) for lang in HEAD_LANGUAGES}
    blend = {lang: figures["embedding_weight"] for lang, figures in report.items()}
    BLEND.write_text(json.dumps(blend) + "\n")
    print(json.dumps({"heads": report, "seconds": round(time.time() - started, 1)}))


if __name__ == "__main__":
    main()
