"""Linear heads (softmax for one label, sigmoids for many) and their small numpy trainer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

Matmul = Callable[[np.ndarray], np.ndarray]


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))  # type: ignore[no-any-return]


@dataclass
class LinearHead:
    weights: np.ndarray  # (dim, k)
    bias: np.ndarray  # (k,)
    labels: tuple[str, ...]
    multilabel: bool = False

    def scores(self, logits: np.ndarray) -> np.ndarray:
        z = logits + self.bias
        return sigmoid(z) if self.multilabel else softmax(z)

    def predict_dense(self, x: np.ndarray) -> np.ndarray:
        return self.scores(x @ self.weights)

    def save(self, path: Path) -> None:
        # float16 halves the committed file; the heads lose nothing measurable.
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            labels=np.array(self.labels),
            multilabel=np.array(self.multilabel),
        )

    @classmethod
    def load(cls, path: Path) -> LinearHead:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                weights=data["weights"].astype(np.float32),
                bias=data["bias"].astype(np.float32),
                labels=tuple(str(x) for x in data["labels"]),
                multilabel=bool(data["multilabel"]),
            )


def fit(
    forward: Matmul,
    backward: Matmul,
    dim: int,
    targets: np.ndarray,
    labels: tuple[str, ...],
    *,
    multilabel: bool = False,
    l2: float = 1e-4,
    epochs: int = 300,
    learning_rate: float = 0.05,
    class_weights: np.ndarray | None = None,
) -> LinearHead:
    """Full-batch Adam on cross-entropy plus L2. forward(W) = X @ W, backward(G) = X.T @ G.

    targets: (n, k) one-hot (softmax) or 0/1 (multilabel). Deterministic: weights start at 0.
    """
    n, k = targets.shape
    w = np.zeros((dim, k), dtype=np.float64)
    b = np.zeros(k, dtype=np.float64)
    row_weight = np.ones(n) if class_weights is None else (targets * class_weights).sum(axis=1)
    if multilabel and class_weights is not None:
        row_weight = np.ones(n)
    m_w, v_w, m_b, v_b = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, epochs + 1):
        z = forward(w.astype(np.float32)).astype(np.float64) + b
        p = sigmoid(z) if multilabel else softmax(z)
        g = (p - targets) * row_weight[:, None] / n
        if multilabel and class_weights is not None:
            g = g * np.where(targets > 0, class_weights, 1.0)
        grad_w = backward(g) + l2 * w
        grad_b = g.sum(axis=0)
        for param, grad, m, v in ((w, grad_w, m_w, v_w), (b, grad_b, m_b, v_b)):
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            param -= (
                learning_rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + eps)
            )
    return LinearHead(w.astype(np.float32), b.astype(np.float32), labels, multilabel)
