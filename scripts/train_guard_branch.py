"""Fine-tune e5's top layers for the guard's risks; ship them as the guard's branch.

    .venv/bin/pip install torch==2.13.0      # training only
    .venv/bin/python scripts/train_guard_branch.py --branch-cache /tmp/branch-cache \
        --guard-cache /tmp/guard-cache [--top 6] [--epochs 4] [--lr 1e-4] [--ship]

Then scripts/train_guard.py --branch-oof BRANCH_CACHE/guard_tuned_oof_6_4_0.0001_SIZE.npy
(SIZE: the pool's drafts) chooses the branch's share of the learned model and the thresholds.

The states below the fine-tuned layers of every pool draft are computed once by Veille's own
graph (scripts/train_branch.py's LowerLayers); torch fine-tunes the top layers with a sigmoid
head per risk on four folds (by family, as train_guard.py cuts them) and predicts the fifth.
The shipped setting (a linear head on the draft's and its sentences' vectors with the cues,
models/guard_risk.json) is refitted on the same folds; each share of the two is printed,
scored as train_guard.py scores its settings: recall over the risky drafts caught by the
rules or the model, thresholds per risk chosen with false alarms under 8 %. Six layers rather
than four: on the 4,355 drafts of the previous pool, the best blend's CV recall was 0.903
against 0.871 (docs/guard.md). With --ship, the layers are fine-tuned again on the whole pool
and written into the package (models/guard_branch.npz, int8 as graph.py runs them, and
models/guard_tuned.npz). No held-out set is read here.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from veille.publish.guard_cues import SIGNS
from veille.publish.guard_learned import CATEGORIES, THRESHOLDS, TUNED_HEAD
from veille.understand.embeddings import GUARD_BRANCH
from veille.understand.encoder.encoder import cores
from veille.understand.encoder.modelfile import ModelFile
from veille.understand.linear import LinearHead

sys.path.insert(0, str(Path(__file__).parent))
from guard_data import load
from train_branch import (
    BATCH,
    HEAD_SCALE,
    Layer,
    LowerLayers,
    cached_states,
    export_layers,
    optimiser_for,
    padded,
    step,
)
from train_guard import (
    FOLDS,
    Setting,
    choose_thresholds,
    draft_features,
    fold_of,
    rule_view,
    targets,
)


@dataclass(frozen=True)
class Fit:
    """How the top layers are fine-tuned: how many, for how many epochs, at what rate."""

    top: int = 6
    epochs: int = 4
    lr: float = 1e-4

    def name(self, size: int) -> str:
        """Cache names carry the setting and the pool's size: a grown pool is refitted."""
        return f"{self.top}_{self.epochs}_{self.lr}_{size}"


SHARES = (1.0, 0.7, 0.5, 0.3, 0.0)  # the shipped head's share; the branch takes the rest


class TopAndRisks(torch.nn.Module):
    def __init__(self, model: ModelFile, top: int) -> None:
        super().__init__()
        first = model.sizes.layers - top
        self.layers = torch.nn.ModuleList([Layer(model, n) for n in range(first, first + top)])
        self.head = torch.nn.Linear(model.sizes.hidden, len(CATEGORIES))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x, mask)
        weights = mask[..., None]
        pooled = torch.nn.functional.normalize((x * weights).sum(1) / weights.sum(1), dim=-1)
        return self.head(pooled * HEAD_SCALE)  # type: ignore[no-any-return]


def fine_tune(model: ModelFile, states: list[np.ndarray], y: np.ndarray, fit: Fit) -> TopAndRisks:
    """The top layers and the risk head fitted on `states`. Deterministic."""
    torch.manual_seed(0)
    net = TopAndRisks(model, fit.top)
    heads = list(net.head.parameters())
    optimiser, schedule = optimiser_for(net.layers, heads, fit.lr, fit.epochs, len(states))
    rng = np.random.default_rng(0)
    for _ in range(fit.epochs):
        net.train()
        order = rng.permutation(len(states))
        for at in range(0, len(order), BATCH):
            rows = order[at : at + BATCH]
            x, mask = padded([states[i].astype(np.float32) for i in rows])
            truth = torch.tensor(y[rows], dtype=torch.float32)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(net(x, mask), truth)
            step(optimiser, schedule, loss)
    net.eval()
    return net


