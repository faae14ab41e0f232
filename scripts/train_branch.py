"""Fine-tune e5's top layers for French sentiment and intents; ship them as a branch of the encoder.

    .venv/bin/pip install torch==2.13.0      # training only: Veille itself never imports torch
    .venv/bin/python scripts/train_branch.py --cache /tmp/branch-cache [--ship]
        [--top 4] [--epochs 6] [--lr 1e-4]

Run it after scripts/train_sentiment.py (which writes the sentiment blend without the
branch), then scripts/train_intents.py --branch-oof (which blends the branch's intents head
in) and scripts/train_cascade.py --branch-oof.

1. The layers below the top `--top` run once, in Veille's own int8 ONNX graph; each text's
   token states are kept (in --cache).
2. Cross-validation on the French XLM-T train tweets (5 folds by near-copy group, as
   scripts/train_sentiment.py cuts them) and the small-business posts of every training file
   of data/intents (folds by business, as scripts/train_intents.py cuts them). Torch
   fine-tunes the top layers (initialised from e5's weights) with two heads, their losses
   summed: a softmax sentiment head (tweets and posts) and a sigmoid head for the generic
   intents (posts). It predicts the fifth fold; the out-of-fold probabilities and branch
   vectors are saved in the cache and reused by later runs and by the other scripts.
3. The sentiment blend of the branch's head with the embedding head and the fast head (both
   refitted on the same folds) is chosen on those out-of-fold probabilities.
4. With --ship, the branch is fine-tuned again on all the training data and written into the
   package: int8 weights with one scale per output column (models/branch_fr.npz), its heads
   (models/sentiment_tuned_fr.npz, models/intents_tuned_fr.npz) and the sentiment blend
   (models/sentiment_blend.json).
5. The XLM-T French val split is read once, through Veille's own runtime, to print per-class
   F1 with 95 % bootstrap intervals. The test split is never read.

The defaults (top 4 layers, 6 epochs, lr 1e-4, every training file) were chosen by this same
cross-validation for sentiment alone, among 2 or 4 layers, 3 or 6 epochs, three learning
rates and two sets of small-business posts. Adding the intents head left sentiment's CV
within its noise (0.705 / 0.840 against 0.700 / 0.838 out of fold on the tweets and the
previous round's posts; docs/understanding.md).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort  # type: ignore[import-untyped]
import torch
from onnx import TensorProto, helper

from veille.understand import embeddings
from veille.understand.embeddings import BRANCH
from veille.understand.encoder.encoder import PREFIX, Encoder, cores
from veille.understand.encoder.graph import build
from veille.understand.encoder.modelfile import ModelFile, dequantise
from veille.understand.features import featurize, sparse_dot
from veille.understand.intents import GENERIC, TUNED_HEAD
from veille.understand.labelled import DATA as INTENTS_DATA
from veille.understand.labelled import load_posts, sentiment_labels
from veille.understand.linear import LinearHead
from veille.understand.metrics import macro_f1
from veille.understand.sentiment import BLEND, tuned_head_path
from veille.understand.types import SENTIMENT_LABELS

sys.path.insert(0, str(Path(__file__).parent))
from crossval import (
    FOLDS,
    balanced_folds,
    csr_rows,
    grouped_folds,
    merged_groups,
    show_f1,
    text_groups,
)
from train_intents import TRAINING, targets
from train_sentiment import (
    DEFAULT_DATA,
    embed_cached,
    load_split,
    stack_csr,
    train_dense,
    train_fast,
)

BATCH = 32
HEAD_LR = 1e-3
HEAD_SCALE = 10.0  # pooled vectors are unit length: scaled up so the head learns at its rate
KEYS = ("q", "k", "v", "ao", "fi", "fo")
Sources = dict[str, tuple[list[str], np.ndarray]]
# One training row: token states, sentiment label, generic intents (posts only).
Row = tuple[np.ndarray, int, np.ndarray | None]
DOMAIN = "domain_all"  # the small-business posts (the name of their cached states)


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
        options.log_severity_level = 3
        self._lower = self._session(graph, options)

    def states(self, texts: list[str]) -> list[np.ndarray]:
        rows = [[self._bos, *self.tokenizer.content(PREFIX + t)[:510], self._eos] for t in texts]
        out: list[np.ndarray] = [np.empty(0)] * len(rows)
        order = sorted(range(len(rows)), key=lambda r: len(rows[r]))
        for at in range(0, len(order), 64):
            batch = order[at : at + 64]
            x, mask = self.inputs([rows[r] for r in batch])
            hidden = self._lower.run(None, {"hidden": x, "mask": mask})[0]
            for i, r in enumerate(batch):
                out[r] = hidden[i, : len(rows[r])].astype(np.float16)
        return out


def cached_states(lower: LowerLayers, texts: list[str], cache: Path, name: str) -> list[np.ndarray]:
    path = cache / f"{name}.npz"
    if path.exists():
        with np.load(path) as data:
            flat, lengths = data["flat"], data["lengths"]
        if len(lengths) == len(texts):
            ends = np.cumsum(lengths)
            return [flat[end - n : end] for end, n in zip(ends, lengths, strict=True)]
    states = lower.states(texts)
    np.savez(path, flat=np.concatenate(states), lengths=np.array([len(s) for s in states]))
    return states


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
            out: torch.Tensor = z @ p[f"{key}_w"] + p[f"{key}_b"]
            return out

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


class TopAndHeads(torch.nn.Module):
    def __init__(self, model: ModelFile, top: int) -> None:
        super().__init__()
        self.first = model.sizes.layers - top
        self.layers = torch.nn.ModuleList(
            [Layer(model, n) for n in range(self.first, model.sizes.layers)]
        )
        self.head = torch.nn.Linear(model.sizes.hidden, 3)
        self.intents = torch.nn.Linear(model.sizes.hidden, len(GENERIC))

    def pooled(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The branch's vectors, as the runtime gives them (mean-pooled, unit length)."""
        for layer in self.layers:
            x = layer(x, mask)
        weights = mask[..., None]
        return torch.nn.functional.normalize((x * weights).sum(1) / weights.sum(1), dim=-1)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Sentiment logits and intents logits."""
        scaled = self.pooled(x, mask) * HEAD_SCALE
        return self.head(scaled), self.intents(scaled)


def padded(states: list[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
    length = max(len(s) for s in states)
    x = np.zeros((len(states), length, states[0].shape[1]), np.float32)
    mask = np.zeros((len(states), length), np.float32)
    for i, s in enumerate(states):
        x[i, : len(s)] = s
        mask[i, : len(s)] = 1
    return torch.tensor(x), torch.tensor(mask)


def fine_tune(model: ModelFile, args: argparse.Namespace, train: list[Row]) -> TopAndHeads:
    """The top layers and both heads fitted on `train`; the intents loss is counted on the rows
    that have intents. Deterministic."""
    torch.manual_seed(0)
    net = TopAndHeads(model, args.top)
    heads = [*net.head.parameters(), *net.intents.parameters()]
    optimiser, schedule = optimiser_for(net.layers, heads, args.lr, args.epochs, len(train))
    rng = np.random.default_rng(0)
    for _ in range(args.epochs):
        net.train()
        order = rng.permutation(len(train))
        for at in range(0, len(order), BATCH):
            chosen = [train[i] for i in order[at : at + BATCH]]
            x, mask = padded([state for state, _, _ in chosen])
            sentiment, intents = net(x, mask)
            labels = torch.tensor([label for _, label, _ in chosen])
            loss = torch.nn.functional.cross_entropy(sentiment, labels)
            posts = [i for i, (_, _, row) in enumerate(chosen) if row is not None]
            if posts:
                truth = torch.tensor(np.array([chosen[i][2] for i in posts]), dtype=torch.float32)
                loss = loss + torch.nn.functional.binary_cross_entropy_with_logits(
                    intents[posts], truth
                )
            step(optimiser, schedule, loss)
    net.eval()
    return net


def optimiser_for(
    layers: torch.nn.Module, heads: list[torch.nn.Parameter], lr: float, epochs: int, rows: int
) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LRScheduler]:
    """AdamW with the layers at `lr` and the heads at HEAD_LR, on a one-cycle schedule over
    `epochs` passes through `rows` rows in batches of BATCH."""
    optimiser = torch.optim.AdamW(
        [{"params": layers.parameters(), "lr": lr}, {"params": heads, "lr": HEAD_LR}],
        weight_decay=0.01,
    )
    steps = epochs * math.ceil(rows / BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=[lr, HEAD_LR], total_steps=steps, pct_start=0.1
    )
    return optimiser, schedule


def step(
    optimiser: torch.optim.Optimizer,
    schedule: torch.optim.lr_scheduler.LRScheduler,
    loss: torch.Tensor,
) -> None:
    """One gradient step and the learning-rate schedule's."""
    optimiser.zero_grad()
    loss.backward()  # type: ignore[no-untyped-call]
    optimiser.step()
    schedule.step()


