"""A one-hidden-layer network of sigmoid outputs (several labels at once) and its numpy trainer.

Where a linear head on the encoder's vectors cannot combine two signs (a named business *and*
a sneer), a small hidden layer can. The inputs are standardised with the training set's mean
and spread, kept in the head so that it reads raw vectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from veille.understand.linear import sigmoid

BATCH = 256


@dataclass
class MlpHead:
    mean: np.ndarray  # (dim,)
    scale: np.ndarray  # (dim,)
    w1: np.ndarray  # (dim, hidden)
    b1: np.ndarray  # (hidden,)
    w2: np.ndarray  # (hidden, k)
    b2: np.ndarray  # (k,)
    labels: tuple[str, ...]

    def predict_dense(self, x: np.ndarray) -> np.ndarray:
        """(n, k) probabilities."""
        z = ((x - self.mean) / self.scale).astype(np.float32)
        hidden = np.maximum(z @ self.w1 + self.b1, 0.0)
        return sigmoid(hidden @ self.w2 + self.b2)

    def save(self, path: Path) -> None:
        # float16 weights halve the committed file, as for the linear heads.
        np.savez_compressed(
            path,
            mean=self.mean.astype(np.float32),
            scale=self.scale.astype(np.float32),
            w1=self.w1.astype(np.float16),
            b1=self.b1.astype(np.float32),
            w2=self.w2.astype(np.float16),
            b2=self.b2.astype(np.float32),
            labels=np.array(self.labels),
        )

    @classmethod
    def load(cls, path: Path) -> MlpHead:
        with np.load(path, allow_pickle=False) as data:
            arrays = {
                name: data[name].astype(np.float32)
                for name in ("mean", "scale", "w1", "b1", "w2", "b2")
            }
            return cls(**arrays, labels=tuple(str(x) for x in data["labels"]))


def fit_mlp(
    x: np.ndarray,
    targets: np.ndarray,
    labels: tuple[str, ...],
    *,
    hidden: int,
    l2: float,
    epochs: int,
    learning_rate: float = 0.003,
    seed: int = 0,
) -> MlpHead:
    """Mini-batch Adam on the summed sigmoid cross-entropy plus L2 on the weights.

    targets: (n, k) 0/1. Deterministic for a given seed (initial weights, batch order).
    """
    rng = np.random.default_rng(seed)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = ((x - mean) / scale).astype(np.float32)
    y = targets.astype(np.float32)
    n, dim = z.shape
    k = y.shape[1]
    params = {
        "w1": (rng.standard_normal((dim, hidden)) * np.sqrt(2.0 / dim)).astype(np.float32),
        "b1": np.zeros(hidden, np.float32),
        "w2": (rng.standard_normal((hidden, k)) * np.sqrt(1.0 / hidden)).astype(np.float32),
        "b2": np.zeros(k, np.float32),
    }
    first = {name: np.zeros_like(value) for name, value in params.items()}
    second = {name: np.zeros_like(value) for name, value in params.items()}
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    step = 0
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, BATCH):
            rows = order[start : start + BATCH]
            inputs = z[rows]
            hidden_out = np.maximum(inputs @ params["w1"] + params["b1"], 0.0)
            out = sigmoid(hidden_out @ params["w2"] + params["b2"])
            g = (out - y[rows]) / len(rows)
            back = (g @ params["w2"].T) * (hidden_out > 0)
            grads = {
                "w2": hidden_out.T @ g + l2 * params["w2"],
                "b2": g.sum(axis=0),
                "w1": inputs.T @ back + l2 * params["w1"],
                "b1": back.sum(axis=0),
            }
            step += 1
            for name, grad in grads.items():
                first[name] = beta1 * first[name] + (1 - beta1) * grad
                second[name] = beta2 * second[name] + (1 - beta2) * grad**2
                corrected = first[name] / (1 - beta1**step)
                spread = np.sqrt(second[name] / (1 - beta2**step)) + eps
                params[name] -= (learning_rate * corrected / spread).astype(np.float32)
    return MlpHead(
        mean.astype(np.float32),
        scale.astype(np.float32),
        params["w1"],
        params["b1"],
        params["w2"],
        params["b2"],
        labels,
    )
