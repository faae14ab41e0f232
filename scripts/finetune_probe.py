"""Measure what fine-tuning e5's top layers would add to French sentiment, before building it.

    .venv/bin/pip install torch==2.13.0      # training only: Veille itself never imports torch
    .venv/bin/python scripts/finetune_probe.py --top 2 --epochs 6 --lr 2e-4

The layers below the top `--top` run once, in Veille's own int8 ONNX graph; their output is
kept, and torch trains the top layers (initialised from the same weights) with a softmax head,
by the same 5-fold cross-validation as scripts/train_sentiment.py (folds by near-copy group) on
the French XLM-T train tweets and the small-business train posts. For comparison, a linear
head on the frozen vectors is trained on the same folds. Prints macro-F1 per split with 95 %
bootstrap intervals. No validation or test split is read.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort  # type: ignore[import-untyped]
import torch
from onnx import TensorProto, helper

from veille.understand.embeddings import embed
from veille.understand.encoder.encoder import PREFIX, Encoder, cores
from veille.understand.encoder.graph import build
from veille.understand.encoder.modelfile import ModelFile, dequantise
from veille.understand.labelled import DATA as INTENTS_DATA
from veille.understand.labelled import load_posts, sentiment_labels
from veille.understand.metrics import bootstrap_interval, macro_f1

sys.path.insert(0, str(Path(__file__).parent))
from crossval import FOLDS, grouped_folds
from train_sentiment import DEFAULT_DATA, load_split, train_dense

BATCH = 32
HEAD_LR = 1e-3


class LowerLayers(Encoder):
    """The encoder cut before its top `top` layers: token states, one array per text."""

    def __init__(self, top: int) -> None:
        super().__init__()
        graph = build(ModelFile(None), True)
        cut = f"l{self.sizes.layers - top - 1}.oln.y"
        del graph.graph.output[:]
        graph.graph.output.append(
            helper.make_tensor_value_info(cut, TensorProto.FLOAT, ["batch", "tokens", 384])
        )
        options = ort.SessionOptions()
        options.intra_op_num_threads = cores()
        self._session = ort.InferenceSession(
            graph.SerializeToString(), options, providers=["CPUExecutionProvider"]
        )

    def states(self, texts: list[str]) -> list[np.ndarray]:
        rows = [[self._bos, *self.tokenizer.content(PREFIX + t)[:510], self._eos] for t in texts]
        out: list[np.ndarray] = [np.empty(0)] * len(rows)
        order = sorted(range(len(rows)), key=lambda r: len(rows[r]))
        for at in range(0, len(order), 64):
            batch = order[at : at + 64]
            length = max(len(rows[r]) for r in batch)
            ids = np.full((len(batch), length), self._pad, dtype=np.int64)
            mask = np.zeros((len(batch), length), dtype=np.int32)
            for i, r in enumerate(batch):
                ids[i, : len(rows[r])] = rows[r]
                mask[i, : len(rows[r])] = 1
            x = dequantise(self._words[ids.reshape(-1)]).reshape(len(batch), length, 384)
            x += self._positions[:length] + self._type
            mean = x.mean(-1, keepdims=True)
            var = ((x - mean) ** 2).mean(-1, keepdims=True)
            x = (x - mean) / np.sqrt(var + self.sizes.eps) * self._ln[0] + self._ln[1]
            hidden = self._session.run(None, {"hidden": x.astype(np.float32), "mask": mask})[0]
            for i, r in enumerate(batch):
                out[r] = hidden[i, : len(rows[r])]
        return out


class Layer(torch.nn.Module):
    """One e5 layer, as graph.py builds it, with trainable float weights."""

    def __init__(self, model: ModelFile, n: int) -> None:
        super().__init__()
        s = self.sizes = model.sizes
        shapes = {"q": (s.hidden, s.hidden), "k": (s.hidden, s.hidden), "v": (s.hidden, s.hidden)}
        shapes |= {"ao": (s.hidden, s.hidden), "fi": (s.ffn, s.hidden), "fo": (s.hidden, s.ffn)}
        self.p = torch.nn.ParameterDict()
        for key, (rows, cols) in shapes.items():
            weight = dequantise(model.blocks(f"l{n}.{key}.w", rows, cols)).T
            self.p[f"{key}_w"] = torch.nn.Parameter(torch.tensor(np.ascontiguousarray(weight)))
            self.p[f"{key}_b"] = torch.nn.Parameter(torch.tensor(model.floats(f"l{n}.{key}.b")))
        for key in ("aln", "oln"):
            for part in ("w", "b"):
                value = torch.tensor(model.floats(f"l{n}.{key}.{part}").copy())
                self.p[f"{key}_{part}"] = torch.nn.Parameter(value)
        self.drop = torch.nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        p, s = self.p, self.sizes
        rows, tokens, width = x.shape
        depth = width // s.heads

        def project(z: torch.Tensor, key: str) -> torch.Tensor:
            return z @ p[f"{key}_w"] + p[f"{key}_b"]

        def heads(z: torch.Tensor) -> torch.Tensor:
            return z.view(rows, tokens, s.heads, depth).transpose(1, 2)

        q, k, v = (heads(project(x, key)) for key in "qkv")
        scores = q @ k.transpose(-1, -2) / math.sqrt(depth)
        scores = scores + (1 - mask[:, None, None, :]) * -1e9
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(rows, tokens, width)
        norm = torch.nn.functional.layer_norm
        x = norm(x + self.drop(project(context, "ao")), (width,), p["aln_w"], p["aln_b"], s.eps)
        inner = torch.nn.functional.gelu(project(x, "fi"))
        return norm(x + self.drop(project(inner, "fo")), (width,), p["oln_w"], p["oln_b"], s.eps)


class TopAndHead(torch.nn.Module):
    def __init__(self, model: ModelFile, top: int) -> None:
        super().__init__()
        first = model.sizes.layers - top
        self.layers = torch.nn.ModuleList(
            [Layer(model, n) for n in range(first, model.sizes.layers)]
        )
        self.head = torch.nn.Linear(model.sizes.hidden, 3)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x, mask)
        weights = mask[..., None]
        pooled = torch.nn.functional.normalize((x * weights).sum(1) / weights.sum(1), dim=-1)
        return self.head(pooled * 10)  # normalised vectors are small: scale them for the head


def padded(states: list[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
    length = max(len(s) for s in states)
    x = np.zeros((len(states), length, states[0].shape[1]), np.float32)
    mask = np.zeros((len(states), length), np.float32)
    for i, s in enumerate(states):
        x[i, : len(s)] = s
        mask[i, : len(s)] = 1
    return torch.tensor(x), torch.tensor(mask)


def fine_tuned(
    model: ModelFile,
    args: argparse.Namespace,
    train: list[tuple[np.ndarray, int]],
    test: list[np.ndarray],
) -> np.ndarray:
    """Probabilities on `test` after fine-tuning on `train` (state, label) pairs."""
    net = TopAndHead(model, args.top)
    optimiser = torch.optim.AdamW(
        [
            {"params": net.layers.parameters(), "lr": args.lr},
            {"params": net.head.parameters(), "lr": HEAD_LR},
        ],
        weight_decay=0.01,
    )
    steps = args.epochs * math.ceil(len(train) / BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=[args.lr, HEAD_LR], total_steps=steps, pct_start=0.1
    )
    rng = np.random.default_rng(0)
    for _ in range(args.epochs):
        net.train()
        order = rng.permutation(len(train))
        for at in range(0, len(order), BATCH):
            chosen = [train[i] for i in order[at : at + BATCH]]
            x, mask = padded([state for state, _ in chosen])
            labels = torch.tensor([label for _, label in chosen])
            loss = torch.nn.functional.cross_entropy(net(x, mask), labels)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
    net.eval()
    out = np.zeros((len(test), 3))
    with torch.no_grad():
        for at in range(0, len(test), 64):
            x, mask = padded(test[at : at + 64])
            out[at : at + 64] = net(x, mask).softmax(-1).numpy()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--top", type=int, default=2, help="how many top layers to fine-tune")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lr", type=float, default=2e-4)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(cores())
    posts = load_posts(INTENTS_DATA / "train.jsonl")
    splits = {
        "fr_train": load_split(DEFAULT_DATA, "fr", "train"),
        "domain_train": ([p.text for p in posts], sentiment_labels(posts)),
    }
    lower = LowerLayers(args.top)
    states = {name: lower.states(texts) for name, (texts, _) in splits.items()}
    frozen = {name: embed(texts) for name, (texts, _) in splits.items()}
    folds = {name: grouped_folds(texts) for name, (texts, _) in splits.items()}
    model = ModelFile(None)
    tuned = {name: np.zeros((len(y), 3)) for name, (_, y) in splits.items()}
    linear = {name: np.zeros((len(y), 3)) for name, (_, y) in splits.items()}
    for f in range(FOLDS):
        train = [
            (states[name][i], int(y[i]))
            for name, (_, y) in splits.items()
            for i in np.flatnonzero(folds[name] != f)
        ]
        x = np.vstack([frozen[n][folds[n] != f] for n in splits])
        y = np.concatenate([splits[n][1][folds[n] != f] for n in splits])
        head = train_dense(x, y, 1e-4, 600)
        for name in splits:
            rows = np.flatnonzero(folds[name] == f)
            tuned[name][rows] = fine_tuned(model, args, train, [states[name][i] for i in rows])
            linear[name][rows] = head.predict_dense(frozen[name][rows])
        print(f"fold {f + 1}/{FOLDS} done", flush=True)
    for name, (_, truth) in splits.items():
        for what, probabilities in (("frozen vectors, linear head", linear), ("fine-tuned", tuned)):
            predicted = probabilities[name].argmax(1)
            value = macro_f1(truth, predicted, 3)
            low, high = bootstrap_interval(
                lambda r, t=truth, p=predicted: macro_f1(t[r], p[r], 3), len(truth)
            )
            print(f"{name} ({len(truth)}), {what}: macro-F1 {value:.3f} [{low:.3f}, {high:.3f}]")


if __name__ == "__main__":
    main()
