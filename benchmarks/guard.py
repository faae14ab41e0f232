"""Throughput of the guard as the composer calls it, in drafts per second, printed as JSON.

    .venv/bin/python benchmarks/guard.py [--drafts 200]

Drafts: the first hand-written drafts of data/guard/written.jsonl (real lengths, one to six
sentences), each checked alone as the composer does on a keystroke pause, rules only and
rules + learned model. Models are loaded before timing. Measures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from veille.publish.guard import GuardContext, check

DATA = Path(__file__).resolve().parents[1] / "data" / "guard" / "written.jsonl"


def rate(texts: list[str], learned: bool) -> dict[str, float]:
    context = GuardContext(learned=learned)
    for text in texts[:5]:
        check(text, context=context)  # warm up: load the encoder and the model
    started = time.perf_counter()
    for text in texts:
        check(text, context=context)
    seconds = time.perf_counter() - started
    return {
        "drafts_per_second": round(len(texts) / seconds, 1),
        "ms_per_draft": round(1000 * seconds / len(texts), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--drafts", type=int, default=200)
    args = parser.parse_args()
    lines = DATA.read_text(encoding="utf-8").splitlines()[: args.drafts]
    texts = [json.loads(line)["text"] for line in lines]
    result = {
        "drafts": len(texts),
        "mean_characters": round(sum(map(len, texts)) / len(texts)),
        "rules_only": rate(texts, learned=False),
        "rules_and_model": rate(texts, learned=True),
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