def predict(
    net: TopAndHeads, states: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sentiment probabilities, intents probabilities and the branch's vectors."""
    sentiment = np.zeros((len(states), 3))
    intents = np.zeros((len(states), len(GENERIC)))
    vectors = np.zeros((len(states), 384), np.float32)
    order = sorted(range(len(states)), key=lambda i: len(states[i]))
    with torch.no_grad():
        for at in range(0, len(order), 64):
            rows = order[at : at + 64]
            x, mask = padded([states[i] for i in rows])
            pooled = net.pooled(x, mask)
            vectors[rows] = pooled.numpy()
            sentiment[rows] = net.head(pooled * HEAD_SCALE).softmax(-1).numpy()
            intents[rows] = torch.sigmoid(net.intents(pooled * HEAD_SCALE)).numpy()
    return sentiment, intents, vectors


def rows_of(
    splits: Sources,
    states: dict[str, list[np.ndarray]],
    intents: np.ndarray,
    keep: dict[str, np.ndarray],
) -> list[Row]:
    return [
        (states[name][i], int(y[i]), intents[i] if name == DOMAIN else None)
        for name, (_, y) in splits.items()
        for i in keep[name]
    ]


def tuned_out_of_fold(
    model: ModelFile,
    args: argparse.Namespace,
    splits: Sources,
    states: dict[str, list[np.ndarray]],
    intents: np.ndarray,
    folds: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Out-of-fold sentiment probabilities per split, and the posts' intents ("intents")."""
    path = args.cache / f"branch_oof_{args.top}_{args.epochs}_{args.lr}.npz"
    if path.exists():
        with np.load(path) as data:
            return {name: data[name] for name in (*splits, "intents")}
    out = {name: np.zeros((len(y), 3)) for name, (_, y) in splits.items()}
    out["intents"] = np.zeros_like(intents)
    vectors = {name: np.zeros((len(y), 384), np.float32) for name, (_, y) in splits.items()}
    for f in range(FOLDS):
        keep = {name: np.flatnonzero(folds[name] != f) for name in splits}
        net = fine_tune(model, args, rows_of(splits, states, intents, keep))
        for name in splits:
            rows = np.flatnonzero(folds[name] == f)
            sentiment, posts, vectors[name][rows] = predict(net, [states[name][i] for i in rows])
            out[name][rows] = sentiment
            if name == DOMAIN:
                out["intents"][rows] = posts
        print(f"fold {f + 1}/{FOLDS} fine-tuned", flush=True)
    np.savez(path, **out)  # type: ignore[arg-type]
    # Out-of-fold branch vectors too: other heads can be cross-validated on them honestly.
    np.savez(path.with_name(path.stem + "_vectors.npz"), **vectors)  # type: ignore[arg-type]
    return out


def heads_out_of_fold(
    splits: Sources, folds: dict[str, np.ndarray], cache: Path
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The embedding head's and the fast head's out-of-fold probabilities on the same folds,
    trained on the French tweets and the small-business posts as train_sentiment.py does."""
    vectors = {name: embed_cached(texts, cache, name) for name, (texts, _) in splits.items()}
    csr = {name: featurize(texts) for name, (texts, _) in splits.items()}
    dense = {name: np.zeros((len(y), 3)) for name, (_, y) in splits.items()}
    fast = {name: np.zeros((len(y), 3)) for name, (_, y) in splits.items()}
    for f in range(FOLDS):
        keep = {name: np.flatnonzero(folds[name] != f) for name in splits}
        y = np.concatenate([splits[name][1][keep[name]] for name in splits])
        dense_head = train_dense(np.vstack([vectors[n][keep[n]] for n in splits]), y, 1e-4, 600)
        fast_head = train_fast(stack_csr([csr_rows(csr[n], keep[n]) for n in splits]), y, 1e-4, 300)
        for name in splits:
            rows = np.flatnonzero(folds[name] == f)
            dense[name][rows] = dense_head.predict_dense(vectors[name][rows])
            fast[name][rows] = fast_head.scores(
                sparse_dot(csr_rows(csr[name], rows), fast_head.weights)
            )
    return dense, fast


def choose_blend(
    splits: Sources,
    tuned: dict[str, np.ndarray],
    dense: dict[str, np.ndarray],
    fast: dict[str, np.ndarray],
) -> tuple[float, float]:
    """(tuned, embedding) weights, the fast head taking the rest: best mean macro-F1 out of fold."""
    best: tuple[float, float, float] | None = None
    for t, e in itertools.product(np.arange(0, 1.01, 0.1), repeat=2):
        if t + e > 1.0001:
            continue
        score = float(
            np.mean(
                [
                    macro_f1(y, (t * tuned[n] + e * dense[n] + (1 - t - e) * fast[n]).argmax(1), 3)
                    for n, (_, y) in splits.items()
                ]
            )
        )
        if best is None or score > best[0] + 1e-9:
            best = (score, round(float(t), 1), round(float(e), 1))
    assert best is not None
    return best[1], best[2]


def export_layers(layers: torch.nn.ModuleList, first: int, path: Path) -> None:
    """Fine-tuned layers as int8 with one scale per output column, as graph.py runs them."""
    arrays: dict[str, np.ndarray] = {"first": np.array(first), "count": np.array(len(layers))}
    for i, layer in enumerate(layers):
        assert isinstance(layer, Layer)
        n = first + i
        for key in KEYS:
            w = layer.p[f"{key}_w"].detach().numpy()  # (in, out)
            scale = np.maximum(np.abs(w).max(axis=0), 1e-12) / 127.0
            arrays[f"l{n}.{key}.q"] = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
            arrays[f"l{n}.{key}.cs"] = scale.astype(np.float32)
            arrays[f"l{n}.{key}.b"] = layer.p[f"{key}_b"].detach().numpy().astype(np.float32)
        for key in ("aln", "oln"):
            for part in ("w", "b"):
                arrays[f"l{n}.{key}.{part}"] = layer.p[f"{key}_{part}"].detach().numpy()
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def export(net: TopAndHeads) -> None:
    """The branch's layers and both heads, into the package."""
    export_layers(net.layers, net.first, BRANCH)
    head = LinearHead(
        weights=net.head.weight.detach().numpy().T * HEAD_SCALE,
        bias=net.head.bias.detach().numpy(),
        labels=SENTIMENT_LABELS,
    )
    head.save(tuned_head_path("fr"))
    intents = LinearHead(
        weights=net.intents.weight.detach().numpy().T * HEAD_SCALE,
        bias=net.intents.bias.detach().numpy(),
        labels=GENERIC,
        multilabel=True,
    )
    intents.save(TUNED_HEAD)


def read_validation_once(data: Path) -> None:
    """The shipped runtime (branch, heads and blend) on the French val tweets: the one reading."""
    embeddings.reset()
    from veille.understand.sentiment import accurate_probabilities

    texts, truth = load_split(data, "fr", "val")
    probabilities = accurate_probabilities(texts, langs=["fr"] * len(texts))
    show_f1(
        f"sentiment accurate on fr_val ({len(texts)}), read once",
        SENTIMENT_LABELS,
        truth,
        probabilities.argmax(1),
        text_groups(texts),
        {},
        "accurate_fr_val_macro_f1",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, required=True, help="folder for states and folds")
    parser.add_argument("--top", type=int, default=4, help="how many top layers to fine-tune")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument(
        "--ship",
        action="store_true",
        help="then fit on all the training data, write into the package and read val once",
    )
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(cores())
    posts = [post for file in TRAINING for post in load_posts(INTENTS_DATA / file)]
    splits: Sources = {
        "fr_train": load_split(args.data, "fr", "train"),
        DOMAIN: ([p.text for p in posts], sentiment_labels(posts)),
    }
    intents = targets(posts)
    lower = LowerLayers(args.top)
    states = {n: cached_states(lower, texts, args.cache, n) for n, (texts, _) in splits.items()}
    folds = {
        "fr_train": grouped_folds(splits["fr_train"][0]),
        # Every post read for one business in one fold, as scripts/train_intents.py cuts them.
        DOMAIN: balanced_folds(merged_groups(splits[DOMAIN][0], [p.business for p in posts])),
    }
    model = ModelFile(None)
    tuned = tuned_out_of_fold(model, args, splits, states, intents, folds)
    dense, fast = heads_out_of_fold(splits, folds, args.cache)
    t, e = choose_blend(splits, tuned, dense, fast)
    print(f"blend chosen out of fold: branch {t}, embedding head {e}, fast head {1 - t - e:.1f}")
    for name, (texts, truth) in splits.items():
        groups = text_groups(texts)
        for what, p in (
            ("embedding + fast heads (0.7 / 0.3)", 0.7 * dense[name] + 0.3 * fast[name]),
            ("branch alone", tuned[name]),
            ("chosen blend", t * tuned[name] + e * dense[name] + (1 - t - e) * fast[name]),
        ):
            show_f1(
                f"{what}, 5-fold CV on {name}", SENTIMENT_LABELS, truth, p.argmax(1), groups, {}, ""
            )
    if not args.ship:
        return
    train = rows_of(splits, states, intents, {n: np.arange(len(y)) for n, (_, y) in splits.items()})
    fitted = args.cache / f"branch_{args.top}_{args.epochs}_{args.lr}.pt"
    if fitted.exists():
        net = TopAndHeads(model, args.top)
        net.load_state_dict(torch.load(fitted))
    else:
        net = fine_tune(model, args, train)
        torch.save(net.state_dict(), fitted)
    export(net.eval())
    blend = json.loads(BLEND.read_text())
    blend["fr"] = {"tuned": t, "embedding": e}
    BLEND.write_text(json.dumps(blend) + "\n")
    read_validation_once(args.data)


if __name__ == "__main__":
    main()