def tuned_out_of_fold(
    states: list[np.ndarray], y: np.ndarray, folds: np.ndarray, cache: Path, fit: Fit
) -> np.ndarray:
    path = cache / f"guard_tuned_oof_{fit.name(len(y))}.npy"
    if path.exists():
        return np.load(path)  # type: ignore[no-any-return]
    model, out = ModelFile(None), np.zeros_like(y)
    for f in range(FOLDS):
        train = np.flatnonzero(folds != f)
        net = fine_tune(model, [states[i] for i in train], y[train], fit)
        held = np.flatnonzero(folds == f)
        held = held[np.argsort([len(states[i]) for i in held])]
        with torch.no_grad():
            for at in range(0, len(held), 64):
                rows = held[at : at + 64]
                x, mask = padded([states[i].astype(np.float32) for i in rows])
                out[rows] = torch.sigmoid(net(x, mask)).numpy()
        print(f"fold {f + 1}/{FOLDS} fine-tuned", flush=True)
    np.save(path, out)
    return out


def ship(states: list[np.ndarray], y: np.ndarray, cache: Path, fit: Fit) -> None:
    fitted = cache / f"guard_branch_{fit.name(len(y))}.pt"
    model = ModelFile(None)
    if fitted.exists():
        net = TopAndRisks(model, fit.top)
        net.load_state_dict(torch.load(fitted))
    else:
        net = fine_tune(model, states, y, fit)
        torch.save(net.state_dict(), fitted)
    export_layers(net.layers, model.sizes.layers - fit.top, GUARD_BRANCH)
    LinearHead(
        weights=net.head.weight.detach().numpy().T * HEAD_SCALE,
        bias=net.head.bias.detach().numpy(),
        labels=CATEGORIES,
        multilabel=True,
    ).save(TUNED_HEAD)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--branch-cache", type=Path, required=True, help="states and folds")
    parser.add_argument("--guard-cache", type=Path, default=None, help="train_guard's vectors")
    parser.add_argument("--ship", action="store_true", help="then fit on the pool and write")
    parser.add_argument("--top", type=int, default=Fit.top, help="layers fine-tuned")
    parser.add_argument("--epochs", type=int, default=Fit.epochs)
    parser.add_argument("--lr", type=float, default=Fit.lr, help="the layers' learning rate")
    args = parser.parse_args()
    fit = Fit(args.top, args.epochs, args.lr)
    args.branch_cache.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(cores())
    rows = load("pool")
    y = targets(rows).astype(np.float32)
    folds = np.array([fold_of(r) for r in rows])
    risky = np.array([r.risky for r in rows])
    crisis = np.array([bool(r.context.get("open_crisis")) for r in rows])
    kinds, seen, quiet = rule_view(rows)
    rules = np.array([bool(k) for k in kinds])
    states = cached_states(
        LowerLayers(fit.top),
        [r.text for r in rows],
        args.branch_cache,
        f"guard_pool_below{fit.top}_{len(rows)}",
    )
    tuned = tuned_out_of_fold(states, y, folds, args.branch_cache, fit)
    shipped = json.loads(THRESHOLDS.read_text(encoding="utf-8"))
    count = int(shipped["cues"])
    assert count == len(SIGNS) and shipped["head"] == "linear"
    x = draft_features(rows, args.guard_cache, [c[len(c) - count :] for c in seen])
    setting = Setting(float(shipped["l2"]), int(shipped["epochs"]))
    linear = np.zeros_like(y)
    for f in range(FOLDS):
        linear[folds == f] = setting.train(x[folds != f], y[folds != f]).predict_dense(
            x[folds == f]
        )
    for share in SHARES:
        blend = share * linear + (1 - share) * tuned
        _, recall, false_alarms = choose_thresholds(blend, rules, risky, crisis, quiet, 0.08)
        print(
            f"shipped head {share}, branch {1 - share:.1f}: 5-fold CV recall {recall:.3f}, "
            f"false alarms {false_alarms:.3f}",
            flush=True,
        )
    if args.ship:
        ship(states, y, args.branch_cache, fit)


if __name__ == "__main__":
    main()
